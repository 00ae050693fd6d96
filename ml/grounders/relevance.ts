/**
 * "relevance": spans read off the relevance scorer's per-token scores (relevanceSpans), and each
 * video's score from the same pass. Videos whose clips lack the scorer's features go to the
 * fallback grounder (CPL's vote) instead of failing the whole request.
 */
import type { LoadedRelevance } from "../relevance/load";
import { relevanceSpans } from "../relevance/readout";
import { hasRelevanceFeatures, tokenScores, videoScore } from "../relevance/scores";
import type { Grounder, Grounding } from "../types";

export function relevanceGrounder(rel: LoadedRelevance, fallback: Grounder | null): Grounder {
  const { model } = rel;
  const N = model.cfg.nTokens;
  return {
    method: "relevance",
    version: rel.version,
    ground(sentence, videos, opts = {}) {
      const topK = Math.max(1, opts.topK ?? 5);
      const out: (Grounding | null)[] = videos.map(() => null);
      const features = videos.map((v) => v.clips.map((c) => c.relevance));
      const usable = videos
        .map((v, i) => ({ v, i }))
        .filter(({ v, i }) => v.clips.length > 0 && v.durationSeconds > 0 && hasRelevanceFeatures(model, features[i]));
      if (usable.length > 0) {
        const sc = tokenScores(
          model,
          sentence,
          usable.map(({ i }) => features[i]),
        );
        usable.forEach(
          ({ v, i }, b) =>
            (out[i] = {
              spans: relevanceSpans(sc.subarray(b * N, (b + 1) * N), v.durationSeconds, topK),
              videoScore: videoScore(sc, b, N),
            }),
        );
      }
      const rest = videos.map((v, i) => ({ v, i })).filter(({ i }) => !out[i]);
      const other =
        rest.length && fallback
          ? fallback.ground(
              sentence,
              rest.map(({ v }) => v),
              opts,
            )
          : [];
      rest.forEach(({ i }, j) => (out[i] = other[j] ?? { spans: [], videoScore: null }));
      return out as Grounding[];
    },
  };
}
