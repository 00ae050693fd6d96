/**
 * Each model version measured against what annotators said: an accepted span is the
 * ground truth equal to the prediction, a corrected span is the ground truth the
 * prediction is compared with; rejected items have no span and do not count. The metrics
 * are `npm run eval`'s own (ml/data/metrics.ts), so the two always agree: an exported
 * dataset carries each prediction, and `npm run eval` on it prints the same numbers.
 */
import {
  listJudged,
  type Decision,
  type JudgedAnnotation,
  type ReviewSource,
  type SpanRow,
} from "@/db/repositories/review";
import { evaluateGrounding, iou } from "@/ml/data/metrics";
import type { Context } from "../context";
import { agreementOverall } from "./agreement";

/** R1 at IoU 0.3/0.5/0.7 and mean IoU, in percent (2 decimals), over `count` judged spans. */
export interface Scores {
  count: number;
  "R1@0.3": number;
  "R1@0.5": number;
  "R1@0.7": number;
  mIoU: number;
}

export interface VersionScore extends Scores {
  modelVersion: string;
}

export interface SourceScore extends VersionScore {
  source: ReviewSource;
}

/** Cumulative scores of a version up to the end of a UTC day. */
export interface DayScore extends VersionScore {
  /** "YYYY-MM-DD" */
  day: string;
}

/** A judged span far from the model's prediction. */
export interface Miss {
  itemId: string;
  videoId: string;
  videoName: string;
  sentence: string;
  modelVersion: string;
  source: ReviewSource;
  prediction: SpanRow;
  span: SpanRow;
  /** 0–1 */
  iou: number;
}

export interface Evaluation {
  versions: VersionScore[];
  bySource: SourceScore[];
  timeline: DayScore[];
  /** lowest IoU first, at most 20 */
  worst: Miss[];
  /** mean pairwise IoU (0–1) over items with two or more judged spans */
  agreement: { overall: number | null; items: number };
  /** live decisions */
  decisions: Record<Decision, number>;
}

type Judged = Pick<JudgedAnnotation, "modelVersion" | "prediction" | "span">;

const round2 = (x: number) => Math.round(x * 100) / 100;

/** R1@0.3/0.5/0.7 and mIoU in percent with two decimals, as `npm run eval` prints them. */
export function scoreSpans(judged: readonly Judged[]): Scores {
  const samples = judged.filter((a) => a.span).map((a) => ({ gt: a.span!, predictions: [a.prediction] }));
  const m = evaluateGrounding(samples);
  return {
    count: samples.length,
    "R1@0.3": round2(m["R1@0.3"]),
    "R1@0.5": round2(m["R1@0.5"]),
    "R1@0.7": round2(m["R1@0.7"]),
    mIoU: round2(m.mIoU),
  };
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = out.get(k);
    if (list) list.push(x);
    else out.set(k, [x]);
  }
  return out;
}

export function scoreVersions(judged: readonly Judged[]): VersionScore[] {
  return [
    ...groupBy(
      judged.filter((a) => a.span),
      (a) => a.modelVersion,
    ),
  ]
    .map(([modelVersion, list]) => ({ modelVersion, ...scoreSpans(list) }))
    .sort((a, b) => a.modelVersion.localeCompare(b.modelVersion));
}

/**
 * The predictions an exported dataset carries (`prediction` and `modelVersion` beside
 * each query's span), scored per model version exactly as the dashboard scores them.
 */
export function scoreRecordedPredictions(doc: unknown): VersionScore[] {
  const queries = (doc as { queries?: unknown[] } | null)?.queries;
  if (!Array.isArray(queries)) return [];
  const judged: Judged[] = [];
  for (const q of queries as Record<string, unknown>[]) {
    const p = q.prediction as { start?: unknown; end?: unknown } | undefined;
    if (typeof q.modelVersion !== "string" || typeof p?.start !== "number" || typeof p.end !== "number") continue;
    if (typeof q.start !== "number" || typeof q.end !== "number") continue;
    judged.push({
      modelVersion: q.modelVersion,
      prediction: { start: p.start, end: p.end },
      span: { start: q.start, end: q.end },
    });
  }
  return scoreVersions(judged);
}

export function evaluateJudged(all: readonly JudgedAnnotation[], o: { worst?: number } = {}): Evaluation {
  const judged = all.filter((a) => a.span && a.decision !== "reject");
  const decisions: Record<Decision, number> = { accept: 0, correct: 0, reject: 0 };
  for (const a of all) decisions[a.decision]++;
  const bySource = [...groupBy(judged, (a) => `${a.modelVersion}\u0000${a.source}`)]
    .map(([, list]) => ({ modelVersion: list[0].modelVersion, source: list[0].source, ...scoreSpans(list) }))
    .sort((a, b) => a.modelVersion.localeCompare(b.modelVersion) || a.source.localeCompare(b.source));
  // cumulative per day: the curve shows how the measurement settles as spans come in
  const timeline: DayScore[] = [];
  for (const [modelVersion, list] of groupBy(judged, (a) => a.modelVersion)) {
    const days = [...new Set(list.map((a) => a.createdAt.toISOString().slice(0, 10)))].sort();
    for (const day of days)
      timeline.push({
        day,
        modelVersion,
        ...scoreSpans(list.filter((a) => a.createdAt.toISOString().slice(0, 10) <= day)),
      });
  }
  timeline.sort((a, b) => a.day.localeCompare(b.day) || a.modelVersion.localeCompare(b.modelVersion));
  const worst = judged
    .map((a) => ({
      itemId: a.itemId,
      videoId: a.videoId,
      videoName: a.videoName,
      sentence: a.sentence,
      modelVersion: a.modelVersion,
      source: a.source,
      prediction: a.prediction,
      span: a.span!,
      iou: iou(a.prediction, a.span!),
    }))
    .sort((a, b) => a.iou - b.iou || a.itemId.localeCompare(b.itemId))
    .slice(0, o.worst ?? 20);
  const { overall, items } = agreementOverall(
    new Map([...groupBy(judged, (a) => a.itemId)].map(([k, list]) => [k, list.map((a) => a.span!)])),
  );
  return { versions: scoreVersions(judged), bySource, timeline, worst, agreement: { overall, items }, decisions };
}

export async function evaluation(ctx: Context): Promise<Evaluation> {
  return evaluateJudged(await listJudged(ctx.db, ["accept", "correct", "reject"]));
}
