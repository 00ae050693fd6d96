/**
 * How the Models page says things (issue 22): a version's status in words and colour,
 * its progress line, its metrics and how they compare with the active version's, its loss
 * curve per component; and the version number other pages (video, health, search) read
 * from their answers. Pure functions, unit-tested beside this file.
 */
import { isTrainableModel, recipeInfo, TRAINABLE_MODEL_INFO } from "@/lib/training/recipes";
import { formatEta } from "./format";
import {
  toPending,
  versionNumber,
  type CurvePoint,
  type ModelStatus,
  type ModelVersion,
  type PendingSwitch,
} from "./models-api";

// ——— status ———

/** What a version's badge says: the API's status, or "switching" while the library is re-embedded for it. */
export type ShownStatus = ModelStatus | "switching";

export const STATUS_INFO: Record<ShownStatus, { label: string; className: string; busy: boolean }> = {
  training: { label: "Training", className: "bg-sky-500/15 text-sky-200 ring-sky-400/30", busy: true },
  evaluating: { label: "Evaluating", className: "bg-violet-500/15 text-violet-200 ring-violet-400/30", busy: true },
  switching: {
    label: "Switching to it",
    className: "bg-amber-500/15 text-amber-200 ring-amber-400/30",
    busy: true,
  },
  ready: { label: "Ready", className: "bg-indigo-500/15 text-indigo-200 ring-indigo-400/30", busy: false },
  active: { label: "Active", className: "bg-emerald-500/15 text-emerald-200 ring-emerald-400/30", busy: false },
  failed: { label: "Failed", className: "bg-rose-500/15 text-rose-200 ring-rose-400/30", busy: false },
  cancelled: { label: "Cancelled", className: "bg-zinc-700/60 text-zinc-200 ring-zinc-500/40", busy: false },
};

/** A run still working: the page polls while any version is in one of these. */
export function isRunning(status: ModelStatus): boolean {
  return status === "training" || status === "evaluating";
}

export function shownStatus(v: Pick<ModelVersion, "version" | "status">, pending: PendingSwitch | null): ShownStatus {
  return pending && pending.version === v.version && v.status !== "active" ? "switching" : v.status;
}

/** How long after a run ends the page keeps asking: the server may start the switch to it on its own. */
export const JUST_FINISHED_MS = 30_000;

/**
 * Whether the overview has something still moving: a run, a switch, or a version that
 * became ready moments ago (the gate may activate it any moment). `now` in ms.
 */
export function overviewBusy(
  o: { pending: PendingSwitch | null; versions: Pick<ModelVersion, "status" | "finishedAt">[] } | null,
  now: number,
): boolean {
  if (!o) return false;
  if (o.pending !== null || o.versions.some((v) => isRunning(v.status))) return true;
  return o.versions.some((v) => {
    if (v.status !== "ready" || !v.finishedAt) return false;
    const ended = Date.parse(v.finishedAt);
    return Number.isFinite(ended) && now - ended < JUST_FINISHED_MS;
  });
}

/** A version that may be activated: ready, or an earlier one to roll back to; never while a switch runs. */
export function canActivate(v: Pick<ModelVersion, "status">, pending: PendingSwitch | null): boolean {
  return pending === null && v.status === "ready";
}

/** A status change in a sentence, for the page's live region (null for none worth saying). */
export function statusChange(
  version: number,
  from: ModelStatus,
  status: ModelStatus,
  error?: string | null,
): string | null {
  if (from === "active" && status === "ready") return `Version ${version} is no longer active.`;
  switch (status) {
    case "evaluating":
      return `Version ${version} finished training and is being evaluated.`;
    case "ready":
      return `Version ${version} is ready: its evaluation is in.`;
    case "active":
      return `Version ${version} is active.`;
    case "failed":
      return `Version ${version} failed${error ? `: ${error}` : "."}`;
    case "cancelled":
      return `Version ${version} was cancelled.`;
    default:
      return null;
  }
}

/** A refused training request, in words: a heading for the kind of refusal (the server's reason goes under it). */
export function trainErrorTitle(status: number, code?: string): string {
  if (status === 400) {
    if (code === "cpl_required") return "Retrain CPL with LocVTP";
    return code === "model_not_supported" ? "That model cannot be retrained here" : "The request was refused";
  }
  if (status === 409) return "A training run is already in progress";
  if (status === 422) {
    if (code === "relevance_needs_lowlevel" || code === "featurizer_mismatch")
      return "These models do not fit the configured frame backbone";
    return code === "too_few_videos" ? "Too few described videos" : "No sentences to train on";
  }
  if (status === 503)
    return code === "backbone_unavailable" ? "The frame backbone cannot be read" : "Training could not start";
  if (status === 403) return "Only admins can train models";
  if (status === 0) return "The server could not be reached";
  return "Training could not start";
}

// ——— progress ———

const PHASES: Record<string, string> = {
  features: "Reading the videos' features",
  training: "Training",
  evaluating: "Evaluating",
  "re-embedding": "Re-embedding the library",
};

export function phaseLabel(phase: string | null, status?: ModelStatus): string {
  if (phase) return PHASES[phase] ?? phase.charAt(0).toUpperCase() + phase.slice(1);
  return status === "evaluating" ? PHASES.evaluating : PHASES.training;
}

/** 0..1 → a whole percent, 0–100. */
export function percentOf(fraction: number): number {
  if (!Number.isFinite(fraction)) return 0;
  return Math.max(0, Math.min(100, Math.floor(fraction * 100)));
}

/** "Training · 42% · about 3 min left" (no ETA while unknown). */
export function progressLine(v: Pick<ModelVersion, "phase" | "status" | "progress" | "etaSeconds">): string {
  const eta = formatEta(v.etaSeconds);
  return [phaseLabel(v.phase, v.status), `${percentOf(v.progress)}%`, eta].filter(Boolean).join(" · ");
}

/** "12 of 40 videos re-embedded" (or the percentage while the total is not known yet). */
export function pendingLine(p: PendingSwitch): string {
  if (p.total > 0) return `${p.done.toLocaleString("en")} of ${p.total.toLocaleString("en")} videos re-embedded`;
  return `${percentOf(p.progress)}% re-embedded`;
}

// ——— names ———

export function versionLabel(version: number): string {
  return `Version ${version}`;
}

export function modelName(model: string): string {
  return isTrainableModel(model) ? TRAINABLE_MODEL_INFO[model].label : model;
}

/** "Relevance scorer, CPL grounder"; the shipped version retrained nothing. */
export function modelsLabel(models: string[]): string {
  return models.length === 0 ? "The shipped models" : models.map(modelName).join(", ");
}

export function recipeLabel(recipe: string): string {
  return recipeInfo(recipe)?.label ?? recipe;
}

// ——— metrics ———

/** The four numbers, in the order the tables list them; the API's keys with the names people know. */
export const METRICS = [
  { key: "r1_03", label: "R1@0.3", alias: "R1@0.3" },
  { key: "r1_05", label: "R1@0.5", alias: "R1@0.5" },
  { key: "r1_07", label: "R1@0.7", alias: "R1@0.7" },
  { key: "miou", label: "mIoU", alias: "mIoU" },
  // held-out sentences without times: is the sentence's own video ranked first / in the top 5?
  { key: "videoR1", label: "Video R1", alias: "video_r1" },
  { key: "videoR5", label: "Video R5", alias: "video_r5" },
] as const;
export type MetricKey = (typeof METRICS)[number]["key"];

/** Where a version was measured: the library's annotated spans, or the held-out part of its sentences. */
export const SPLITS = [
  { key: "annotated", label: "Annotated spans", hint: "accepted and corrected spans of the review" },
  { key: "heldOut", label: "Held-out sentences", hint: "the sentences set aside from training" },
] as const;
export type SplitKey = (typeof SPLITS)[number]["key"];

/** One split's numbers, in percent (null: not measurable, e.g. no annotated spans), over `n` items. */
export interface MetricSet {
  n: number | null;
  values: Record<MetricKey, number | null>;
}

export interface ParsedMetrics {
  annotated: MetricSet | null;
  heldOut: MetricSet | null;
  /** the active version measured alongside, on the same data, when the trainer stored it */
  baseline: { version: number | null; annotated: MetricSet | null; heldOut: MetricSet | null } | null;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const finite = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function metricSet(raw: unknown): MetricSet | null {
  if (!isObj(raw)) return null;
  const values = Object.fromEntries(
    METRICS.map((m) => [m.key, finite(raw[m.key]) ?? finite(raw[m.alias]) ?? finite(raw[m.key.toUpperCase()])]),
  ) as Record<MetricKey, number | null>;
  // held-out sentences may have no times (n = 0) and still be ranked
  const n = finite(raw.n) || finite(raw.ranked) || finite(raw.count);
  if (n === null && METRICS.every((m) => values[m.key] === null)) return null;
  return { n, values };
}

function splits(raw: Obj): Pick<ParsedMetrics, "annotated" | "heldOut"> {
  return {
    annotated: metricSet(raw.annotated),
    heldOut: metricSet(raw.heldOut ?? raw.held_out ?? raw.heldout),
  };
}

/** A version's `metrics` (`{annotated, heldOut}` and, when stored, the active version's on the same data). */
export function parseMetrics(raw: unknown): ParsedMetrics {
  if (!isObj(raw)) return { annotated: null, heldOut: null, baseline: null };
  const base = [raw.baseline, raw.active, raw.parent, raw.against, raw.compared].find(isObj);
  return {
    ...splits(raw),
    baseline: base
      ? { version: versionNumber(base.version), ...splits(isObj(base.metrics) ? base.metrics : base) }
      : null,
  };
}

/**
 * Where a version's moment confidence comes from, in a sentence (null when the trainer stored
 * nothing: version 1, whose fit ships with it): fitted on the library's annotated spans, carried
 * over from the parent's fit (too few spans to fit one), or none (search's uncalibrated stand-in).
 */
export function calibrationWords(raw: unknown): string | null {
  if (!isObj(raw) || !isObj(raw.calibration)) return null;
  const c = raw.calibration;
  const spans = typeof c.spans === "number" ? c.spans : 0;
  const threshold = typeof c.threshold === "number" ? ` "No good match" below ${Math.round(c.threshold * 100)} %.` : "";
  const plural = (n: number) => `${n} annotated span${n === 1 ? "" : "s"}`;
  if (c.source === "library") {
    const ece = typeof c.ece === "number" ? ` (calibration error ${c.ece.toFixed(3)} on them)` : "";
    return `Confidence fitted for this version on ${plural(spans)} of this library${ece}.${threshold}`;
  }
  if (c.source === "inherited") {
    const need = typeof c.minSpans === "number" ? `; ${c.minSpans} are needed to fit one for this version` : "";
    return `Confidence uses the parent version's calibration: the library has ${plural(spans)}${need}. Annotate more spans and retrain to refit it.${threshold}`;
  }
  const reason = typeof c.reason === "string" ? `: ${c.reason}` : "";
  return `Confidence is uncalibrated for this version${reason}.`;
}

/** What a version's numbers are compared with. */
export interface Comparison {
  version: number;
  annotated: MetricSet | null;
  heldOut: MetricSet | null;
  /** measured in the same evaluation run (the fair comparison), or the active version's own stored numbers */
  sameRun: boolean;
}

/**
 * The numbers to put next to a version's: the version it was measured against in the same
 * evaluation, when the trainer stored them (kept once it is active itself: what it
 * replaced); else the active version's own numbers. None for the active version without
 * stored ones, and none when there is nothing to compare with.
 */
export function comparisonFor(
  v: Pick<ModelVersion, "version" | "metrics">,
  active: Pick<ModelVersion, "version" | "metrics"> | null,
): Comparison | null {
  const own = parseMetrics(v.metrics);
  const base = own.baseline;
  if (base && (base.annotated || base.heldOut) && base.version !== v.version) {
    const version = base.version ?? (active && active.version !== v.version ? active.version : null);
    if (version !== null) return { version, annotated: base.annotated, heldOut: base.heldOut, sameRun: true };
  }
  if (!active || v.version === active.version) return null;
  const theirs = parseMetrics(active.metrics);
  if (!theirs.annotated && !theirs.heldOut) return null;
  return { version: active.version, annotated: theirs.annotated, heldOut: theirs.heldOut, sameRun: false };
}

/** A metric in percent with one decimal: "45.2%"; "—" when not measured. */
export function formatMetric(value: number | null | undefined): string {
  return value == null || !Number.isFinite(value) ? "—" : `${value.toFixed(1)}%`;
}

/** The difference in percentage points, rounded to one decimal (null when either side is missing). */
export function metricDelta(value: number | null | undefined, other: number | null | undefined): number | null {
  if (value == null || other == null || !Number.isFinite(value) || !Number.isFinite(other)) return null;
  const d = Math.round((value - other) * 10) / 10;
  return Object.is(d, -0) ? 0 : d;
}

/** "+2.8", "−1.0", "±0.0": signed, with a real minus sign. */
export function formatDelta(delta: number | null): string {
  if (delta === null) return "";
  if (delta === 0) return "±0.0";
  return `${delta > 0 ? "+" : "−"}${Math.abs(delta).toFixed(1)}`;
}

export type DeltaTone = "better" | "worse" | "same";

export function deltaTone(delta: number | null): DeltaTone {
  return delta === null || delta === 0 ? "same" : delta > 0 ? "better" : "worse";
}

/** For screen readers: "2.8 points more than version 1 (45.2%)". */
export function deltaWords(delta: number | null, otherVersion: number, other: number | null): string {
  const theirs = `version ${otherVersion} (${formatMetric(other)})`;
  if (delta === null) return `version ${otherVersion}: ${formatMetric(other)}`;
  if (delta === 0) return `the same as ${theirs}`;
  return `${Math.abs(delta).toFixed(1)} points ${delta > 0 ? "more" : "less"} than ${theirs}`;
}

// ——— training data ———

const DATA_LABELS: Record<string, string> = {
  videos: "Videos",
  sentences: "Sentences",
  heldOut: "Held out for evaluation",
  held_out: "Held out for evaluation",
  train: "Trained on",
  training: "Trained on",
  descriptions: "typed descriptions",
  subtitles: "subtitles",
  datasets: "imported datasets",
  review: "review items",
  annotated: "Annotated spans",
  annotatedSpans: "Annotated spans to evaluate on",
  bySource: "Sentences by source",
  heldOutSentences: "Held-out sentences",
  resumes: "Resumed after a stop",
};

function dataLabel(key: string): string {
  const known = DATA_LABELS[key];
  if (known) return known;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The field that names a list item ({source, videos, sentences}, {model, step, at}), if any. */
function namedBy(item: Obj): "source" | "model" | "name" | null {
  for (const key of ["source", "model", "name"] as const) if (typeof item[key] === "string") return key;
  return null;
}

/** "By source · subtitles" → "3 videos, 12 sentences"; "Resumes · CPL grounder" → "step 30, at …". */
function namedRow(label: string, item: Obj): [string, string] {
  const key = namedBy(item)!;
  const name = item[key] as string;
  const shown = key === "model" ? modelName(name) : (DATA_LABELS[name] ?? name);
  const rest = Object.entries(item)
    .filter(([k]) => k !== key)
    .flatMap(([k, v]) => {
      const what = dataLabel(k).toLowerCase();
      if (typeof v === "number" && Number.isFinite(v))
        // a count reads "12 sentences", anything else "step 30"
        return [k.endsWith("s") ? `${v.toLocaleString("en")} ${v === 1 ? what.slice(0, -1) : what}` : `${what} ${v}`];
      if (typeof v !== "string" || v === "") return [];
      const time = /^\d{4}-\d\d-\d\dT/.test(v) ? new Date(v) : null;
      return [`${what} ${time && !Number.isNaN(time.getTime()) ? time.toLocaleString() : v}`];
    });
  return [`${label} · ${shown}`, rest.join(", ") || "—"];
}

/**
 * A version's `data` (counts of videos, sentences per source, the held-out split; its
 * shape is the trainer's) as rows to list: nested counts under their parent's name
 * ("Sentences · subtitles: 12"), numbers in English digits, lists joined.
 */
export function dataRows(data: Record<string, unknown>, prefix = ""): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(data)) {
    const label = prefix ? `${prefix} · ${DATA_LABELS[key] ?? dataLabel(key).toLowerCase()}` : dataLabel(key);
    if (typeof value === "number" && Number.isFinite(value)) out.push([label, value.toLocaleString("en")]);
    else if (typeof value === "string" && value !== "") out.push([label, value]);
    else if (typeof value === "boolean") out.push([label, value ? "yes" : "no"]);
    else if (Array.isArray(value)) {
      const items = value.filter((x) => typeof x === "string" || typeof x === "number");
      if (items.length === value.length && items.length > 0) out.push([label, items.join(", ")]);
      else if (value.length > 0 && value.length <= 10 && value.every((x) => isObj(x) && namedBy(x) !== null))
        for (const item of value as Obj[]) out.push(namedRow(label, item));
      else if (value.length > 0)
        out.push([label, `${value.length.toLocaleString("en")} item${value.length === 1 ? "" : "s"}`]);
    } else if (isObj(value)) out.push(...dataRows(value, label));
  }
  return out;
}

// ——— loss curve ———

export interface CurveSeries {
  model: string;
  label: string;
  /** by step, ascending */
  points: { step: number; loss: number }[];
  first: number;
  latest: number;
  lowest: number;
}

/** One series per component, in the order the components first appear, each sorted by step. */
export function curveSeries(curve: CurvePoint[]): CurveSeries[] {
  const by = new Map<string, { step: number; loss: number }[]>();
  for (const p of curve) {
    if (!Number.isFinite(p.step) || !Number.isFinite(p.loss)) continue;
    const list = by.get(p.model);
    if (list) list.push({ step: p.step, loss: p.loss });
    else by.set(p.model, [{ step: p.step, loss: p.loss }]);
  }
  return [...by].map(([model, points]) => {
    points.sort((a, b) => a.step - b.step);
    return {
      model,
      label: modelName(model),
      points,
      first: points[0].loss,
      latest: points[points.length - 1].loss,
      lowest: Math.min(...points.map((p) => p.loss)),
    };
  });
}

/** A loss for people: 3 significant digits ("0.0123", "1.23", "12.3"). */
export function formatLoss(loss: number): string {
  if (!Number.isFinite(loss)) return "—";
  if (loss === 0) return "0";
  return Math.abs(loss) >= 1000 ? loss.toFixed(0) : String(Number(loss.toPrecision(3)));
}

// ——— other pages' answers ———

/**
 * The model version a video's stored vectors came from: GET /api/videos/:id's
 * `clipsModelVersion` (`modelVersion` is the encoder's name, unless a server gives a number there).
 */
export function videoModelVersion(video: unknown): number | null {
  if (!isObj(video)) return null;
  return versionNumber(video.clipsModelVersion) ?? versionNumber(video.modelVersion);
}

/** The version that answered a search (the response's `models.version`). */
export function searchModelVersion(result: unknown): number | null {
  if (!isObj(result) || !isObj(result.models)) return null;
  return versionNumber(result.models.version);
}

/** /api/health's `models`: the version in use, and the switch in progress. */
export function healthModelState(models: unknown): { version: number | null; pending: PendingSwitch | null } {
  if (!isObj(models)) return { version: null, pending: null };
  const version = versionNumber(isObj(models.version) ? models.version.version : models.version);
  return { version, pending: toPending(models.pending) };
}
