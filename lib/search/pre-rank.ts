/**
 * Stage 2, pre-rank: LocVTP's neighbours miss many right videos (docs/experiments/
 * 010-search-candidates.md), so when a relevance scorer is installed its cheap first pass (one
 * ensemble member, reading a slice of the stored relevance features) re-ranks a larger pool,
 * and only the best few go on to grounding.
 */
import type { VideoRanker } from "@/ml/types";

export interface PreRankOptions {
  /** how many candidates go on to grounding */
  keep: number;
  ranker: VideoRanker | null;
  /** the first `dims` relevance features of each clip of these videos (the repository's query) */
  relevancePrefixes: (videoIds: string[], dims: number) => Promise<Map<string, Float32Array[]>>;
}

/** The `keep` best of the pool; videos the first pass cannot score keep their order after the scored ones. */
export async function preRank(sentence: string, pool: string[], o: PreRankOptions): Promise<string[]> {
  const { ranker } = o;
  if (pool.length <= o.keep || !ranker || ranker.firstPassDims <= 0) return pool.slice(0, o.keep);
  const prefixes = await o.relevancePrefixes(pool, ranker.firstPassDims);
  const withFeatures = pool.filter((id) => (prefixes.get(id)?.length ?? 0) > 0);
  const scores = ranker.firstPass(
    sentence,
    withFeatures.map((id) => prefixes.get(id)!),
  );
  const rank = new Map(withFeatures.map((id, i) => [id, scores[i] ?? -Infinity]));
  // a stable sort: equal scores (also both −∞) keep the pool's order
  return [...pool].sort((a, b) => compareDesc(rank.get(a) ?? -Infinity, rank.get(b) ?? -Infinity)).slice(0, o.keep);
}

/** sort comparator, higher first; equal (also both −∞) keeps the order */
function compareDesc(a: number, b: number): number {
  return a > b ? -1 : a < b ? 1 : 0;
}
