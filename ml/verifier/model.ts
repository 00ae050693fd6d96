/**
 * The span verifier: does this span show what this sentence says? A small network over the
 * span's pooled clip features (inputs.ts) and the sentence's attributes (attributes.ts):
 *
 *   h = relu(W_x · read(standardise(x), a) + b_x) the span            [H]
 *   e = W_q · a + b_q                              the sentence        [H]
 *   z = relu(W_z · [h, e, h ⊙ e] + b_z)            their interaction   [H]
 *   logit = w_o · z + b_o
 *
 * where read() keeps, of each clip's object-slot statistics, only the slots of the sentence's
 * colour and target colour (gatedSlotsT; the identity for a verifier without slots),
 * trained with timestamps on the Shapes training split against one-word edits of each sentence
 * (train.ts). Its logit is one more piece of evidence for the calibration (ml/calibration).
 */
import * as tf from "@tensorflow/tfjs";
import { dense } from "../core/nn";
import { ParamStore } from "../core/params";
import { COLOUR_GATES } from "./attributes";
import { POOLS } from "./inputs";

export interface VerifierConfig {
  /** the span input's width (POOLS × the clip features' width) */
  inputDim: number;
  attributeDim: number;
  hidden: number;
  /**
   * When the clip features end with the clip's object-slot statistics (ClipVector.slots): how
   * many slots and values a slot. The verifier then reads the slot of the sentence's colour and
   * of its target colour (gated by the attributes), besides the rest of the features.
   */
  slots?: { count: number; width: number };
}

export class SpanVerifier {
  readonly ps: ParamStore;
  /** the training inputs' mean and standard deviation per value */
  mean: Float32Array;
  std: Float32Array;

  constructor(
    readonly cfg: VerifierConfig,
    seed: number,
  ) {
    this.ps = new ParamStore(seed);
    this.mean = new Float32Array(cfg.inputDim);
    this.std = new Float32Array(cfg.inputDim).fill(1);
    tf.tidy(() => {
      this.logitsT(tf.zeros([1, cfg.inputDim]), tf.zeros([1, cfg.attributeDim]));
    });
  }

  /**
   * x [n, inputDim] raw span inputs, a [n, attributeDim] → logits [n]; dropout > 0 only while
   * training, its mask drawn from `dropoutSeed` (so a recipe's seed reproduces the model)
   */
  logitsT(x: tf.Tensor, a: tf.Tensor, dropout = 0, dropoutSeed?: number): tf.Tensor {
    const { attributeDim, hidden: H } = this.cfg;
    const xs = tf.clipByValue(tf.div(tf.sub(x, tf.tensor1d(this.mean)), tf.tensor1d(this.std)), -6, 6);
    const span = this.cfg.slots ? this.gatedSlotsT(xs, a) : xs;
    const h0 = tf.relu(dense(this.ps, "verifier/span", span, span.shape[1]!, H));
    const h = dropout > 0 ? tf.dropout(h0, dropout, undefined, dropoutSeed) : h0;
    const e = dense(this.ps, "verifier/sentence", a, attributeDim, H);
    const z = tf.relu(dense(this.ps, "verifier/joint", tf.concat([h, e, tf.mul(h, e)], 1), 3 * H, H));
    return dense(this.ps, "verifier/out", z, H, 1).reshape([-1]);
  }

  /**
   * xs [n, POOLS · (d + count · width)] standardised → [n, POOLS · (d + 2 · width)]: each pool's
   * other features, then the slot of the sentence's colour and the slot of its target colour
   * (zeros where the sentence names none). A sum of every slot would lose which colour has
   * which shape, the verifier's main miss on the scorer's features alone.
   */
  gatedSlotsT(xs: tf.Tensor, a: tf.Tensor): tf.Tensor {
    const { count, width } = this.cfg.slots!;
    const n = xs.shape[0];
    const clipDim = this.cfg.inputDim / POOLS;
    const d = clipDim - count * width;
    const pools = xs.reshape([n, POOLS, clipDim]);
    const rest = pools.slice([0, 0, 0], [n, POOLS, d]);
    const slots = pools.slice([0, 0, d], [n, POOLS, count * width]).reshape([n, POOLS, count, width]);
    const gate = (offset: number) =>
      tf.sum(tf.mul(slots, a.slice([0, offset], [n, count]).reshape([n, 1, count, 1])), 2);
    return tf.concat([rest, gate(COLOUR_GATES.colour), gate(COLOUR_GATES.target)], 2).reshape([n, -1]);
  }

  /** Logits of n (span input, attributes) pairs. */
  logits(inputs: readonly Float32Array[], attributes: readonly Float32Array[]): Float32Array {
    if (inputs.length === 0) return new Float32Array(0);
    return tf.tidy(() => {
      const x = tf.tensor2d(concatRows(inputs), [inputs.length, this.cfg.inputDim]);
      const a = tf.tensor2d(concatRows(attributes), [attributes.length, this.cfg.attributeDim]);
      return this.logitsT(x, a).dataSync() as Float32Array;
    });
  }

  /** Sets the standardisation from training inputs. */
  setStandardisation(rows: readonly Float32Array[]): void {
    const d = this.cfg.inputDim;
    const mean = new Float64Array(d);
    const sq = new Float64Array(d);
    for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j];
    for (let j = 0; j < d; j++) mean[j] /= rows.length;
    for (const r of rows) for (let j = 0; j < d; j++) sq[j] += (r[j] - mean[j]) ** 2;
    this.mean = Float32Array.from(mean);
    this.std = Float32Array.from(sq, (s) => Math.sqrt(s / rows.length) + 1e-4);
  }
}

export function concatRows(rows: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(rows.reduce((s, r) => s + r.length, 0));
  let o = 0;
  for (const r of rows) {
    out.set(r, o);
    o += r.length;
  }
  return out;
}
