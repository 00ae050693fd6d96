/**
 * Label-preserving augmentations of a (video, sentences) pair for the relevance scorer: the
 * Shapes world's symmetries, applied alike to the standardised slot inputs and to the words.
 */
import { COMP_STATS, N_COMP, OBJECT_COLOURS } from "../features/lowlevel";
import { N_SLOTS, SLOT_FEATURES, SLOT_STATS } from "../features/slots";
import { PHRASES, parseSentence } from "../data/shapes/world";

/** Label-preserving augmentations of a (video, sentences) pair: the world's symmetries. */
export interface RelevanceAugment {
  /** relabel object colours by a random permutation (permuteSlots + permuteColours) */
  permuteColours?: boolean;
  /** mirror left ↔ right with probability ½ (flipSlots + flipSentence); needs the slot standardisation */
  flip?: { mean: Float32Array; std: Float32Array };
  /**
   * play the video backwards with probability ½ (reverseSlots + reverseSentence: appears ↔
   * disappears, grows ↔ shrinks, left ↔ right, up ↔ down); sentences whose reversal is unknown
   * (colour changes: the earlier colour is not named) are left out of that step
   */
  reverse?: { mean: Float32Array; std: Float32Array };
  /**
   * hard negatives for colour binding: each of the first `videos` videos of a batch also enters
   * with its object colours relabelled and no sentences of its own. It shows the same events by
   * objects of other colours, so a sentence that names a colour no object has after the
   * relabelling must score lower there than in its own video. Sentences for which the copy may
   * still be true (no colour named, a background change, or the named colour still present) leave
   * it out of their softmax. Needs the slot standardisation to read which colours are present.
   */
  colourSwapNegatives?: { videos: number; mean: Float32Array; std: Float32Array };
}

/**
 * A recipe's augmentation names ("permute", "flip", "reverse", "swapneg"; ml/recipes) as the
 * trainer's options, with the slot standardisation the mirrored, reversed and colour-swapped
 * copies need; colour-swapped negatives for half of a batch of `videos`.
 */
export function augmentFromRecipe(
  names: readonly string[],
  videos: number,
  standardisation: { mean: Float32Array; std: Float32Array },
): RelevanceAugment {
  return {
    permuteColours: names.includes("permute"),
    flip: names.includes("flip") ? standardisation : undefined,
    reverse: names.includes("reverse") ? standardisation : undefined,
    colourSwapNegatives: names.includes("swapneg") ? { videos: Math.floor(videos / 2), ...standardisation } : undefined,
  };
}

/**
 * The object colours (slot indices) present in any clip of a video, from its standardised slot
 * inputs [n · S · w]: component 1's mean presence over the clip (raw units) above zero.
 */
export function presentColours(
  slots: Float32Array,
  nClips: number,
  mean: Float32Array,
  std: Float32Array,
): Set<number> {
  const w = mean.length;
  const out = new Set<number>();
  for (let i = 0; i < nClips; i++)
    for (let c = 0; c < OBJECT_COLOURS.length; c++)
      if (slots[(i * N_SLOTS + c) * w] * std[0] + mean[0] > 1e-3) out.add(c);
  return out;
}

/**
 * Where a slot's horizontal centroids sit among its standardised inputs (slotInputsT layout):
 * per block of SLOT_STATS values, component k has its presence at k·COMP_STATS and its cx two
 * further; blocks: mean, last − first, std over the clip, then (with context) the same over the window.
 */
function flipPairs(width: number): { p: number; x: number }[] {
  const out: { p: number; x: number }[] = [];
  for (let base = 0; base < width; base += SLOT_FEATURES)
    for (const blk of [0, SLOT_STATS])
      // mean and last − first flip; spreads (std) do not
      for (let k = 0; k < N_COMP; k++) out.push({ p: base + blk + k * COMP_STATS, x: base + blk + k * COMP_STATS + 2 });
  return out;
}

/**
 * Mirror a video left ↔ right in standardised slot inputs [n · S · w]. A present component's
 * x becomes 1 − x and an absent one's stays 0, i.e. x' = present − x per frame, so the mean
 * and the last − first of x map to those of presence minus x (in raw units: z·σ + μ).
 */
export function flipSlots(slots: Float32Array, mean: Float32Array, std: Float32Array): Float32Array {
  const w = mean.length;
  const pairs = flipPairs(w);
  const out = Float32Array.from(slots);
  const raw = (o: number, k: number) => slots[o + k] * std[k] + mean[k];
  for (let o = 0; o < out.length; o += w)
    for (const { p, x } of pairs) out[o + x] = Math.max(-6, Math.min(6, (raw(o, p) - raw(o, x) - mean[x]) / std[x]));
  return out;
}

/**
 * Play a video backwards in standardised slot inputs [n · S · w]: the clips in reverse order,
 * and every last − first statistic (of the clip and of its window) negated, in raw units
 * (z·σ + μ). A clip's mean and spread, and its window's, are the same played either way.
 */
export function reverseSlots(slots: Float32Array, nClips: number, mean: Float32Array, std: Float32Array): Float32Array {
  const w = mean.length;
  const row = slots.length / Math.max(nClips, 1);
  const out = new Float32Array(slots.length);
  for (let i = 0; i < nClips; i++) out.set(slots.subarray((nClips - 1 - i) * row, (nClips - i) * row), i * row);
  for (let o = 0; o < out.length; o += w)
    for (let base = 0; base < w; base += SLOT_FEATURES)
      for (let k = base + SLOT_STATS; k < base + 2 * SLOT_STATS; k++)
        out[o + k] = Math.max(-6, Math.min(6, (-(out[o + k] * std[k] + mean[k]) - mean[k]) / std[k]));
  return out;
}

const REVERSED_WORD: Record<string, string> = {
  left: "right",
  right: "left",
  upward: "downward",
  downward: "upward",
  up: "down",
  down: "up",
};

/**
 * The sentence that describes the same event played backwards: appears ↔ disappears, grows ↔
 * shrinks (synonym i ↔ synonym i), moves left ↔ right and up ↔ down; spins, blinks, bounces and
 * shakes read the same. null when the reversal is unknown: a colour change names only the new colour.
 */
export function reverseSentence(sentence: string): string | null {
  const p = parseSentence(sentence);
  if (!p || p.kind === "colour" || p.kind === "background") return null;
  if (p.kind === "move")
    return sentence
      .split(" ")
      .map((w) => REVERSED_WORD[w.toLowerCase()] ?? w)
      .join(" ");
  const pairs: [readonly string[], readonly string[]][] = [
    [PHRASES.appear, PHRASES.disappear],
    [PHRASES.disappear, PHRASES.appear],
    [PHRASES.grow, PHRASES.shrink],
    [PHRASES.shrink, PHRASES.grow],
  ];
  if (p.kind === "spin" || p.kind === "blink" || p.kind === "bounce" || p.kind === "shake") return sentence;
  const text = sentence.toLowerCase().trim().replace(/\.$/, "").replace(/\s+/g, " ");
  for (const [from, to] of pairs)
    for (let i = 0; i < from.length; i++)
      if (text.endsWith(` ${from[i]}`)) return `${text.slice(0, text.length - from[i].length)}${to[i % to.length]}`;
  return null; // a phrasing not recognised: better no label than a wrong one
}

/** "left" ↔ "right" */
export function flipSentence(sentence: string): string {
  return sentence
    .split(" ")
    .map((w) => (w.toLowerCase() === "left" ? "right" : w.toLowerCase() === "right" ? "left" : w))
    .join(" ");
}

/**
 * Colour relabelling, the world's symmetry: the object slots come in OBJECT_COLOURS order
 * (then the background), so an object of colour c moves to slot perm[c]...
 */
export function permuteSlots(slots: Float32Array, nClips: number, perm: number[]): Float32Array {
  const S = N_SLOTS;
  const w = slots.length / Math.max(nClips * S, 1);
  const out = new Float32Array(slots.length);
  for (let i = 0; i < nClips; i++)
    for (let s = 0; s < S; s++) {
      const to = s < perm.length ? perm[s] : s;
      out.set(slots.subarray((i * S + s) * w, (i * S + s + 1) * w), (i * S + to) * w);
    }
  return out;
}

/** ...and is called OBJECT_COLOURS[perm[c]]; "dark green" is a background, not an object colour. */
export function permuteColours(sentence: string, perm: number[]): string {
  const ws = sentence.split(" ");
  return ws
    .map((w, i) => {
      const c = (OBJECT_COLOURS as readonly string[]).indexOf(w.toLowerCase());
      return c < 0 || ws[i - 1]?.toLowerCase() === "dark" ? w : OBJECT_COLOURS[perm[c]];
    })
    .join(" ");
}
