/**
 * Each model version measured against what annotators said: an accepted span is the
 * ground truth equal to the prediction, a corrected span is the ground truth the
 * prediction is compared with; rejected items have no span and do not count. The metrics
 * are `npm run eval`'s own (ml/data/metrics.ts), so the two always agree.
 */
import { listJudgedSpans } from "@/db/repositories/review";
import { evaluateGrounding, type GroundingSample } from "@/ml/data/metrics";
import type { Context } from "../context";

export interface VersionScore {
  modelVersion: string;
  count: number;
  "R1@0.3": number;
  "R1@0.5": number;
  "R1@0.7": number;
  mIoU: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function scoreVersions(judged: { modelVersion: string; prediction: { start: number; end: number }; span: { start: number; end: number } | null }[]): VersionScore[] {
  const byVersion = new Map<string, GroundingSample[]>();
  for (const a of judged) {
    if (!a.span) continue;
    const list = byVersion.get(a.modelVersion) ?? [];
    list.push({ gt: a.span, predictions: [a.prediction] });
    byVersion.set(a.modelVersion, list);
  }
  return [...byVersion.entries()]
    .map(([modelVersion, samples]) => {
      const m = evaluateGrounding(samples);
      return { modelVersion, count: samples.length, "R1@0.3": round2(m["R1@0.3"]), "R1@0.5": round2(m["R1@0.5"]), "R1@0.7": round2(m["R1@0.7"]), mIoU: round2(m.mIoU) };
    })
    .sort((a, b) => a.modelVersion.localeCompare(b.modelVersion));
}

export async function evaluation(ctx: Context): Promise<{ versions: VersionScore[] }> {
  return { versions: scoreVersions(await listJudgedSpans(ctx.db)) };
}
