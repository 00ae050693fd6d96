/** A small scorer architecture and a hand-made batch for the relevance scorer's unit tests. */
import type { Rng } from "../core/rng";
import type { RelevanceBatch } from "./batch";
import type { RelevanceModel } from "./model";

export const SMALL = { slots: 6, slotInput: 4, hidden: 8, temporalKernel: 3, nTokens: 8, maxWords: 8, buckets: 256 };

/** Three videos of random slot inputs (5, 9, 12 clips) with two, one and two sentences. */
export function batch(model: RelevanceModel, rng: Rng): RelevanceBatch {
  const vid = (n: number) => ({
    slots: new Float32Array(n * 6 * model.cfg.slotInput).map(() => rng.normal()),
    nClips: n,
  });
  return {
    videos: [vid(5), vid(9), vid(12)],
    sentences: [
      "the red circle moves left",
      "a blue box grows",
      "the green dot appears",
      "a white block spins",
      "the red ball shrinks",
    ],
    group: [0, 0, 1, 2, 2],
  };
}
