/**
 * Object slots: the fixed low-level frame vector (./lowlevel.ts) regrouped per colour. Each of
 * the 5 object colours and the background is a slot described by the same statistics, which a
 * model can read with one detector shared by every colour. A clip's slot inputs are the
 * statistics over its own frames and, with temporal context, over a window of clips either
 * side. LocVTP's clip encoder and the relevance scorer's clip tower both read them.
 */
import * as tf from "@tensorflow/tfjs";
import { BG_DIMS, COMP_STATS, GRID_H, GRID_W, N_COMP, OBJECT_COLOURS } from "./lowlevel";

/** What the slot inputs depend on: frames per clip and the clips of context either side. */
export interface SlotWindow {
  framesPerClip: number;
  clip: { contextClips?: number };
}

/** the 5 object-colour slots, then the background */
export const N_SLOTS = OBJECT_COLOURS.length + 1;
/** values describing a slot in one frame: its components' statistics, then the component count */
export const SLOT_STATS = N_COMP * COMP_STATS + 1;
/** per-slot statistics of a clip: mean, last − first, std over its frames of the SLOT_STATS values */
export const SLOT_FEATURES = 3 * SLOT_STATS;

/** Slot statistics per slot the encoder reads: the clip's own SLOT_FEATURES, plus as many over its window. */
export function slotInputWidth(cfg: SlotWindow): number {
  return cfg.clip.contextClips ? 2 * SLOT_FEATURES : SLOT_FEATURES;
}

/**
 * The slot encoder's raw input: x [n, windowFrames, fd] → [n, slots, slotInputWidth]: the
 * clip's own statistics, then (with context) the same over the whole window — a 20 s move of
 * 0.2 frame widths is ~1 px per clip but ~5 px over 5 s (a supervised probe: 29 → 45 R1@0.5,
 * docs/experiments/003-temporal-context-and-reconstruction.md).
 */
export function slotInputsT(x: tf.Tensor, cfg: SlotWindow): tf.Tensor {
  const F = cfg.framesPerClip;
  const r = cfg.clip.contextClips ?? 0;
  const own = slotStatsT(r ? x.slice([0, r * F, 0], [x.shape[0], F, x.shape[2]!]) : x, F);
  return r ? tf.concat([own, slotStatsT(x, (2 * r + 1) * F)], 2) : own;
}

/** Slot statistics standardised with training-set mean/std per statistic, clipped to ±6. */
export function standardiseSlotsT(raw: tf.Tensor, mean: Float32Array, std: Float32Array): tf.Tensor {
  return tf.clipByValue(tf.div(tf.sub(raw, tf.tensor1d(mean)), tf.tensor1d(std)), -6, 6);
}

/** Frames the clip encoder reads per clip: its own, plus contextClips clips either side. */
export function windowFrames(cfg: SlotWindow): number {
  return (2 * (cfg.clip.contextClips ?? 0) + 1) * cfg.framesPerClip;
}

/**
 * Low-level features of a whole video [nClips·F, fd] → the encoder input of the clips in
 * `idx`: [idx.length, (2r+1)·F, fd], each clip's frames with its r neighbours either side,
 * the first/last clip repeated past the ends.
 */
export function clipWindows(
  feats: Float32Array,
  nClips: number,
  F: number,
  fd: number,
  r: number,
  idx: number[],
): Float32Array {
  const W = (2 * r + 1) * F;
  const out = new Float32Array(idx.length * W * fd);
  idx.forEach((k, i) => {
    for (let j = -r; j <= r; j++) {
      const src = Math.min(Math.max(k + j, 0), nClips - 1);
      out.set(feats.subarray(src * F * fd, (src + 1) * F * fd), (i * W + (j + r) * F) * fd);
    }
  });
  return out;
}

/** x: [n, F, frameDim] low-level frames → [n, slots, SLOT_FEATURES] raw slot statistics */
export function slotStatsT(x: tf.Tensor, F: number): tf.Tensor {
  const n = x.shape[0];
  const { index, mask } = slotIndex();
  const s = tf.mul(tf.gather(x, index, 2).reshape([n, F, N_SLOTS, SLOT_STATS]), mask); // [n,F,S,SLOT_STATS]
  const mean = tf.mean(s, 1);
  const diff = tf
    .sub(s.slice([0, F - 1, 0, 0], [n, 1, N_SLOTS, SLOT_STATS]), s.slice([0, 0, 0, 0], [n, 1, N_SLOTS, SLOT_STATS]))
    .reshape([n, N_SLOTS, SLOT_STATS]);
  const sd = tf.sqrt(tf.add(tf.mean(tf.square(tf.sub(s, mean.expandDims(1))), 1), 1e-6));
  return tf.concat([mean, diff, sd], 2);
}
let slotIdx: { index: tf.Tensor; mask: tf.Tensor } | null = null;
/**
 * Where each slot's statistics sit in a low-level frame vector (ml/lowlevel.ts layout):
 * per colour its components' statistics + component count (SLOT_STATS), then the
 * background's 7 values zero-padded to SLOT_STATS. Kept alive (not disposed): a constant of
 * the architecture.
 */
function slotIndex(): { index: tf.Tensor; mask: tf.Tensor } {
  if (slotIdx) return slotIdx;
  const idx: number[] = [];
  const m: number[] = [];
  const per = GRID_W * GRID_H + SLOT_STATS;
  for (let s = 0; s < OBJECT_COLOURS.length; s++)
    for (let j = 0; j < SLOT_STATS; j++) {
      idx.push(BG_DIMS + s * per + GRID_W * GRID_H + j);
      m.push(1);
    }
  for (let j = 0; j < SLOT_STATS; j++) {
    idx.push(j < BG_DIMS ? j : 0);
    m.push(j < BG_DIMS ? 1 : 0);
  }
  slotIdx = tf.tidy(() => ({
    index: tf.keep(tf.tensor1d(idx, "int32")),
    mask: tf.keep(tf.tensor(m, [1, 1, N_SLOTS, SLOT_STATS])),
  }));
  return slotIdx;
}
