/**
 * The evaluation gate: whether a version may replace the active one without an admin's explicit
 * `force`. Pure: it reads the metrics stored with the two versions (model_versions.metrics,
 * percent like ml/data/metrics.ts) and decides.
 *
 * The rule (docs/models.md, "Model versions"): on the library's annotated spans (accepted and
 * corrected review items, dataset queries with times), the candidate's R1@0.5 must be at least
 * the active version's minus GATE_MARGIN_POINTS (1.0 point: evaluation on a few dozen spans
 * moves by about that much between runs of the same model). Without annotated spans, the same
 * rule on the held-out training sentences, and when those have no times either (weak captions),
 * on how often each held-out sentence's own video is ranked first (video R1, measured in the same
 * evaluation). Without numbers for both versions on one of these, the gate refuses: nothing
 * says the candidate is not worse.
 */
import type { SpanMetrics, VersionMetrics } from "@/db/repositories/model-versions";

/** The measure the gate compares. */
export const GATE_METRIC = "r1_05" satisfies keyof SpanMetrics;
/** How much lower (percentage points) the candidate may score and still pass. */
export const GATE_MARGIN_POINTS = 1.0;

export type GateSet = "annotated" | "heldOut" | "heldOutVideos";

export interface GateVersion {
  version: number;
  metrics: VersionMetrics | null;
}

export interface GateDecision {
  pass: boolean;
  /** the evaluation set compared on (null: none had numbers for both versions) */
  basis: GateSet | null;
  /** R1@0.5 (video R1 for heldOutVideos) of the candidate and of the active version on that set (percent) */
  candidate: number | null;
  active: number | null;
  /** spans or sentences measured */
  n: number | null;
  margin: number;
  /** one sentence for people: why it passes or not */
  reason: string;
}

const measured = (m: SpanMetrics | null | undefined): m is SpanMetrics =>
  !!m && m.n > 0 && Number.isFinite(m[GATE_METRIC]);

/**
 * The two versions' numbers on `set`, measured together where possible: the candidate's
 * evaluation measured the active version beside it (its `baseline`), or the active version's
 * evaluation measured the candidate (a rollback to the version it replaced). Only annotated
 * spans may also be compared across two separate evaluations: they are the library's, while
 * each training run holds out its own sentences.
 */
export function pairOn(
  set: "annotated" | "heldOut",
  candidate: GateVersion,
  active: GateVersion,
): { candidate: SpanMetrics; active: SpanMetrics } | null {
  const c = candidate.metrics;
  const a = active.metrics;
  if (c?.baseline?.version === active.version && measured(c[set]) && measured(c.baseline[set]))
    return { candidate: c[set], active: c.baseline[set] };
  if (a?.baseline?.version === candidate.version && measured(a.baseline[set]) && measured(a[set]))
    return { candidate: a.baseline[set], active: a[set] };
  if (set === "annotated" && measured(c?.annotated) && measured(a?.annotated))
    return { candidate: c.annotated, active: a.annotated };
  return null;
}

const pct = (x: number) => `${(Math.round(x * 10) / 10).toFixed(1)} %`;

export function gateDecision(candidate: GateVersion, active: GateVersion): GateDecision {
  for (const set of ["annotated", "heldOut"] as const) {
    const pair = pairOn(set, candidate, active);
    if (!pair) continue;
    const c = pair.candidate[GATE_METRIC];
    const a = pair.active[GATE_METRIC];
    const pass = c >= a - GATE_MARGIN_POINTS;
    const where =
      set === "annotated" ? `${pair.candidate.n} annotated spans` : `${pair.candidate.n} held-out sentences`;
    return {
      pass,
      basis: set,
      candidate: c,
      active: a,
      n: pair.candidate.n,
      margin: GATE_MARGIN_POINTS,
      reason: pass
        ? `Version ${candidate.version} scores R1@0.5 ${pct(c)} on ${where}, against ${pct(a)} for version ${active.version}: not worse by more than ${GATE_MARGIN_POINTS} point.`
        : `Version ${candidate.version} scores R1@0.5 ${pct(c)} on ${where}, ${pct(a - c)} below version ${active.version}'s ${pct(a)} (more than the ${GATE_MARGIN_POINTS} point allowed).`,
    };
  }
  const videos = retrievalPair(candidate, active);
  if (videos) {
    const [c, a, n] = videos;
    const pass = c >= a - GATE_MARGIN_POINTS;
    const where = `its own video first for ${pct(c)} of ${n} held-out sentences`;
    return {
      pass,
      basis: "heldOutVideos",
      candidate: c,
      active: a,
      n,
      margin: GATE_MARGIN_POINTS,
      reason: pass
        ? `Version ${candidate.version} ranks ${where}, against ${pct(a)} for version ${active.version}: not worse by more than ${GATE_MARGIN_POINTS} point.`
        : `Version ${candidate.version} ranks ${where}, ${pct(a - c)} below version ${active.version}'s ${pct(a)} (more than the ${GATE_MARGIN_POINTS} point allowed).`,
    };
  }
  return {
    pass: false,
    basis: null,
    candidate: null,
    active: null,
    n: null,
    margin: GATE_MARGIN_POINTS,
    reason: `Versions ${candidate.version} and ${active.version} have no evaluation on the same annotated spans or held-out sentences to compare.`,
  };
}

/**
 * Video retrieval of the held-out sentences, for candidate and active measured in the same
 * evaluation (the candidate's baseline): [candidate, active, sentences], or null.
 */
function retrievalPair(candidate: GateVersion, active: GateVersion): [number, number, number] | null {
  const c = candidate.metrics;
  if (c?.baseline?.version !== active.version) return null;
  const mine = c.heldOut?.videoR1;
  const theirs = c.baseline.heldOut?.videoR1;
  const n = c.heldOut?.ranked ?? 0;
  if (typeof mine !== "number" || typeof theirs !== "number" || !Number.isFinite(mine + theirs) || n <= 0) return null;
  return [mine, theirs, n];
}
