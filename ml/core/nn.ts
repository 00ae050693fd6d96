/** Functional tfjs building blocks over a ParamStore (pre-norm transformer pieces). */
import * as tf from "@tensorflow/tfjs";
import type { ParamStore } from "./params";

export function dense(ps: ParamStore, name: string, x: tf.Tensor, inD: number, outD: number, bias = true): tf.Tensor {
  const w = ps.get(`${name}/w`, [inD, outD], "glorot");
  const shape = x.shape;
  const x2 = x.reshape([-1, inD]);
  let y = tf.matMul(x2, w);
  if (bias) y = tf.add(y, ps.get(`${name}/b`, [outD], "zeros"));
  return y.reshape([...shape.slice(0, -1), outD]);
}

export function layerNorm(ps: ParamStore, name: string, x: tf.Tensor, d: number, eps = 1e-5): tf.Tensor {
  const g = ps.get(`${name}/g`, [d], "ones");
  const b = ps.get(`${name}/b`, [d], "zeros");
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), g), b);
}

/**
 * log Σ exp along the last axis of a 2-D tensor, with the gradient written as softmax.
 * tf.logSumExp differentiates through its max shift as well (an Equal + broadcast that the
 * wasm backend runs ~40× slower than the rest of the op; the max's gradient is zero anyway).
 */
export const logSumExpRows = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  const m = tf.max(x, 1, true);
  const value = tf.add(tf.log(tf.sum(tf.exp(tf.sub(x, m)), 1, true)), m);
  save([x, value]);
  return {
    value: value.reshape([x.shape[0]]),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy.expandDims(1), tf.exp(tf.sub(saved[0], saved[1]))),
  };
}) as (x: tf.Tensor) => tf.Tensor;

export function l2normalize(x: tf.Tensor, axis = -1, eps = 1e-8): tf.Tensor {
  return tf.div(x, tf.sqrt(tf.add(tf.sum(tf.square(x), axis, true), eps)));
}

export interface AttnOpts {
  /** [B, Lk] 1 = valid key, 0 = padding */
  keyMask?: tf.Tensor;
  /**
   * [B, Lk] non-negative weights multiplying the post-softmax attention, then renormalised:
   * how CNM/CPL condition the reconstruction on a Gaussian proposal.
   */
  keyWeight?: tf.Tensor;
  /** precomputed [K, V] projections of the keys (reused across proposals) */
  kv?: { k: tf.Tensor; v: tf.Tensor };
}

/** Split [B, L, d] → [B, h, L, d/h]. */
function heads(x: tf.Tensor, h: number): tf.Tensor {
  const [B, L, d] = x.shape;
  return x.reshape([B, L, h, d / h]).transpose([0, 2, 1, 3]);
}

export function kvProject(ps: ParamStore, name: string, kvIn: tf.Tensor, d: number): { k: tf.Tensor; v: tf.Tensor } {
  return { k: dense(ps, `${name}/k`, kvIn, d, d), v: dense(ps, `${name}/v`, kvIn, d, d) };
}

export function mha(
  ps: ParamStore,
  name: string,
  qIn: tf.Tensor,
  kvIn: tf.Tensor | null,
  d: number,
  h: number,
  opts: AttnOpts = {},
): tf.Tensor {
  const B = qIn.shape[0]!;
  const Lq = qIn.shape[1]!;
  const q = heads(dense(ps, `${name}/q`, qIn, d, d), h);
  const { k: k0, v: v0 } = opts.kv ?? kvProject(ps, name, kvIn!, d);
  const k = heads(k0, h);
  const v = heads(v0, h);
  let scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(d / h)); // [B,h,Lq,Lk]
  const Lk = k.shape[2]!;
  if (opts.keyMask) scores = tf.add(scores, tf.mul(tf.sub(1, opts.keyMask.reshape([B, 1, 1, Lk])), -1e9));
  let attn = tf.softmax(scores, -1);
  if (opts.keyWeight) {
    attn = tf.mul(attn, opts.keyWeight.reshape([B, 1, 1, Lk]));
    attn = tf.div(attn, tf.add(tf.sum(attn, -1, true), 1e-10));
  }
  const out = tf.matMul(attn, v).transpose([0, 2, 1, 3]).reshape([B, Lq, d]);
  return dense(ps, `${name}/o`, out, d, d);
}

export function ffn(ps: ParamStore, name: string, x: tf.Tensor, d: number, hidden: number): tf.Tensor {
  return dense(ps, `${name}/2`, tf.relu(dense(ps, `${name}/1`, x, d, hidden)), hidden, d);
}

/** Pre-norm self-attention encoder layer. */
export function encoderLayer(
  ps: ParamStore,
  name: string,
  x: tf.Tensor,
  d: number,
  h: number,
  ffnDim: number,
  keyMask?: tf.Tensor,
): tf.Tensor {
  const n1 = layerNorm(ps, `${name}/ln1`, x, d);
  x = tf.add(x, mha(ps, `${name}/sa`, n1, n1, d, h, { keyMask }));
  return tf.add(x, ffn(ps, `${name}/ff`, layerNorm(ps, `${name}/ln2`, x, d), d, ffnDim));
}

/** Pre-norm decoder layer: self-attention, cross-attention (optionally weighted), FFN. */
export function decoderLayer(
  ps: ParamStore,
  name: string,
  x: tf.Tensor,
  mem: tf.Tensor | null,
  d: number,
  h: number,
  ffnDim: number,
  o: { selfMask?: tf.Tensor; memMask?: tf.Tensor; memWeight?: tf.Tensor; memKv?: { k: tf.Tensor; v: tf.Tensor } } = {},
): tf.Tensor {
  const n1 = layerNorm(ps, `${name}/ln1`, x, d);
  x = tf.add(x, mha(ps, `${name}/sa`, n1, n1, d, h, { keyMask: o.selfMask }));
  const n2 = layerNorm(ps, `${name}/ln2`, x, d);
  x = tf.add(x, mha(ps, `${name}/ca`, n2, mem, d, h, { keyMask: o.memMask, keyWeight: o.memWeight, kv: o.memKv }));
  return tf.add(x, ffn(ps, `${name}/ff`, layerNorm(ps, `${name}/ln3`, x, d), d, ffnDim));
}

/** Run fn in a tfjs scope: every tensor it creates is disposed on return (fn returns plain data). */
export function scoped<T>(fn: () => T): T {
  tf.engine().startScope();
  try {
    return fn();
  } finally {
    tf.engine().endScope();
  }
}
