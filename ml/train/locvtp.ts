/**
 * LocVTP pre-training on weak (video, sentence) pairs: L = λc L_c + λf L_f + λt L_t.
 * No timestamps are used: a sentence is paired with its whole video.
 */
import * as tf from "@tensorflow/tfjs";
import { LOCVTP_HPARAMS } from "../config";
import type { LocVtpConfig } from "../models/locvtp";
import { LocVtpModel } from "../models/locvtp";
import { encodeText } from "../core/tokenizer";
import { Rng } from "../core/rng";
import { clipTopkSelection, coarseLoss, fineLoss, maskedMeanNorm, positiveWords, warpIndices } from "../losses/locvtp";
import { l2normalize } from "../core/nn";
import type { Corpus } from "./corpus";
import { concatF32 } from "../core/arrays";
import { clipWindows, slotInputsT, windowFrames } from "../features/slots";

export interface LocVtpBatch {
  /** [N*T, windowFrames, frameDim] */
  clips: tf.Tensor;
  clipMask: Float32Array;
  /**
   * N*P sentences, P per video: the first is the sampled sentence L_c pairs with the video;
   * with P > 1 the rest are the video's other sentences (its paragraph), whose words join
   * the clip-topk candidates of L_f / L_t. sentenceMask [N*P] marks real (non-padding) ones.
   */
  texts: ReturnType<typeof encodeText>[];
  sentenceMask: Float32Array;
  P: number;
  deltas: number[];
  N: number;
  T: number;
}

/** Segment-based sparse sampling: T clip indices spread over the video (all clips if fewer). */
export function sparseSample(nClips: number, T: number, rng: Rng): number[] {
  if (nClips <= T) return Array.from({ length: nClips }, (_, i) => i);
  const stride = nClips / T;
  return Array.from({ length: T }, (_, t) => Math.min(nClips - 1, Math.floor((t + rng.next()) * stride)));
}

export function makeLocVtpBatch(model: LocVtpModel, corpus: Corpus, videoIds: string[], T: number, rng: Rng, P = 1): LocVtpBatch {
  const F = model.cfg.framesPerClip;
  const fd = model.cfg.clip.frameDim;
  const r = model.cfg.clip.contextClips ?? 0;
  const W = windowFrames(model.cfg);
  const N = videoIds.length;
  const data = new Float32Array(N * T * W * fd);
  const clipMask = new Float32Array(N * T);
  const sentenceMask = new Float32Array(N * P);
  const texts = videoIds.flatMap((id, i) => {
    const v = corpus.byId.get(id)!;
    const idx = sparseSample(v.nClips, T, rng);
    data.set(clipWindows(v.feats, v.nClips, F, fd, r, idx), i * T * W * fd);
    idx.forEach((_, t) => (clipMask[i * T + t] = 1));
    const ss = corpus.sentences.get(id)!;
    const first = rng.int(0, ss.length - 1);
    const others = rng.shuffle(ss.filter((_, j) => j !== first)).slice(0, P - 1);
    const chosen = [ss[first], ...others];
    chosen.forEach((_, j) => (sentenceMask[i * P + j] = 1));
    while (chosen.length < P) chosen.push(ss[first]); // padding, masked out
    return chosen.map((s) => encodeText(s, model.cfg.text.maxWords, model.cfg.text.buckets));
  });
  const dm = LOCVTP_HPARAMS.deltaMax;
  return { clips: tf.tensor(data, [N * T, W, fd]), clipMask, texts, sentenceMask, P, deltas: videoIds.map(() => rng.int(-dm, dm)), N, T };
}

export interface LocVtpLosses {
  total: tf.Scalar;
  lc: tf.Scalar;
  lf: tf.Scalar;
  lt: tf.Scalar;
}

export function locvtpLoss(model: LocVtpModel, b: LocVtpBatch, hp = LOCVTP_HPARAMS): LocVtpLosses {
  const { N, T, P } = b;
  const D = model.cfg.clip.outDim;
  const v = model.encodeClipsT(b.clips).reshape([N, T, D]);
  const cm = tf.tensor(b.clipMask, [N, T]);
  const enc = model.encodeWordsT(b.texts); // [N*P, M, D]
  const M = enc.words.shape[1]!;
  const first = (x: tf.Tensor) => x.reshape([N, P, M, ...x.shape.slice(2)]).slice([0, 0, 0], [N, 1, M]).reshape([N, M, ...x.shape.slice(2)]);
  const vbar = maskedMeanNorm(v, cm);
  const qbar = model.sentenceT(first(enc.words), first(enc.mask));
  // the words L_f / L_t choose from: the paired sentence (P = 1) or the video's paragraph
  const S = P * M;
  const mask = tf.mul(enc.mask, tf.tensor(b.sentenceMask, [N * P, 1])).reshape([N, S]);
  const words = tf.mul(enc.words.reshape([N, S, D]), mask.expandDims(-1));
  const lc = coarseLoss(vbar, qbar, hp.tau);
  // clip-topk correspondence (a discrete choice: computed on values, not differentiated)
  const sims = tf.matMul(v, words, false, true).dataSync() as Float32Array;
  const sel = tf.tensor(clipTopkSelection(sims, N, T, S, mask.dataSync() as Float32Array, hp.topK), [N, T, S]);
  const qPos = positiveWords(sel, words);
  const allWords = words.reshape([N * S, D]);
  const allMask = mask.reshape([N * S]);
  const lf = fineLoss(v, qPos, cm, allWords, allMask, hp.tau);
  // context warping: rebuild clip t from clip t+δ and δ, aligned cross-modally to q^t_+
  const { src, valid } = warpIndices(b.deltas, b.clipMask, T);
  const deltaRows = tf.tensor(Float32Array.from({ length: N * T }, (_, r) => b.deltas[Math.floor(r / T)]));
  const z = l2normalize(model.warp(tf.gather(v.reshape([N * T, D]), tf.tensor(src, undefined, "int32")), deltaRows)).reshape([N, T, D]);
  const lt = fineLoss(z, qPos, tf.tensor(valid, [N, T]), allWords, allMask, hp.tau);
  const total = tf.addN([tf.mul(hp.lambdaC, lc), tf.mul(hp.lambdaF, lf), tf.mul(hp.lambdaT, lt)]) as tf.Scalar;
  return { total, lc: lc as tf.Scalar, lf: lf as tf.Scalar, lt: lt as tf.Scalar };
}

/**
 * Standardisation of the slot encoder's statistics over (a sample of) the corpus's clips,
 * pooled over slots: motion/growth differences are ~0.05 while positions are ~0.5, and
 * unscaled they trained an order of magnitude slower (docs/models.md § Diagnostics).
 */
export function slotFeatureStats(corpus: Corpus, cfg: LocVtpConfig, maxClips = 6000): { mean: Float32Array; std: Float32Array } {
  const F = cfg.framesPerClip;
  const fd = cfg.clip.frameDim;
  const r = cfg.clip.contextClips ?? 0;
  const W = windowFrames(cfg);
  const windows: Float32Array[] = [];
  const total = corpus.videos.reduce((s, v) => s + v.nClips, 0);
  const step = Math.max(1, Math.floor(total / maxClips));
  let k = 0;
  for (const v of corpus.videos) {
    const idx: number[] = [];
    for (let c = 0; c < v.nClips; c++, k++) if (k % step === 0) idx.push(c);
    if (idx.length) windows.push(clipWindows(v.feats, v.nClips, F, fd, r, idx));
  }
  return tf.tidy(() => {
    const all = concatF32(windows);
    const st = slotInputsT(tf.tensor(all, [all.length / (W * fd), W, fd]), cfg);
    const dim = st.shape[2]!;
    const { mean, variance } = tf.moments(st.reshape([-1, dim]), 0);
    return { mean: Float32Array.from(mean.dataSync()), std: Float32Array.from(tf.add(tf.sqrt(variance), 0.01).dataSync()) };
  });
}

/** Input standardisation statistics of the low-level features over (a sample of) the corpus. */
export function featureStats(corpus: Corpus, frameDim: number, maxFrames = 20000): { mean: Float32Array; std: Float32Array } {
  const mean = new Float64Array(frameDim);
  const sq = new Float64Array(frameDim);
  let n = 0;
  const total = corpus.videos.reduce((s, v) => s + v.feats.length / frameDim, 0);
  const step = Math.max(1, Math.floor(total / maxFrames));
  let k = 0;
  for (const v of corpus.videos)
    for (let f = 0; f < v.feats.length / frameDim; f++, k++) {
      if (k % step) continue;
      for (let j = 0; j < frameDim; j++) {
        const x = v.feats[f * frameDim + j];
        mean[j] += x;
        sq[j] += x * x;
      }
      n++;
    }
  const m = new Float32Array(frameDim);
  const s = new Float32Array(frameDim);
  for (let j = 0; j < frameDim; j++) {
    m[j] = mean[j] / n;
    s[j] = Math.sqrt(Math.max(sq[j] / n - m[j] * m[j], 0)) + 0.05; // floor: rare features stay bounded
  }
  return { mean: m, std: s };
}
