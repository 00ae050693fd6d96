/** A small scorer architecture and a hand-made batch for the relevance scorer's unit tests. */
import { Rng } from "../core/rng";
import type { Corpus } from "../data/corpus";
import type { LocVtpModel } from "../locvtp/model";
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

/** Four videos of random low-level features (5–8 clips) for the LocVTP model, with the given sentences each. */
export function tinyCorpus(loc: LocVtpModel, sentencesOf: (i: number) => string[]): Corpus {
  const rng = new Rng(2);
  const videos = Array.from({ length: 4 }, (_, i) => {
    const nClips = 5 + i;
    return {
      id: `v${i}`,
      nClips,
      duration: nClips,
      feats: new Float32Array(nClips * 4 * loc.cfg.clip.frameDim).map(() => rng.next()),
    };
  });
  const sentences = new Map(videos.map((v, i) => [v.id, sentencesOf(i)]));
  return { dir: "", videos, byId: new Map(videos.map((v) => [v.id, v])), queries: [], sentences } as unknown as Corpus;
}
