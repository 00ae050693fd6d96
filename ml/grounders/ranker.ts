/** Video ranking by the relevance scorer: the full ensemble, and one member as a cheap first pass. */
import type { LoadedRelevance } from "../relevance/load";
import { editContrast } from "../relevance/contrast";
import { videoScores } from "../relevance/scores";
import type { VideoRanker } from "../types";

export function relevanceRanker(rel: LoadedRelevance): VideoRanker {
  const first = rel.model.member(0);
  return {
    version: rel.version,
    score: (sentence, videos) =>
      videoScores(
        rel.model,
        sentence,
        videos.map((clips) => clips.map((c) => c.relevance)),
      ),
    firstPassDims: first.featureDim,
    firstPass: (sentence, prefixes) => videoScores(first, sentence, prefixes),
    contrast: (sentence, videos) =>
      editContrast(
        rel.model,
        sentence,
        videos.map((v) => ({ features: v.clips.map((c) => c.relevance), duration: v.duration, spans: v.spans })),
      ),
  };
}
