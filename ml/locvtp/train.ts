/**
 * LocVTP pre-training on weak (video, sentence) pairs: L = λc L_c + λf L_f + λt L_t.
 * No timestamps are used: a sentence is paired with its whole video.
 */
import * as tf from "@tensorflow/tfjs";
import path from "node:path";
import { CLIP_SPEC } from "../config";
import { concatF32 } from "../core/arrays";
import { bar, type LogSink } from "../core/log";
import { l2normalize } from "../core/nn";
import { Rng } from "../core/rng";
import { encodeText } from "../core/tokenizer";
import type { Corpus } from "../data/corpus";
import { backboneId } from "../features/featurizer";
import { clipWindows, slotInputsT, windowFrames } from "../features/slots";
import { LOCVTP_HPARAMS, defaultLocVtpConfig, type LocVtpConfig } from "./config";
import { embedClipFeatures } from "./encode";
import { clipTopkSelection, coarseLoss, fineLoss, maskedMeanNorm, positiveWords, warpIndices } from "./losses";
import { LocVtpModel } from "./model";

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

export function makeLocVtpBatch(
  model: LocVtpModel,
  corpus: Corpus,
  videoIds: string[],
  T: number,
  rng: Rng,
  P = 1,
): LocVtpBatch {
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
  return {
    clips: tf.tensor(data, [N * T, W, fd]),
    clipMask,
    texts,
    sentenceMask,
    P,
    deltas: videoIds.map(() => rng.int(-dm, dm)),
    N,
    T,
  };
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
  const first = (x: tf.Tensor) =>
    x
      .reshape([N, P, M, ...x.shape.slice(2)])
      .slice([0, 0, 0], [N, 1, M])
      .reshape([N, M, ...x.shape.slice(2)]);
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
  const z = l2normalize(
    model.warp(tf.gather(v.reshape([N * T, D]), tf.tensor(src, undefined, "int32")), deltaRows),
  ).reshape([N, T, D]);
  const lt = fineLoss(z, qPos, tf.tensor(valid, [N, T]), allWords, allMask, hp.tau);
  const total = tf.addN([tf.mul(hp.lambdaC, lc), tf.mul(hp.lambdaF, lf), tf.mul(hp.lambdaT, lt)]) as tf.Scalar;
  return { total, lc: lc as tf.Scalar, lf: lf as tf.Scalar, lt: lt as tf.Scalar };
}

/**
 * Standardisation of the slot encoder's statistics over (a sample of) the corpus's clips,
 * pooled over slots: motion/growth differences are ~0.05 while positions are ~0.5, and
 * unscaled they trained an order of magnitude slower (docs/experiments/002-what-makes-it-learnable.md).
 */
export function slotFeatureStats(
  corpus: Corpus,
  cfg: LocVtpConfig,
  maxClips = 6000,
): { mean: Float32Array; std: Float32Array } {
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
    return {
      mean: Float32Array.from(mean.dataSync()),
      std: Float32Array.from(tf.add(tf.sqrt(variance), 0.01).dataSync()),
    };
  });
}

/** Input standardisation statistics of the low-level features over (a sample of) the corpus. */
export function featureStats(
  corpus: Corpus,
  frameDim: number,
  maxFrames = 20000,
): { mean: Float32Array; std: Float32Array } {
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

export interface LocVtpTrainOpts {
  seed: number;
  /** train a head over this pre-trained frame backbone instead of the slot encoder */
  backboneDir?: string | null;
  steps: number;
  batch: number;
  clipsPerVideo: number;
  /** sentences per video whose words L_f / L_t may align a clip to (1 = the sampled one) */
  paragraph?: number;
  lr: number;
  outDir: string;
  ckptDir?: string;
  sink?: LogSink;
  quiet?: boolean;
  saveEvery?: number;
}

export function trainLocVtp(corpus: Corpus, o: LocVtpTrainOpts): LocVtpModel {
  const cfg = defaultLocVtpConfig(o.backboneDir);
  // over a backbone: its width (the corpus's features), and which backbone it is (never mixed with another's)
  if (o.backboneDir) {
    const v = corpus.videos[0];
    cfg.clip = {
      ...cfg.clip,
      frameDim: v ? v.feats.length / (v.nClips * cfg.framesPerClip) : cfg.clip.frameDim,
      backboneId: backboneId(o.backboneDir),
    };
  }
  const model = new LocVtpModel(cfg, o.seed);
  // each encoder standardises its own inputs: the slot statistics, or the whole frame vector
  if (model.cfg.clip.kind === "lowlevel-slots") {
    const ss = slotFeatureStats(corpus, model.cfg);
    model.slotMean = ss.mean;
    model.slotStd = ss.std;
  } else {
    const stats = featureStats(corpus, model.cfg.clip.frameDim);
    model.featMean = stats.mean;
    model.featStd = stats.std;
  }
  const rng = new Rng(o.seed * 7919 + 1);
  const opt = tf.train.adam(o.lr);
  const vars = model.ps.list();
  const ids = corpus.videos.filter((v) => (corpus.sentences.get(v.id)?.length ?? 0) > 0).map((v) => v.id);
  const b = bar("LocVTP", o.steps, o.quiet);
  let order: string[] = [];
  const t0 = Date.now();
  for (let step = 1; step <= o.steps; step++) {
    if (order.length < o.batch) order = order.concat(rng.shuffle([...ids]));
    const batchIds = order.splice(0, o.batch);
    // step decay ×0.1 at 50% and 80% of training (the paper's 100/160 of 200 epochs)
    (opt as unknown as { learningRate: number }).learningRate =
      o.lr * (step > 0.8 * o.steps ? 0.01 : step > 0.5 * o.steps ? 0.1 : 1);
    const batch = makeLocVtpBatch(model, corpus, batchIds, o.clipsPerVideo, rng, o.paragraph ?? 1);
    let parts = { lc: 0, lf: 0, lt: 0 };
    const cost = opt.minimize(
      () => {
        const l = locvtpLoss(model, batch, LOCVTP_HPARAMS);
        parts = { lc: l.lc.dataSync()[0], lf: l.lf.dataSync()[0], lt: l.lt.dataSync()[0] };
        return l.total;
      },
      true,
      vars,
    );
    const total = cost!.dataSync()[0];
    cost!.dispose();
    batch.clips.dispose();
    if (step % 5 === 0 || step === 1)
      o.sink?.log({ stage: "locvtp", step, loss: total, ...parts, sec: (Date.now() - t0) / 1000 });
    b?.update(step, {
      info: `L ${total.toFixed(3)} Lc ${parts.lc.toFixed(2)} Lf ${parts.lf.toFixed(2)} Lt ${parts.lt.toFixed(2)}`,
    });
    if (o.ckptDir && step % 200 === 0) saveLocVtp(model, path.join(o.ckptDir, "locvtp"), `locvtp-ckpt-${step}`);
    // also keep the output folder current, so a run killed by a time limit still leaves weights
    if (o.saveEvery && step % o.saveEvery === 0) saveLocVtp(model, o.outDir, `locvtp-partial-${step}`);
  }
  b?.stop();
  return model;
}

export function saveLocVtp(model: LocVtpModel, dir: string, version: string): void {
  model.ps.save(dir, {
    name: "locvtp",
    version,
    config: model.cfg,
    extra: {
      featMean: Array.from(model.featMean),
      featStd: Array.from(model.featStd),
      slotMean: Array.from(model.slotMean),
      slotStd: Array.from(model.slotStd),
      spec: CLIP_SPEC,
      hparams: LOCVTP_HPARAMS,
    },
  });
}

/** Clip embeddings of every video of a corpus (frozen LocVTP). */
export function corpusEmbeddings(model: LocVtpModel, corpus: Corpus): Map<string, Float32Array[]> {
  const out = new Map<string, Float32Array[]>();
  for (const v of corpus.videos) out.set(v.id, embedClipFeatures(model, v.feats, v.nClips));
  return out;
}
