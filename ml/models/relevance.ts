/**
 * Query–clip relevance scorer, trained weakly (video, sentence pairs only; ml/train/relevance.ts).
 *
 * Why it exists: CPL's reconstruction objective does not prefer the annotated moment on the
 * Shapes corpus (docs/models.md § Diagnostics), and the LocVTP clip·sentence cosine is a weak
 * per-clip relevance (zero-shot sliding windows ≈ 10 R1@0.5). A per-token scorer that gates
 * slot features by the query, trained by multiple-instance contrast across and within videos,
 * finds the moment far better (val R1@0.5 ≈ 20 with no timestamps). Its scores feed the CPL
 * grounder's similarity channel, where the pointer head starts from them.
 *
 *   clip tower   standardised LocVTP slot inputs [n, S, w] + slot one-hot → shared 2-layer MLP
 *                → sum over slots → [n, H]   (stored per clip at ingestion)
 *   token tower  per-clip features resampled to N tokens → residual temporal conv (kernel k)
 *   text tower   hashed word n-grams + positions → masked mean → tanh(W·) → q [H]
 *   score        s_i = w₂ · ReLU(W₁ (x_i ⊙ q))   (a logit per token)
 */
import * as tf from "@tensorflow/tfjs";
import { ParamStore } from "../params";
import { dense } from "../nn";
import { MAX_NGRAMS, encodeText, type EncodedText } from "../tokenizer";
import { concatF32, concatI32 } from "./locvtp";
import { resamplePoint } from "./cpl";

export interface RelevanceConfig {
  /** slots per clip and values per slot of the standardised LocVTP slot inputs */
  slots: number;
  slotInput: number;
  hidden: number;
  temporalKernel: number;
  nTokens: number;
  maxWords: number;
  buckets: number;
}

export class RelevanceModel {
  readonly ps: ParamStore;
  constructor(
    readonly cfg: RelevanceConfig,
    seed: number,
  ) {
    this.ps = new ParamStore(seed);
    tf.tidy(() => {
      const f = this.clipFeaturesT(tf.zeros([1, cfg.slots, cfg.slotInput]));
      this.scoresT(this.tokensT(tf.tile(f.expandDims(0), [1, cfg.nTokens, 1])), this.queryT([encodeText("init", cfg.maxWords, cfg.buckets)]));
    });
  }

  /** standardised slot inputs [n, S, w] → per-clip features [n, H] */
  clipFeaturesT(slotInputs: tf.Tensor): tf.Tensor {
    const { slots: S, slotInput: w, hidden: H } = this.cfg;
    const n = slotInputs.shape[0];
    const ident = tf.tile(tf.eye(S).expandDims(0), [n, 1, 1]);
    const h1 = tf.relu(dense(this.ps, "rel/slot1", tf.concat([slotInputs, ident], 2), w + S, H));
    return tf.sum(tf.relu(dense(this.ps, "rel/slot2", h1, H, H)), 1);
  }

  /** resampled per-clip features [B, N, H] → tokens with temporal context [B, N, H] */
  tokensT(feats: tf.Tensor): tf.Tensor {
    const [B, N, H] = feats.shape as [number, number, number];
    const k = this.cfg.temporalKernel;
    const half = Math.floor(k / 2);
    // shifted copies + dense: the wasm backend has no conv backprop kernel
    const p = tf.pad(feats, [[0, 0], [half, k - 1 - half], [0, 0]]);
    const ctx = tf.concat(Array.from({ length: k }, (_, j) => p.slice([0, j, 0], [B, N, H])), 2);
    return tf.add(feats, tf.relu(dense(this.ps, "rel/conv", ctx, k * H, H)));
  }

  /** queries → [B, H] */
  queryT(texts: EncodedText[]): tf.Tensor {
    const { hidden: H, maxWords: M, buckets } = this.cfg;
    const B = texts.length;
    const ids = tf.tensor(concatI32(texts.map((x) => x.ids)), [B, M * MAX_NGRAMS], "int32");
    const wts = tf.tensor(concatF32(texts.map((x) => x.weights)), [B, M, MAX_NGRAMS, 1]);
    const mask = tf.tensor(concatF32(texts.map((x) => x.mask)), [B, M, 1]);
    const emb = this.ps.get("rel/emb", [buckets, H], { normal: 0.3 });
    const e = tf.add(tf.sum(tf.mul(tf.gather(emb, ids).reshape([B, M, MAX_NGRAMS, H]), wts), 2), this.ps.get("rel/pos", [M, H], { normal: 0.1 }));
    const mean = tf.div(tf.sum(tf.mul(e, mask), 1), tf.maximum(tf.sum(mask, 1), 1));
    return tf.tanh(dense(this.ps, "rel/q", mean, H, H));
  }

  /** tokens [B, N, H] and one query per video [B, H] → logits [B, N] */
  scoresT(tokens: tf.Tensor, q: tf.Tensor): tf.Tensor {
    const [B, N, H] = tokens.shape as [number, number, number];
    return this.headT(tf.mul(tokens, q.expandDims(1)).reshape([B * N, H])).reshape([B, N]);
  }

  /** every query against every video: tokens [V, N, H], q [Q, H] → logits [Q, V, N] */
  pairScoresT(tokens: tf.Tensor, q: tf.Tensor): tf.Tensor {
    const [V, N, H] = tokens.shape as [number, number, number];
    const Q = q.shape[0];
    const pair = tf.mul(tokens.expandDims(0), q.expandDims(1).expandDims(1));
    return this.headT(pair.reshape([Q * V * N, H])).reshape([Q, V, N]);
  }

  private headT(x: tf.Tensor): tf.Tensor {
    const H = this.cfg.hidden;
    return dense(this.ps, "rel/o2", tf.relu(dense(this.ps, "rel/o1", x, H, H)), H, 1);
  }

  encode(text: string): EncodedText {
    return encodeText(text, this.cfg.maxWords, this.cfg.buckets);
  }
}

/**
 * Linear-interpolation weights [N, n] that resample n clips to N tokens exactly as
 * resampleClips does (token j at relative time (j + ½)/N), so training can resample learned
 * per-clip features with a matmul and inference can resample the stored ones.
 */
export function resampleMatrix(n: number, N: number): Float32Array {
  const out = new Float32Array(N * n);
  if (n === 0) return out;
  for (let j = 0; j < N; j++) {
    const { i0, i1, f } = resamplePoint(j, n, N);
    out[j * n + i0] += 1 - f;
    out[j * n + i1] += f;
  }
  return out;
}

/** Readout threshold (fraction of a peak's height above the video's minimum); chosen on val. */
export const RELEVANCE_THRESHOLD = 0.8;

/**
 * Spans read off token scores [N] (any scale): the best token, extended over its neighbours
 * scoring above min + threshold·(peak − min); then the best token outside the spans found so
 * far, and so on — up to topK distinct moments, best first, scored by their peak.
 */
export function relevanceSpans(scores: ArrayLike<number>, duration: number, topK: number, threshold = RELEVANCE_THRESHOLD): { start: number; end: number; score: number }[] {
  const N = scores.length;
  if (N === 0) return [];
  let lo = Infinity;
  for (let i = 0; i < N; i++) lo = Math.min(lo, scores[i]);
  const used = new Uint8Array(N);
  const out: { start: number; end: number; score: number }[] = [];
  while (out.length < topK) {
    let am = -1;
    for (let i = 0; i < N; i++) if (!used[i] && (am < 0 || scores[i] > scores[am])) am = i;
    if (am < 0) break;
    const th = lo + threshold * Math.max(scores[am] - lo, 1e-6);
    let a0 = am;
    let a1 = am;
    while (a0 > 0 && !used[a0 - 1] && scores[a0 - 1] > th) a0--;
    while (a1 < N - 1 && !used[a1 + 1] && scores[a1 + 1] > th) a1++;
    used.fill(1, a0, a1 + 1);
    out.push({ start: (a0 / N) * duration, end: ((a1 + 1) / N) * duration, score: scores[am] });
  }
  return out;
}
