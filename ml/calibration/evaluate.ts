/**
 * What `npm run eval` reports about `confidence` on collected candidate moments
 * (collect.ts): calibration (ECE, reliability), the "no good match" decision at a threshold on
 * a mix of real and unanswerable queries, and corpus moment retrieval ranked by confidence with
 * several moments per video (temporal NMS). Pure functions.
 */
import { iou } from "../data/metrics";
import type { Calibrator } from "./calibrator";
import type { CandidateMoment, QueryCase } from "./collect";
import { calibrationReport, type CalibrationReport } from "./metrics";

export interface RankedMoment {
  video: string;
  start: number;
  end: number;
  confidence: number;
}

/**
 * Temporal non-maximum suppression: moments best first; a moment whose IoU with a better kept
 * moment of the same video exceeds `iouThreshold` is dropped.
 */
export function temporalNms<T extends RankedMoment>(moments: readonly T[], iouThreshold = 0.5): T[] {
  const kept: T[] = [];
  for (const m of [...moments].sort((a, b) => b.confidence - a.confidence)) {
    if (!kept.some((k) => k.video === m.video && iou(k, m) > iouThreshold)) kept.push(m);
  }
  return kept;
}

export type QueryKind = QueryCase["kind"];

export interface ThresholdRow {
  threshold: number;
  /** share of real queries with a truly matching moment (any video, IoU ≥ 0.5) at or above the threshold */
  realKeepsCorrect: number;
  /** … with their own annotated moment (right video, IoU ≥ 0.5) at or above it */
  realKeepsAnnotated: number;
  /** share of real queries with any moment at or above it (not "no good match") */
  realAnyAbove: number;
  /** share of absent-combination queries with no moment at or above it ("no good match") */
  absentNoMatch: number;
  /** share of out-of-vocabulary queries with no moment at or above it */
  oovNoMatch: number;
  /** "no good match" as a detector of unanswerable queries (absent-combination + out-of-vocabulary) */
  noMatchPrecision: number;
  noMatchRecall: number;
}

export interface RetrievalRow {
  "R1@0.5": number;
  "R5@0.5": number;
  "R1@0.3": number;
  "R5@0.3": number;
  /** a hit is any video where the sentence is true (TruthSource) instead of only the annotated one */
  "R1@0.5 any true video": number;
  "R5@0.5 any true video": number;
}

export interface CalibrationEvaluation {
  calibrator: string;
  calibrated: boolean;
  threshold: number;
  queries: Record<QueryKind, number>;
  /** every candidate moment of the real queries; label: the sentence is true in the moment's video, IoU ≥ 0.5 */
  moments: CalibrationReport;
  /** the same moments, other labels: IoU ≥ 0.3; only the annotated moment counts (right video, IoU ≥ 0.5) */
  momentsIou03: Pick<CalibrationReport, "ece" | "eceMass" | "positives" | "auc">;
  momentsAnnotated: Pick<CalibrationReport, "ece" | "eceMass" | "positives" | "auc">;
  /** each real query's most confident moment */
  top1: Pick<CalibrationReport, "samples" | "positives" | "ece" | "eceMass" | "auc"> & { meanConfidence: number };
  /** at the calibrator's threshold, and a sweep */
  noGoodMatch: ThresholdRow;
  sweep: ThresholdRow[];
  /**
   * Corpus moment retrieval (real queries) from the same candidates: "one per video" = the
   * videos in the scorer's order, each its first span (ml/eval.ts's protocol); "by confidence" =
   * every candidate ranked by confidence, several per video, temporal NMS at IoU > 0.5.
   */
  retrieval: { onePerVideo: RetrievalRow; byConfidence: RetrievalRow };
}

const SWEEP = [0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7];

export function evaluateCalibration(
  queries: readonly QueryCase[],
  candidates: readonly CandidateMoment[],
  calibrator: Calibrator,
  threshold = calibrator.threshold,
): CalibrationEvaluation {
  const conf = candidates.map((c) => calibrator.confidence(c.evidence));
  const byQuery = queries.map(() => [] as number[]);
  candidates.forEach((c, i) => byQuery[c.query].push(i));
  const real = candidates.map((c) => queries[c.query].kind === "real");
  const pick = <T>(xs: readonly T[]) => xs.filter((_, i) => real[i]);
  const p = pick(conf);
  const label = (thr: number, annotated = false) =>
    pick(candidates).map((c) => ((annotated ? c.annotatedIou : c.iou) >= thr - 1e-9 ? 1 : 0));
  const short = (r: CalibrationReport) => ({ ece: r.ece, eceMass: r.eceMass, positives: r.positives, auc: r.auc });

  const top: number[] = [];
  queries.forEach((q, qi) => {
    if (q.kind !== "real" || byQuery[qi].length === 0) return;
    top.push(byQuery[qi].reduce((a, b) => (conf[b] > conf[a] ? b : a)));
  });
  const top1 = calibrationReport(
    top.map((i) => conf[i]),
    top.map((i) => (candidates[i].iou >= 0.5 - 1e-9 ? 1 : 0)),
  );

  const row = (t: number): ThresholdRow => {
    const share = (kind: QueryKind, ok: (qi: number) => boolean) => {
      const qs = queries.map((q, qi) => ({ q, qi })).filter(({ q }) => q.kind === kind);
      return qs.length ? qs.filter(({ qi }) => ok(qi)).length / qs.length : Number.NaN;
    };
    const above = (qi: number, f: (c: CandidateMoment) => boolean = () => true) =>
      byQuery[qi].some((i) => conf[i] >= t && f(candidates[i]));
    let tp = 0;
    let fp = 0;
    let fn = 0;
    queries.forEach((q, qi) => {
      const noMatch = !above(qi);
      const unanswerable = q.kind !== "real";
      if (noMatch && unanswerable) tp++;
      else if (noMatch) fp++;
      else if (unanswerable) fn++;
    });
    return {
      threshold: t,
      realKeepsCorrect: share("real", (qi) => above(qi, (c) => c.iou >= 0.5 - 1e-9)),
      realKeepsAnnotated: share("real", (qi) => above(qi, (c) => c.annotatedIou >= 0.5 - 1e-9)),
      realAnyAbove: share("real", (qi) => above(qi)),
      absentNoMatch: share("absent", (qi) => !above(qi)),
      oovNoMatch: share("oov", (qi) => !above(qi)),
      noMatchPrecision: tp + fp ? tp / (tp + fp) : Number.NaN,
      noMatchRecall: tp + fn ? tp / (tp + fn) : Number.NaN,
    };
  };

  const counts = { real: 0, absent: 0, oov: 0 } as Record<QueryKind, number>;
  for (const q of queries) counts[q.kind]++;
  const m = calibrationReport(p, label(0.5));
  return {
    calibrator: calibrator.version,
    calibrated: calibrator.calibrated,
    threshold,
    queries: counts,
    moments: m,
    momentsIou03: short(calibrationReport(p, label(0.3))),
    momentsAnnotated: short(calibrationReport(p, label(0.5, true))),
    top1: {
      samples: top1.samples,
      positives: top1.positives,
      ece: top1.ece,
      eceMass: top1.eceMass,
      auc: top1.auc,
      meanConfidence: top.reduce((s, i) => s + conf[i], 0) / Math.max(top.length, 1),
    },
    noGoodMatch: row(threshold),
    sweep: SWEEP.map(row),
    retrieval: retrieval(queries, candidates, conf, byQuery),
  };
}

function retrieval(
  queries: readonly QueryCase[],
  candidates: readonly CandidateMoment[],
  conf: number[],
  byQuery: number[][],
): CalibrationEvaluation["retrieval"] {
  const rows = { onePerVideo: [] as CandidateMoment[][], byConfidence: [] as CandidateMoment[][] };
  queries.forEach((q, qi) => {
    if (q.kind !== "real") return;
    const cs = byQuery[qi].map((i) => ({ ...candidates[i], confidence: conf[i] }));
    rows.onePerVideo.push(cs.filter((c) => c.evidence.spanRank === 0).sort((a, b) => a.videoRank - b.videoRank));
    rows.byConfidence.push(temporalNms(cs, 0.5));
  });
  const score = (lists: CandidateMoment[][]): RetrievalRow => {
    const r = (n: number, f: (c: CandidateMoment) => boolean) =>
      (100 * lists.filter((l) => l.slice(0, n).some(f)).length) / Math.max(lists.length, 1);
    return {
      "R1@0.5": r(1, (c) => c.annotatedIou >= 0.5 - 1e-9),
      "R5@0.5": r(5, (c) => c.annotatedIou >= 0.5 - 1e-9),
      "R1@0.3": r(1, (c) => c.annotatedIou >= 0.3 - 1e-9),
      "R5@0.3": r(5, (c) => c.annotatedIou >= 0.3 - 1e-9),
      "R1@0.5 any true video": r(1, (c) => c.iou >= 0.5 - 1e-9),
      "R5@0.5 any true video": r(5, (c) => c.iou >= 0.5 - 1e-9),
    };
  };
  return { onePerVideo: score(rows.onePerVideo), byConfidence: score(rows.byConfidence) };
}
