/**
 * "relevance": spans read off the relevance scorer's per-token scores (relevanceSpans), and each
 * video's score from the same pass. Videos whose clips lack the scorer's features go to the
 * fallback grounder (CPL's vote) instead of failing the whole request.
 */
import type { LoadedRelevance } from "../relevance/load";
import { relevanceSpans } from "../relevance/readout";
import { scoreReadable, videoScore } from "../relevance/scores";
import type { Grounder, Grounding } from "../types";
import { fillFromFallback } from "./fallback";

export function relevanceGrounder(rel: LoadedRelevance, fallback: Grounder | null): Grounder {
  const { model } = rel;
  const N = model.cfg.nTokens;
  return {
    method: "relevance",
    version: rel.version,
    ground(sentence, videos, opts = {}) {
      const topK = Math.max(1, opts.topK ?? 5);
      const out: (Grounding | null)[] = videos.map(() => null);
      const { usable, scores: sc } = scoreReadable(model, sentence, videos);
      if (usable.length > 0) {
        usable.forEach(
          ({ v, i }, b) =>
            (out[i] = {
              spans: relevanceSpans(sc.subarray(b * N, (b + 1) * N), v.durationSeconds, topK),
              videoScore: videoScore(sc, b, N),
            }),
        );
      }
      return fillFromFallback(out, videos, fallback, sentence, opts);
    },
  };
}
