/**
 * LocVTP model: video encoder f_v (fixed low-level stage + learned temporal MLP → one
 * embedding per 1-second clip), text encoder f_q (hashed n-gram word embeddings + one
 * self-attention layer → word features; sentence = mean of words), and the context-warping
 * head W used only by L_t during training.
 */
import * as tf from "@tensorflow/tfjs";
import type { ClipEncoderConfig, TextEncoderConfig } from "../config";
import { ParamStore } from "../core/params";
import { dense, encoderLayer, l2normalize } from "../core/nn";
import { MAX_NGRAMS, encodeText, type EncodedText } from "../core/tokenizer";
import { BG_DIMS, COMP_STATS, GRID_H, GRID_W, N_COMP, OBJECT_COLOURS } from "../lowlevel";
import { concatF32, concatI32 } from "../core/arrays";

export interface LocVtpConfig {
  clip: ClipEncoderConfig;
  text: TextEncoderConfig;
  framesPerClip: number;
}

export class LocVtpModel {
  readonly ps: ParamStore;
  /** per-feature input standardisation of the low-level stage (set from training data) */
  featMean: Float32Array;
  featStd: Float32Array;
  /** standardisation of the slot statistics (slot encoder only; set from training data) */
  slotMean: Float32Array;
  slotStd: Float32Array;
  constructor(readonly cfg: LocVtpConfig, seed: number) {
    this.ps = new ParamStore(seed);
    this.slotMean = new Float32Array(slotInputWidth(cfg));
    this.slotStd = new Float32Array(slotInputWidth(cfg)).fill(1);
    this.featMean = new Float32Array(cfg.clip.frameDim);
    this.featStd = new Float32Array(cfg.clip.frameDim).fill(1);
    // create every variable now so "all trainable variables" is well defined before a call
    tf.tidy(() => {
      this.encodeClipsT(tf.zeros([1, windowFrames(cfg), cfg.clip.frameDim]));
      const t = encodeText("init", cfg.text.maxWords, cfg.text.buckets);
      this.encodeWordsT([t]);
      this.warp(tf.zeros([1, cfg.clip.outDim]), tf.zeros([1]));
    });
  }

  /**
   * x: [nClips, windowFrames(cfg), frameDim] raw low-level features (each clip's frames, with
   * cfg.clip.contextClips clips either side when the encoder has context) → [nClips, D]
   * l2-normalised
   */
  encodeClipsT(x: tf.Tensor): tf.Tensor {
    const c = this.cfg.clip;
    const F = this.cfg.framesPerClip;
    const n = x.shape[0];
    if (c.kind === "lowlevel-slots") return this.encodeSlotsT(x);
    const xn = tf.div(tf.sub(x, tf.tensor1d(this.featMean)), tf.tensor1d(this.featStd));
    const a = dense(this.ps, "clip/frame", xn, c.frameDim, c.frameHidden); // [n,F,h] linear
    const parts: tf.Tensor[] = [a.reshape([n, F * c.frameHidden])];
    // explicit frame differences: motion / growth / blinking are changes between frames
    const diffs = tf.sub(a.slice([0, 1, 0], [n, F - 1, c.frameHidden]), a.slice([0, 0, 0], [n, F - 1, c.frameHidden]));
    parts.push(diffs.reshape([n, (F - 1) * c.frameHidden]));
    const z = tf.concat(parts, 1);
    const h = tf.relu(dense(this.ps, "clip/t1", z, (2 * F - 1) * c.frameHidden, c.temporalHidden));
    const h2 = tf.add(h, tf.relu(dense(this.ps, "clip/t2", h, c.temporalHidden, c.temporalHidden)));
    return l2normalize(dense(this.ps, "clip/out", h2, c.temporalHidden, c.outDim));
  }

  /**
   * Object-slot clip encoder: the low-level stage already separates the frame by colour, so
   * each colour (and the background) is a slot described by the same statistics; one MLP
   * shared by all slots (plus a slot-identity one-hot) embeds each, and the clip is their sum.
   * Sharing makes "moves left" the same detector whatever the colour — the plain MLP over
   * the whole-frame vector had to learn it five times and did not (docs/models.md).
   */
  encodeSlotsT(x: tf.Tensor): tf.Tensor {
    // standardised per statistic (shared by all slots; stats from the training set), clipped
    return this.embedSlotInputsT(standardiseSlotsT(slotInputsT(x, this.cfg), this.slotMean, this.slotStd));
  }

  /** standardised slot inputs [n, S, slotInputWidth] → [n, D] l2-normalised */
  embedSlotInputsT(z: tf.Tensor): tf.Tensor {
    const c = this.cfg.clip;
    const n = z.shape[0];
    const H = c.frameHidden;
    const ident = tf.tile(tf.eye(N_SLOTS).expandDims(0), [n, 1, 1]);
    const slots = tf.concat([z, ident], 2); // [n, S, width+S]
    const h1 = tf.relu(dense(this.ps, "slot/1", slots, slotInputWidth(this.cfg) + N_SLOTS, H));
    const h2 = tf.relu(dense(this.ps, "slot/2", h1, H, H));
    const pooled = tf.sum(h2, 1); // [n, H]
    const h = tf.relu(dense(this.ps, "clip/t1", pooled, H, c.temporalHidden));
    const hh = tf.add(h, tf.relu(dense(this.ps, "clip/t2", h, c.temporalHidden, c.temporalHidden)));
    return l2normalize(dense(this.ps, "clip/out", hh, c.temporalHidden, c.outDim));
  }

  /** texts → word features [B, M, D] (l2-normalised) and word mask [B, M] */
  encodeWordsT(texts: EncodedText[]): { words: tf.Tensor; mask: tf.Tensor } {
    const t = this.cfg.text;
    const B = texts.length;
    const M = t.maxWords;
    const ids = tf.tensor(concatI32(texts.map((x) => x.ids)), [B, M * MAX_NGRAMS], "int32");
    const wts = tf.tensor(concatF32(texts.map((x) => x.weights)), [B, M, MAX_NGRAMS, 1]);
    const mask = tf.tensor(concatF32(texts.map((x) => x.mask)), [B, M]);
    const emb = this.ps.get("text/emb", [t.buckets, t.hidden], { normal: 0.3 });
    const e = tf.sum(tf.mul(tf.gather(emb, ids).reshape([B, M, MAX_NGRAMS, t.hidden]), wts), 2);
    const pos = this.ps.get("text/pos", [M, t.hidden], { normal: 0.1 });
    let x = tf.add(e, pos);
    x = encoderLayer(this.ps, "text/l0", x, t.hidden, 4, t.hidden * 2, mask);
    const w = l2normalize(dense(this.ps, "text/out", x, t.hidden, t.outDim));
    return { words: tf.mul(w, mask.expandDims(-1)), mask };
  }

  /** sentence embedding q̄ = l2norm(avgpool_s(q^s)) over real words */
  sentenceT(words: tf.Tensor, mask: tf.Tensor): tf.Tensor {
    const s = tf.div(tf.sum(words, 1), tf.sum(mask, 1, true));
    return l2normalize(s);
  }

  /** context warping z = ReLU(W [v^{t+δ}, sgn δ, |δ|]); v: [n, D], delta: [n] */
  warp(v: tf.Tensor, delta: tf.Tensor): tf.Tensor {
    const D = this.cfg.clip.outDim;
    const inp = tf.concat([v, tf.sign(delta).expandDims(1), tf.abs(delta).expandDims(1)], 1);
    return tf.relu(dense(this.ps, "warp/W", inp, D + 2, D, false));
  }
}

/** the 5 object-colour slots, then the background */
export const N_SLOTS = OBJECT_COLOURS.length + 1;
/** values describing a slot in one frame: its components' statistics, then the component count */
export const SLOT_STATS = N_COMP * COMP_STATS + 1;
/** per-slot statistics of a clip: mean, last − first, std over its frames of the SLOT_STATS values */
export const SLOT_FEATURES = 3 * SLOT_STATS;

/** Slot statistics per slot the encoder reads: the clip's own SLOT_FEATURES, plus as many over its window. */
export function slotInputWidth(cfg: LocVtpConfig): number {
  return cfg.clip.contextClips ? 2 * SLOT_FEATURES : SLOT_FEATURES;
}

/**
 * The slot encoder's raw input: x [n, windowFrames, fd] → [n, slots, slotInputWidth]: the
 * clip's own statistics, then (with context) the same over the whole window — a 20 s move of
 * 0.2 frame widths is ~1 px per clip but ~5 px over 5 s (a supervised probe: 29 → 45 R1@0.5,
 * docs/models.md § Diagnostics).
 */
export function slotInputsT(x: tf.Tensor, cfg: LocVtpConfig): tf.Tensor {
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
export function windowFrames(cfg: LocVtpConfig): number {
  return (2 * (cfg.clip.contextClips ?? 0) + 1) * cfg.framesPerClip;
}

/**
 * Low-level features of a whole video [nClips·F, fd] → the encoder input of the clips in
 * `idx`: [idx.length, (2r+1)·F, fd], each clip's frames with its r neighbours either side,
 * the first/last clip repeated past the ends.
 */
export function clipWindows(feats: Float32Array, nClips: number, F: number, fd: number, r: number, idx: number[]): Float32Array {
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
  const diff = tf.sub(s.slice([0, F - 1, 0, 0], [n, 1, N_SLOTS, SLOT_STATS]), s.slice([0, 0, 0, 0], [n, 1, N_SLOTS, SLOT_STATS])).reshape([n, N_SLOTS, SLOT_STATS]);
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
  slotIdx = tf.tidy(() => ({ index: tf.keep(tf.tensor1d(idx, "int32")), mask: tf.keep(tf.tensor(m, [1, 1, N_SLOTS, SLOT_STATS])) }));
  return slotIdx;
}
