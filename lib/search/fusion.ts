/**
 * How search combines its evidence (pure functions).
 *
 * - Within a video, the grounder picks the span; the span's own evidence is the mean
 *   cosine similarity between the query and the clips it covers (`spanSimilarity`).
 * - Across videos, moments from the vector pipeline are ordered by the relevance scorer's
 *   video score (log-mean-exp of its per-clip logits; it is trained to pick the video a
 *   sentence belongs to) when every candidate has relevance features; otherwise by
 *   `0.6 · span similarity + 0.4 · best clip similarity in the video`.
 * - Subtitle/caption hits (full-text search) form a second ranked list. The two lists are
 *   merged with reciprocal rank fusion, RRF(m) = Σ_lists 1 / (k + rank), k = 60; a cue and
 *   a grounded span of the same video that overlap count as one moment, whose span comes
 *   from the list that ranked it higher (the stronger evidence); ties go to the first list.
 */
import { meanClipSimilarity } from "@/ml/calibration/evidence";

export const RRF_K = 60;

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Mean query·clip similarity over the clips overlapping [start, end) (seconds): the calibrator's evidence, the same function. */
export const spanSimilarity = meanClipSimilarity;

export function vectorMomentScore(spanSim: number, bestClipSim: number): number {
  return 0.6 * spanSim + 0.4 * bestClipSim;
}

export function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return Math.min(a.end, b.end) > Math.max(a.start, b.start);
}

export interface Ranked<T> {
  item: T;
  score: number;
  /** the item as each list had it (undefined where a list did not) */
  members: (T | undefined)[];
}

/**
 * Reciprocal rank fusion of several best-first lists. `same` says when items of
 * different lists are the same moment; the fused entry keeps the item from the list
 * that ranked it best (earlier list on ties).
 */
export function reciprocalRankFusion<T>(lists: T[][], same: (a: T, b: T) => boolean, k = RRF_K): Ranked<T>[] {
  const fused: (Ranked<T> & { best: number })[] = [];
  lists.forEach((list, li) => {
    list.forEach((item, rank) => {
      const contribution = 1 / (k + rank + 1);
      const existing = fused.find((f) => f.members[li] === undefined && same(f.item, item));
      if (existing) {
        existing.score += contribution;
        existing.members[li] = item;
        if (contribution > existing.best) {
          existing.item = item;
          existing.best = contribution;
        }
      } else {
        const members: (T | undefined)[] = lists.map(() => undefined);
        members[li] = item;
        fused.push({ item, score: contribution, members, best: contribution });
      }
    });
  });
  return fused.sort((a, b) => b.score - a.score).map(({ item, score, members }) => ({ item, score, members }));
}
