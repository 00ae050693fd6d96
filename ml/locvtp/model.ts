/**
 * LocVTP model: video encoder f_v (fixed low-level stage + learned temporal MLP → one
 * embedding per 1-second clip), text encoder f_q (hashed n-gram word embeddings + one
 * self-attention layer → word features; sentence = mean of words), and the context-warping
 * head W used only by L_t during training.
 */
import * as tf from "@tensorflow/tfjs";
import type { LocVtpConfig } from "./config";
import { ParamStore } from "../core/params";
import { dense, encoderLayer, l2normalize } from "../core/nn";
import { MAX_NGRAMS, encodeText, type EncodedText } from "../core/tokenizer";
import { N_SLOTS, slotInputWidth, slotInputsT, standardiseSlotsT, windowFrames } from "../features/slots";
import { concatF32, concatI32 } from "../core/arrays";

export class LocVtpModel {
  readonly ps: ParamStore;
  /** per-feature input standardisation of the low-level stage (set from training data) */
  featMean: Float32Array;
  featStd: Float32Array;
  /** standardisation of the slot statistics (slot encoder only; set from training data) */
  slotMean: Float32Array;
  slotStd: Float32Array;
  constructor(
    readonly cfg: LocVtpConfig,
    seed: number,
  ) {
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
   * the whole-frame vector had to learn it five times and did not (docs/experiments/002-what-makes-it-learnable.md).
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
