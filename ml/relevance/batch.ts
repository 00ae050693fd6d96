/** One batch of the relevance scorer's weak training: videos, their sentences, and hard negatives. */
import { Rng } from "../core/rng";
import { OBJECT_COLOURS } from "../features/lowlevel";
import { parseSentence } from "../data/shapes/world";
import {
  flipSentence,
  flipSlots,
  permuteColours,
  permuteSlots,
  presentColours,
  reverseSentence,
  reverseSlots,
  type RelevanceAugment,
} from "./augment";

export interface RelevanceBatch {
  /** per video: standardised slot inputs [n_v · S · w] and its clip count */
  videos: { slots: Float32Array; nClips: number }[];
  /** sentences, grouped by video: group[i] = index of sentence i's video */
  sentences: string[];
  group: number[];
  /** (sentence, video) pairs left out of a sentence's softmax (a negative that may be a positive) */
  exclude?: [number, number][];
  /** the corpus ids of the batch's first videos (the sampled ones, before any colour-swapped copies) */
  ids?: string[];
  /**
   * hard negatives (hard-negatives.ts): sentences false in video `video`, each competing with
   * the true sentence `owner` (an index into `sentences`) for that video
   */
  negatives?: { sentence: string; video: number; owner: number }[];
}

/**
 * BV distinct videos with at least 2 sentences, up to PV distinct sentences of each (one
 * batch of the weak training); `slotsOf` gives a video's standardised slot inputs. Each
 * video and its sentences are augmented alike.
 */
export function sampleRelevanceBatch(
  ids: string[],
  sentences: Map<string, string[]>,
  slotsOf: (id: string) => { slots: Float32Array; nClips: number },
  BV: number,
  PV: number,
  rng: Rng,
  aug: RelevanceAugment = {},
): RelevanceBatch {
  const pick = rng.shuffle([...ids]).slice(0, BV);
  const b: RelevanceBatch = { videos: [], sentences: [], group: [], ids: pick };
  pick.forEach((id, v) => {
    const perm = aug.permuteColours ? rng.shuffle(OBJECT_COLOURS.map((_, i) => i)) : null;
    const mirror = aug.flip && rng.next() < 0.5 ? aug.flip : null;
    const backwards = aug.reverse && rng.next() < 0.5 ? aug.reverse : null;
    const vid = slotsOf(id);
    let slots = perm ? permuteSlots(vid.slots, vid.nClips, perm) : vid.slots;
    if (mirror) slots = flipSlots(slots, mirror.mean, mirror.std);
    if (backwards) slots = reverseSlots(slots, vid.nClips, backwards.mean, backwards.std);
    b.videos.push({ slots, nClips: vid.nClips });
    for (const s of rng.shuffle([...new Set(sentences.get(id) ?? [])]).slice(0, PV)) {
      let t: string | null = perm ? permuteColours(s, perm) : s;
      if (mirror) t = flipSentence(t);
      if (backwards) t = reverseSentence(t);
      if (t === null) continue;
      b.sentences.push(t);
      b.group.push(v);
    }
  });
  const neg = aug.colourSwapNegatives;
  if (neg) {
    const real = b.videos.length;
    for (let v = 0; v < Math.min(neg.videos, real); v++) {
      const { slots, nClips } = b.videos[v];
      const perm = rng.shuffle(OBJECT_COLOURS.map((_, i) => i));
      const shown = new Set(
        [...presentColours(slots, nClips, neg.mean, neg.std)].map((c) => OBJECT_COLOURS[perm[c]] as string),
      );
      const copy = b.videos.push({ slots: permuteSlots(slots, nClips, perm), nClips }) - 1;
      b.group.forEach((g, q) => {
        if (g !== v) return;
        const p = parseSentence(b.sentences[q]);
        if (!p || p.kind === "background" || !p.colour || shown.has(p.colour)) (b.exclude ??= []).push([q, copy]);
      });
    }
  }
  return b;
}
