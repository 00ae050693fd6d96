/**
 * CPL-format grounders: "cpl-vote" (CPL*: the proposals' IoU vote, one batched pass for all
 * videos), "cpl-loss" (CPL: the lowest completion loss, per video), and the baselines trained by
 * the same code ("single-gaussian", "upper-bound"), which rank by vote.
 */
import { groundManyWithModel, type ProposalRanking } from "../cpl/ground";
import type { LoadedCpl } from "../cpl/load";
import type { GroundMethod, Grounder } from "../types";

export function cplGrounder(method: GroundMethod, cpl: LoadedCpl, ranking: ProposalRanking): Grounder {
  return {
    method,
    version: cpl.version,
    ground(sentence, videos, opts = {}) {
      return groundManyWithModel(cpl.model, sentence, videos, { method: ranking, topK: opts.topK }).map((spans) => ({
        spans,
        videoScore: null,
      }));
    },
  };
}
