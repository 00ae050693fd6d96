/**
 * Moment-retrieval metrics as used in the literature (datasets.md §2). Pure functions;
 * all results are percentages (0–100) except `iou`, which is a fraction.
 */

export interface Span {
  start: number;
  end: number;
}

export interface VideoSpan extends Span {
  video: string;
}

export const RANKS = [1, 5] as const;
export const IOU_THRESHOLDS = [0.3, 0.5, 0.7] as const;
export const METRIC_KEYS = ["R1@0.3", "R1@0.5", "R1@0.7", "R5@0.3", "R5@0.5", "R5@0.7", "mIoU"] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];
/** One method's results, in percent. */
export type MetricRow = Record<MetricKey, number>;

/** A query's ground truth and its predictions, best first (grounding in one video). */
export interface GroundingSample {
  gt: Span;
  predictions: Span[];
}

/** Corpus moment retrieval: predictions range over every video of the dataset. */
export interface CorpusSample {
  gt: VideoSpan;
  predictions: VideoSpan[];
}

/** Overlap / union of two spans; 0 when disjoint or when the union has no length. */
export function iou(a: Span, b: Span): number {
  const inter = Math.min(a.end, b.end) - Math.max(a.start, b.start);
  if (inter <= 0) return 0;
  const union = Math.max(a.end, b.end) - Math.min(a.start, b.start);
  return union > 0 ? inter / union : 0;
}

function corpusIoU(gt: VideoSpan, p: VideoSpan): number {
  return p.video === gt.video ? iou(gt, p) : 0;
}

/** Percentage of samples with a top-n prediction scoring >= m. */
function recall<P, S extends { predictions: readonly P[] }>(
  samples: readonly S[],
  n: number,
  m: number,
  score: (s: S, p: P) => number,
): number {
  if (samples.length === 0) return Number.NaN;
  let hits = 0;
  for (const s of samples) {
    const top = s.predictions.slice(0, n);
    // A tiny tolerance so that e.g. IoU exactly 0.7 computed as 0.6999999 still counts.
    if (top.some((p) => score(s, p) >= m - 1e-9)) hits++;
  }
  return (100 * hits) / samples.length;
}

/** R@n, IoU=m for grounding, in percent (NaN for an empty list). */
export function recallAtN(samples: readonly GroundingSample[], n: number, m: number): number {
  return recall<Span, GroundingSample>(samples, n, m, (s, p) => iou(s.gt, p));
}

/** Mean IoU of the top-1 prediction, in percent; a query with no prediction counts as 0. */
export function meanIoU(samples: readonly GroundingSample[]): number {
  if (samples.length === 0) return Number.NaN;
  let sum = 0;
  for (const s of samples) sum += s.predictions.length ? iou(s.gt, s.predictions[0]) : 0;
  return (100 * sum) / samples.length;
}

function row(r: (n: number, m: number) => number, miou: number): MetricRow {
  const out = {} as MetricRow;
  for (const n of RANKS) for (const m of IOU_THRESHOLDS) out[`R${n}@${m}` as MetricKey] = r(n, m);
  out.mIoU = miou;
  return out;
}

/** Every metric of datasets.md §2 for grounding (the query searched in its own video). */
export function evaluateGrounding(samples: readonly GroundingSample[]): MetricRow {
  return row((n, m) => recallAtN(samples, n, m), meanIoU(samples));
}

/** Corpus moment retrieval: a hit needs the right video AND IoU >= m. */
export function evaluateCorpus(samples: readonly CorpusSample[]): MetricRow {
  let miou = Number.NaN;
  if (samples.length) {
    let sum = 0;
    for (const s of samples) sum += s.predictions.length ? corpusIoU(s.gt, s.predictions[0]) : 0;
    miou = (100 * sum) / samples.length;
  }
  return row((n, m) => recall<VideoSpan, CorpusSample>(samples, n, m, (s, p) => corpusIoU(s.gt, p)), miou);
}

export interface TableRow {
  method: string;
  metrics: MetricRow;
  /** number of queries the row was computed over */
  queries: number;
}

/**
 * A fixed-width text table: one row per method, the seven metric columns with two
 * decimals, and the query count (datasets.md §2 asks for it with every report).
 */
export function formatMetricsTable(
  rows: readonly TableRow[],
  opts: { title?: string; markdown?: boolean } = {},
): string {
  const header = ["Method", ...METRIC_KEYS, "Queries"];
  const body = rows.map((r) => [
    r.method,
    ...METRIC_KEYS.map((k) => (Number.isFinite(r.metrics[k]) ? r.metrics[k].toFixed(2) : "n/a")),
    String(r.queries),
  ]);
  const lines: string[] = [];
  if (opts.title) lines.push(opts.title);
  if (opts.markdown) {
    lines.push(`| ${header.join(" | ")} |`);
    lines.push(`|${header.map((_, i) => (i === 0 ? " --- " : " ---: ")).join("|")}|`);
    for (const b of body) lines.push(`| ${b.join(" | ")} |`);
    return lines.join("\n");
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  lines.push(fmt(header));
  lines.push(widths.map((w) => "-".repeat(w)).join("  "));
  for (const b of body) lines.push(fmt(b));
  return lines.join("\n");
}
