/**
 * LocVTP model: video encoder f_v (fixed low-level stage + learned temporal MLP → one
 * embedding per 1-second clip), text encoder f_q (hashed n-gram word embeddings + one
 * self-attention layer → word features; sentence = mean of words), and the context-warping
 * head W used only by L_t during training.
 */
import * as tf from "@tensorflow/tfjs";
import type { ClipEncoderConfig, TextEncoderConfig } from "../config";
import { ParamStore } from "../params";
import { dense, encoderLayer, l2normalize } from "../nn";
import { MAX_NGRAMS, encodeText, type EncodedText } from "../tokenizer";

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
  constructor(readonly cfg: LocVtpConfig, seed: number) {
    this.ps = new ParamStore(seed);
    this.featMean = new Float32Array(cfg.clip.frameDim);
    this.featStd = new Float32Array(cfg.clip.frameDim).fill(1);
    // create every variable now so "all trainable variables" is well defined before a call
    tf.tidy(() => {
      this.encodeClipsT(tf.zeros([1, cfg.framesPerClip, cfg.clip.frameDim]));
      const t = encodeText("init", cfg.text.maxWords, cfg.text.buckets);
      this.encodeWordsT([t]);
      this.warp(tf.zeros([1, cfg.clip.outDim]), tf.zeros([1]));
    });
  }

  /** x: [nClips, framesPerClip, frameDim] raw low-level features → [nClips, D] l2-normalised */
  encodeClipsT(x: tf.Tensor): tf.Tensor {
    const c = this.cfg.clip;
    const F = this.cfg.framesPerClip;
    const n = x.shape[0];
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

export function concatF32(a: Float32Array[]): Float32Array {
  const out = new Float32Array(a.reduce((s, x) => s + x.length, 0));
  let o = 0;
  for (const x of a) out.set(x, (o += x.length) - x.length);
  return out;
}
export function concatI32(a: Int32Array[]): Int32Array {
  const out = new Int32Array(a.reduce((s, x) => s + x.length, 0));
  let o = 0;
  for (const x of a) out.set(x, (o += x.length) - x.length);
  return out;
}
