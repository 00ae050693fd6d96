/**
 * CPL training losses on per-proposal reconstruction losses (pure, tensor and number forms).
 */
import * as tf from "@tensorflow/tfjs";

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
export function recAndIvc(lp: tf.Tensor, lr: tf.Tensor, ln1: tf.Tensor | null, ln2: tf.Tensor | null, beta1: number, beta2: number): { rec: tf.Tensor; ivc: tf.Tensor } {
  const rec = tf.add(lp, lr);
  let ivc = tf.relu(tf.add(tf.sub(lp, lr), beta1));
  if (ln1) ivc = tf.add(ivc, tf.relu(tf.add(tf.sub(lp, ln1), beta2)));
  if (ln2) ivc = tf.add(ivc, tf.relu(tf.add(tf.sub(lp, ln2), beta2)));
  return { rec, ivc };
}

/** Number form of the same, for hand-checked tests. */
export function recAndIvcNum(lp: number, lr: number, ln1: number, ln2: number, beta1: number, beta2: number): { rec: number; ivc: number } {
  return {
    rec: lp + lr,
    ivc: Math.max(lp - lr + beta1, 0) + Math.max(lp - ln1 + beta2, 0) + Math.max(lp - ln2 + beta2, 0),
  };
}
