/**
 * CPL training losses (weak: (video, sentence) pairs only) and its variants used as baselines:
 *  - "cpl": K Gaussian positives, easy→hard same-video negatives, L_rec + α1 L_IVC + α2 L_div;
 *  - "cnm": a single learnable Gaussian (K=1), no negatives, no L_div (CNM-style);
 *  - "supervised": UPPER BOUND ONLY, trained with timestamps (L1 on centre/width).
 */
import * as tf from "@tensorflow/tfjs";
import { concatF32 } from "../core/arrays";
import type { Rng } from "../core/rng";
import { completionCET, type CompletionTable } from "./completion";
import { COMPLETION_CANDIDATES, CPL_HPARAMS, type CplHparams } from "./config";
import { boundaryTargets, divLossT, gaussianMaskT, negativeProposalsT } from "./geometry";
import type { CplEncoded, CplModel } from "./model";

export type CplVariant = "cpl" | "cnm" | "supervised";

export interface CplSample {
  /** [nTokens * inDim] resampled clip embeddings */
  video: Float32Array;
  enc: CplEncoded;
  /** [nTokens] LocVTP query–token cosines (grounders with cfg.simChannel) */
  sim?: Float32Array;
  /** per word: how likely it is to be the one masked (uniform when absent) */
  maskWeights?: Float32Array;
  /** the scorer's completion table (grounders with cfg.completion "relevance") */
  completion?: CompletionTable;
  /** relative ground truth (only the supervised upper bound may read it) */
  gt?: { c: number; w: number };
}

/**
 * Mask max(⌊n/3⌋, 1) words of an n-word query (CPL masks 1/3 of the words), drawn without
 * replacement, uniformly or with probability ∝ weights (e.g. idfWeights).
 */
export function randomWordMask(
  n: number,
  rng: Rng,
  ratio = CPL_HPARAMS.maskRatio,
  weights?: ArrayLike<number>,
): boolean[] {
  const k = Math.max(Math.floor(n * ratio), 1);
  const m = new Array<boolean>(n).fill(false);
  if (!weights) {
    for (const i of rng.shuffle(Array.from({ length: n }, (_, i) => i)).slice(0, k)) m[i] = true;
    return m;
  }
  for (let j = 0; j < Math.min(k, n); j++) {
    let total = 0;
    for (let i = 0; i < n; i++) if (!m[i]) total += weights[i];
    let r = rng.next() * total;
    let pick = -1;
    for (let i = 0; i < n; i++) {
      if (m[i]) continue;
      pick = i;
      if ((r -= weights[i]) < 0) break;
    }
    m[pick] = true;
  }
  return m;
}

/**
 * Masking weight of each word: its inverse document frequency over the training sentences,
 * log(S / S_w) + 0.1. Rare words (what happens: "slides", "shrinks", "left") are masked more
 * often than the ones every sentence has ("the", colours, shapes), whose reconstruction
 * needs the whole video rather than the moment (docs/experiments/003-temporal-context-and-reconstruction.md).
 */
export function idfWeights(sentences: string[][]): Map<string, number> {
  const df = new Map<string, number>();
  for (const ws of sentences) for (const w of new Set(ws)) df.set(w, (df.get(w) ?? 0) + 1);
  const out = new Map<string, number>();
  for (const [w, d] of df) out.set(w, Math.log(sentences.length / d) + 0.1);
  return out;
}

export interface CplLossParts {
  total: tf.Scalar;
  rec: tf.Scalar;
  ivc: tf.Scalar;
  div: tf.Scalar;
}

export function cplLoss(
  model: CplModel,
  batch: CplSample[],
  variant: CplVariant,
  etaValue: number,
  rng: Rng,
  hp: CplHparams = CPL_HPARAMS,
): CplLossParts {
  const { nTokens: N, inDim, K, sigma } = model.cfg;
  const B = batch.length;
  const video = tf.tensor(concatF32(batch.map((s) => s.video)), [B, N, inDim]);
  const enc = batch.map((s) => s.enc);
  const p = model.proposals(
    video,
    enc.map((e) => e.query),
    model.cfg.simChannel ? concatF32(batch.map((s) => s.sim!)) : undefined,
  );
  if (variant === "supervised" && p.boundary) {
    // the annotated span's start and end tokens, each a cross-entropy over the video's tokens
    const t = batch.map((s) => boundaryTargets(s.gt!, N));
    const ce = boundaryCE(
      p.boundary.start,
      p.boundary.end,
      t.map((x) => x.start),
      t.map((x) => x.end),
    );
    const z = tf.scalar(0);
    return { total: ce, rec: ce, ivc: z, div: z };
  }
  if (p.boundary) throw new Error('head "boundary" trains with timestamps only (variant "supervised")');
  if (variant === "supervised") {
    const gc = tf.tensor(
      batch.map((s) => s.gt!.c),
      [B, 1],
    );
    const gw = tf.tensor(
      batch.map((s) => s.gt!.w),
      [B, 1],
    );
    let l1 = tf.mean(tf.add(tf.abs(tf.sub(p.c, gc)), tf.abs(tf.sub(p.w, gw)))) as tf.Scalar;
    if (p.pointer) {
      // with timestamps a pointer head can also be told WHICH tokens: cross-entropy of each
      // pointer against the uniform distribution over the annotated span's tokens
      const tgt = tf.tensor(concatF32(batch.map((s) => spanTokens(s.gt!, N))), [B, 1, N]);
      l1 = tf.add(l1, tf.mean(tf.neg(tf.sum(tf.mul(tgt, tf.log(tf.add(p.pointer, 1e-9))), -1)))) as tf.Scalar;
    }
    const z = tf.scalar(0);
    return { total: l1, rec: l1, ivc: z, div: z };
  }
  const which = batch.map((s) => randomWordMask(s.enc.query.words.length, rng, hp.maskRatio, s.maskWeights));
  const complete = completionLoss(model, batch, which, p.mem);
  const pos = gaussianMaskT(p.c, p.w, N, sigma); // [B, K, N]
  const ref = tf.ones([B, 1, N]);
  const ce = complete(tf.concat([pos, ref], 1)); // [B, K+1]
  const lpAll = ce.slice([0, 0], [B, K]);
  const lr = ce.slice([0, K], [B, 1]).reshape([B]);
  // only the best positive k* trains (argmin: a discrete choice made on values)
  const kStar = bestPositive(lpAll.dataSync() as Float32Array, B, K);
  const pick = K > 1 ? tf.oneHot(tf.tensor1d(kStar, "int32"), K).toFloat() : tf.ones([B, 1]); // [B, K]
  const lp = tf.sum(tf.mul(lpAll, pick), 1);
  let ln1: tf.Tensor | null = null;
  let ln2: tf.Tensor | null = null;
  if (variant === "cpl") {
    const cStar = tf.sum(tf.mul(p.c, pick), 1);
    const wStar = tf.sum(tf.mul(p.w, pick), 1);
    const neg = negativeProposalsT(cStar, wStar, etaValue);
    const m1 = gaussianMaskT(neg.c1, neg.w1, N, sigma).expandDims(1);
    const m2 = gaussianMaskT(neg.c2, neg.w2, N, sigma).expandDims(1);
    const ceN = complete(tf.concat([m1, m2], 1)); // [B, 2]
    ln1 = ceN.slice([0, 0], [B, 1]).reshape([B]);
    ln2 = ceN.slice([0, 1], [B, 1]).reshape([B]);
  }
  const { rec: recRaw, ivc } = recAndIvc(lp, lr, ln1, ln2, hp.beta1, hp.beta2);
  const rec = hp.recScale === 1 ? recRaw : tf.mul(recRaw, hp.recScale);
  const div = variant === "cpl" && K > 1 ? tf.mean(divLossT(pos, hp.lambdaDiv)) : tf.scalar(0);
  const recM = tf.mean(rec);
  const ivcM = tf.mean(ivc);
  const total = tf.addN([recM, tf.mul(hp.alpha1, ivcM), tf.mul(hp.alpha2, div)]) as tf.Scalar;
  return { total, rec: recM as tf.Scalar, ivc: ivcM as tf.Scalar, div: div as tf.Scalar };
}

/**
 * masks [B, P, N] → the completion loss of the masked words [B, P]: the grounder's trained
 * reconstructor, or (cfg.completion "relevance") the frozen scorer's precomputed tables.
 */
function completionLoss(
  model: CplModel,
  batch: CplSample[],
  which: boolean[][],
  mem: tf.Tensor,
): (masks: tf.Tensor) => tf.Tensor {
  if (model.cfg.completion !== "relevance")
    return (masks) =>
      model.reconstructCE(
        mem,
        batch.map((s) => s.enc),
        which,
        masks,
      );
  const { maxWords: M, nTokens: N } = model.cfg;
  const C = model.cfg.completionCandidates ?? COMPLETION_CANDIDATES;
  const B = batch.length;
  if (batch.some((s) => !s.completion))
    throw new Error('completion "relevance" needs every sample\'s completion table');
  const table = tf.tensor(concatF32(batch.map((s) => s.completion!.table)), [B, M, C, N]);
  const valid = tf.tensor(concatF32(batch.map((s) => s.completion!.valid)), [B, M, C]);
  const w = new Float32Array(B * M);
  which.forEach((ws, b) => ws.forEach((m, i) => i < M && m && (w[b * M + i] = 1)));
  const whichT = tf.tensor(w, [B, M]);
  return (masks) => completionCET(table, valid, whichT, masks);
}

/**
 * Boundary loss: mean over the batch of −log softmax(start)[s_b] − log softmax(end)[e_b]
 * (start, end: logits [B, N]; s, e: the target tokens).
 */
export function boundaryCE(start: tf.Tensor, end: tf.Tensor, s: number[], e: number[]): tf.Scalar {
  const N = start.shape[1]!;
  const pick = (logits: tf.Tensor, idx: number[]) =>
    tf.sum(tf.mul(tf.logSoftmax(logits, -1), tf.oneHot(tf.tensor1d(idx, "int32"), N).toFloat()), -1);
  return tf.neg(tf.mean(tf.add(pick(start, s), pick(end, e)))) as tf.Scalar;
}

/** Uniform distribution over the tokens whose centre (i + ½)/N lies in the span (≥ 1 token). */
export function spanTokens(gt: { c: number; w: number }, N: number): Float32Array {
  const out = new Float32Array(N);
  const lo = gt.c - gt.w / 2;
  const hi = gt.c + gt.w / 2;
  let n = 0;
  for (let i = 0; i < N; i++) {
    if ((i + 0.5) / N < lo || (i + 0.5) / N > hi) continue;
    out[i] = 1;
    n++;
  }
  if (n === 0) {
    out[Math.min(N - 1, Math.max(0, Math.floor(gt.c * N)))] = 1;
    n = 1;
  }
  return out.map((x) => x / n);
}

/** k* = argmin_k L^p_ce[k] for each sample (plain numbers: the choice is not differentiated). */
export function bestPositive(lp: Float32Array, B: number, K: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < B; b++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (lp[b * K + k] < lp[b * K + best]) best = k;
    out.push(best);
  }
  return out;
}

/**
 * L_rec = L^p[k*] + L^r and
 * L_IVC = max(L^p[k*] − L^r + β1, 0) + max(L^p[k*] − L^{n1}[k*] + β2, 0) + max(L^p[k*] − L^{n2}[k*] + β2, 0)
 * All inputs [B] (already gathered at k*); returns per-sample [B] tensors.
 */
export function recAndIvc(
  lp: tf.Tensor,
  lr: tf.Tensor,
  ln1: tf.Tensor | null,
  ln2: tf.Tensor | null,
  beta1: number,
  beta2: number,
): { rec: tf.Tensor; ivc: tf.Tensor } {
  const rec = tf.add(lp, lr);
  let ivc = tf.relu(tf.add(tf.sub(lp, lr), beta1));
  if (ln1) ivc = tf.add(ivc, tf.relu(tf.add(tf.sub(lp, ln1), beta2)));
  if (ln2) ivc = tf.add(ivc, tf.relu(tf.add(tf.sub(lp, ln2), beta2)));
  return { rec, ivc };
}

/** Number form of the same, for hand-checked tests. */
export function recAndIvcNum(
  lp: number,
  lr: number,
  ln1: number,
  ln2: number,
  beta1: number,
  beta2: number,
): { rec: number; ivc: number } {
  return {
    rec: lp + lr,
    ivc: Math.max(lp - lr + beta1, 0) + Math.max(lp - ln1 + beta2, 0) + Math.max(lp - ln2 + beta2, 0),
  };
}
