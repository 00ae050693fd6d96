/**
 * LocVTP losses (Cao et al., ECCV 2022), one pure function per equation. Inputs are
 * l2-normalised features; τ is the temperature.
 */
import * as tf from "@tensorflow/tfjs";
import { l2normalize, logSumExpRows } from "../core/nn";

/**
 * L_c, symmetric: −log softmax over the batch of v̄_i·q̄_j/τ, both directions, averaged.
 * v̄, q̄: [N, D] (row i of each is a positive pair).
 */
export function coarseLoss(vbar: tf.Tensor, qbar: tf.Tensor, tau: number): tf.Tensor {
  const N = vbar.shape[0];
  const logits = tf.div(tf.matMul(vbar, qbar, false, true), tau);
  const eye = tf.eye(N);
  const v2q = tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits, 1), eye), 1)));
  const q2v = tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits.transpose(), 1), eye), 1)));
  return tf.div(tf.add(v2q, q2v), 2);
}

/**
 * Clip-topk correspondence discovery, on plain numbers: for each clip t of video i, the K
 * words of sentence i with the highest similarity (fewer if the sentence is shorter).
 * sims: [N, T, S] row-major, wordMask: [N, S]. Returns averaging weights [N, T, S]
 * (1/K' on the chosen words), used as a constant selection so q^t_+ = sel · q.
 */
export function clipTopkSelection(
  sims: Float32Array,
  N: number,
  T: number,
  S: number,
  wordMask: Float32Array,
  K: number,
): Float32Array {
  const sel = new Float32Array(N * T * S);
  const idx: number[] = [];
  for (let i = 0; i < N; i++) {
    idx.length = 0;
    for (let s = 0; s < S; s++) if (wordMask[i * S + s] > 0) idx.push(s);
    const k = Math.min(K, idx.length);
    for (let t = 0; t < T; t++) {
      const base = (i * T + t) * S;
      const chosen = [...idx].sort((a, b) => sims[base + b] - sims[base + a] || a - b).slice(0, k);
      for (const s of chosen) sel[base + s] = 1 / k;
    }
  }
  return sel;
}

/**
 * q^t_+ = avgpool of the selected (l2-normalised) words: sel [N,T,S] (constant) × words
 * [N,S,D] → [N,T,D]. Deliberately NOT re-normalised: then v^t·q^t_+ is exactly the mean of
 * the top-K similarities avgpool(topK_s(v^t·q^s)), as the LocVTP equation reads. (A
 * re-normalised mean can beat every single word and drive L_f below zero — a degenerate
 * optimum we observed in a first run.)
 */
export function positiveWords(sel: tf.Tensor, words: tf.Tensor): tf.Tensor {
  return tf.matMul(sel, words);
}

/**
 * The L_f form, shared by L_t: for every valid anchor a^t (a clip v^t, or a warped z^t),
 *   −log( exp(a^t·q^t_+/τ) / Σ_{i,s} exp(a^t·q^s_i/τ) ), negatives = every word of every
 * sentence in the batch; averaged over valid anchors (per video: 1/T Σ_t, then over videos).
 * anchors, qPos: [N, T, D]; anchorMask: [N, T]; allWords: [W, D]; allMask: [W].
 */
export function fineLoss(
  anchors: tf.Tensor,
  qPos: tf.Tensor,
  anchorMask: tf.Tensor,
  allWords: tf.Tensor,
  allMask: tf.Tensor,
  tau: number,
): tf.Tensor {
  const [N, T, D] = anchors.shape;
  const a = anchors.reshape([N * T, D]);
  const pos = tf.div(tf.sum(tf.mul(anchors, qPos), -1), tau).reshape([N * T]);
  const all = tf.add(tf.div(tf.matMul(a, allWords, false, true), tau), tf.mul(tf.sub(1, allMask), -1e9).expandDims(0));
  const lse = logSumExpRows(all);
  const per = tf.mul(tf.sub(lse, pos), anchorMask.reshape([N * T])).reshape([N, T]);
  const cnt = tf.sum(anchorMask, 1);
  const perVideo = tf.div(tf.sum(per, 1), tf.maximum(cnt, 1));
  const hasAny = tf.cast(tf.greater(cnt, 0), "float32");
  return tf.div(tf.sum(tf.mul(perVideo, hasAny)), tf.maximum(tf.sum(hasAny), 1));
}

/**
 * Context-warping inputs: for each video i with shift δ_i, the source clip of target t is
 * t+δ_i; valid only where that index is a real clip. Returns gather indices [N*T] into the
 * flattened [N*T] clip axis and the validity mask [N*T] (pure, plain numbers).
 */
export function warpIndices(
  deltas: number[],
  clipMask: Float32Array,
  T: number,
): { src: Int32Array; valid: Float32Array } {
  const N = deltas.length;
  const src = new Int32Array(N * T);
  const valid = new Float32Array(N * T);
  for (let i = 0; i < N; i++)
    for (let t = 0; t < T; t++) {
      const u = t + deltas[i];
      const ok = u >= 0 && u < T && clipMask[i * T + u] > 0 && clipMask[i * T + t] > 0;
      src[i * T + t] = i * T + (ok ? u : t);
      valid[i * T + t] = ok ? 1 : 0;
    }
  return { src, valid };
}

/** Masked average pooling over axis 1: x [N, L, D], mask [N, L] → l2norm(mean) [N, D]. */
export function maskedMeanNorm(x: tf.Tensor, mask: tf.Tensor): tf.Tensor {
  const s = tf.sum(tf.mul(x, mask.expandDims(-1)), 1);
  return l2normalize(tf.div(s, tf.maximum(tf.sum(mask, 1, true), 1)));
}
