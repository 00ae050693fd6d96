/**
 * "boundary-rerank": the boundary upper bound's proposals (the CPL-format grounder trained with
 * timestamps on the Shapes corpus, reading the LocVTP embeddings and the relevance scorer's
 * token evidence: models/baselines/supervised, docs/experiments/020) ranked by their head score
 * + β × the relevance scorer's mass readout of each (ml/relevance/readout.ts rerankByMass). The
 * head proposes the moment among its five far more often than the scorer's own readout does
 * (R5@0.5 ≈ 81–83 against ≈ 62), and the scorer's readout objective picks among them better than
 * the head's own scores. Each video's score is the scorer's, as for "relevance". The head costs
 * ≈ 6 ms a video here (the scorer ≈ 1), so in a call with many videos (search grounds ≈ 12
 * candidates) only the best BOUNDARY_VIDEOS by the scorer's video score get its proposals; the
 * others get the scorer's own spans (relevanceSpans), as "relevance" gives them. The calibration
 * is fitted on this grounder's spans as search meets them, so it sees the same mix. Videos whose
 * clips lack the scorer's features go to the fallback grounder.
 */
import { groundManyWithModel } from "../cpl/ground";
import type { LoadedCpl } from "../cpl/load";
import type { LoadedRelevance } from "../relevance/load";
import { relevanceSpans, rerankByMass } from "../relevance/readout";
import { scoreReadable, tokenEvidence, videoScore } from "../relevance/scores";
import type { Grounder, Grounding } from "../types";
import { fillFromFallback } from "./fallback";

/** The mass term's weight: the best of 0, 4, 8, 16, 32 on val (docs/experiments/020, "default grounder"). */
export const BOUNDARY_RERANK_BETA = 16;

/** Videos of one call (the best by the scorer's video score) that get the head's proposals. */
export const BOUNDARY_VIDEOS = 2;

export function boundaryRerankGrounder(
  rel: LoadedRelevance,
  boundary: LoadedCpl,
  fallback: Grounder | null,
  beta = BOUNDARY_RERANK_BETA,
): Grounder {
  const N = rel.model.cfg.nTokens;
  // a head that reads the scorer's evidence is handed the evidence computed here: both load the
  // scorer from the same models folder (registry, eval), so it is the one the head would compute
  const readsEvidence = boundary.model.cfg.simSource === "relevance-evidence";
  return {
    method: "boundary-rerank",
    version: boundary.version,
    ground(sentence, videos, opts = {}) {
      const topK = Math.max(1, opts.topK ?? 5);
      const out: (Grounding | null)[] = videos.map(() => null);
      const { usable, features, scores: sc } = scoreReadable(rel.model, sentence, videos);
      if (usable.length > 0) {
        const score = (b: number) => videoScore(sc, b, N);
        const best = usable
          .map((_, b) => b)
          .sort((a, b) => score(b) - score(a))
          .slice(0, BOUNDARY_VIDEOS);
        usable.forEach(({ v, i }, b) => {
          out[i] = {
            spans: relevanceSpans(sc.subarray(b * N, (b + 1) * N), v.durationSeconds, topK),
            videoScore: score(b),
          };
        });
        // the best videos: every proposal of the head (reading the scorer's evidence), then the best topK after the rerank
        const chosen = best.map((b) => usable[b]);
        const evidence = readsEvidence
          ? tokenEvidence(
              rel.model,
              sentence,
              chosen.map(({ i }) => features[i]),
            )
          : undefined;
        const proposals = groundManyWithModel(
          boundary.model,
          sentence,
          chosen.map(({ v }) => v),
          { topK: boundary.model.cfg.K, ...(evidence ? { similarity: evidence } : {}) },
        );
        best.forEach((b, j) => {
          const { v, i } = usable[b];
          out[i] = {
            spans: rerankByMass(proposals[j], sc.subarray(b * N, (b + 1) * N), v.durationSeconds, beta).slice(0, topK),
            videoScore: score(b),
          };
        });
      }
      return fillFromFallback(out, videos, fallback, sentence, opts);
    },
  };
}
