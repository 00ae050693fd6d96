/**
 * Query–clip relevance scorer, trained weakly (video, sentence pairs only; ml/train/relevance.ts).
 *
 * Why it exists: CPL's reconstruction objective does not prefer the annotated moment on the
 * Shapes corpus (docs/models.md § Diagnostics), and the LocVTP clip·sentence cosine is a weak
 * per-clip relevance (zero-shot sliding windows ≈ 10 R1@0.5). A per-token scorer that gates
 * slot features by the query, trained by multiple-instance contrast across videos, finds the
 * moment far better with no timestamps (docs/models.md). It grounds on its own (the app's
 * default method), ranks candidate videos, and can fill CPL's similarity channel. The shipped
 * scorer is an ensemble of independently trained members (cfg.members), averaged.
 *
 *   clip tower   standardised LocVTP slot inputs [n, S, w] + slot one-hot → shared 2-layer MLP
 *                → sum over slots → [n, H]   (stored per clip at ingestion)
 *   token tower  per-clip features resampled to N tokens → residual temporal conv (kernel k)
 *   text tower   hashed word n-grams + positions → masked mean → tanh(W·) → q [H]
 *   score        s_i = w₂ · ReLU(W₁ (x_i ⊙ q))   (a logit per token)
 */
import * as tf from "@tensorflow/tfjs";
import { ParamStore } from "../core/params";
import { dense } from "../core/nn";
import { MAX_NGRAMS, encodeText, type EncodedText } from "../core/tokenizer";
import { COMP_STATS, N_COMP } from "../features/lowlevel";
import { resamplePoint } from "../core/resample";
import { concatF32, concatI32 } from "../core/arrays";
import { SLOT_STATS } from "../features/slots";

export interface RelevanceConfig {
  /** slots per clip and values per slot of the standardised LocVTP slot inputs */
  slots: number;
  slotInput: number;
  hidden: number;
  temporalKernel: number;
  nTokens: number;
  maxWords: number;
  buckets: number;
  /**
   * Independently trained scorers averaged (an ensemble; absent = 1). Member m's weights are
   * named "rel/…" (m = 0) or "rel<m>/…"; its features and query occupy the m-th block of
   * `hidden` values, and the logits are the members' mean.
   */
  members?: number;
  /**
   * How the clip tower groups the slot inputs (absent = "colour"). "colour": one slot per
   * colour, holding both of its components. "component": every object component is a slot of
   * its own (5 colours × 2 components + the background), so the shared MLP binds shape, size and
   * motion of one object at a time, and a second object of the same colour uses the same
   * detector as the first instead of a rarely trained half of the colour's input.
   */
  slotLayout?: "colour" | "component";
}

export class RelevanceModel {
  readonly ps: ParamStore;
  /** `ps`: a store that already holds the weights (see member); otherwise fresh ones from seed */
  constructor(
    readonly cfg: RelevanceConfig,
    seed: number,
    ps?: ParamStore,
  ) {
    this.ps = ps ?? new ParamStore(seed);
    tf.tidy(() => {
      const f = this.clipFeaturesT(tf.zeros([1, cfg.slots, cfg.slotInput]));
      this.scoresT(this.tokensT(tf.tile(f.expandDims(0), [1, cfg.nTokens, 1])), this.queryT([encodeText("init", cfg.maxWords, cfg.buckets)]));
    });
  }

  get members(): number {
    return this.cfg.members ?? 1;
  }

  /** width of the per-clip features and of the query: `hidden` per member */
  get featureDim(): number {
    return this.cfg.hidden * this.members;
  }

  /** standardised slot inputs [n, S, w] → per-clip features [n, H·M] */
  clipFeaturesT(slotInputs: tf.Tensor): tf.Tensor {
    const { slots: S, hidden: H } = this.cfg;
    const n = slotInputs.shape[0];
    const { x, identity } = this.cfg.slotLayout === "component" ? componentSlotsT(slotInputs) : { x: slotInputs, identity: Array.from({ length: S }, (_, s) => s) };
    const ident = tf.tile(tf.oneHot(tf.tensor1d(identity, "int32"), S).toFloat().expandDims(0), [n, 1, 1]);
    const input = tf.concat([x, ident], 2);
    return this.concatMembers((p) => {
      const h1 = tf.relu(dense(this.ps, `${p}/slot1`, input, input.shape[2]!, H));
      return tf.sum(tf.relu(dense(this.ps, `${p}/slot2`, h1, H, H)), 1);
    });
  }

  /** resampled per-clip features [B, N, H·M] → tokens with temporal context [B, N, H·M] */
  tokensT(feats: tf.Tensor): tf.Tensor {
    const [B, N] = feats.shape as [number, number, number];
    const { hidden: H, temporalKernel: k } = this.cfg;
    const half = Math.floor(k / 2);
    return this.concatMembers((p, m) => {
      const f = this.members === 1 ? feats : feats.slice([0, 0, m * H], [B, N, H]);
      // shifted copies + dense: the wasm backend has no conv backprop kernel
      const pad = tf.pad(f, [[0, 0], [half, k - 1 - half], [0, 0]]);
      const ctx = tf.concat(Array.from({ length: k }, (_, j) => pad.slice([0, j, 0], [B, N, H])), 2);
      return tf.add(f, tf.relu(dense(this.ps, `${p}/conv`, ctx, k * H, H)));
    });
  }

  /** queries → [B, H·M] */
  queryT(texts: EncodedText[]): tf.Tensor {
    const { hidden: H, maxWords: M, buckets } = this.cfg;
    const B = texts.length;
    const ids = tf.tensor(concatI32(texts.map((x) => x.ids)), [B, M * MAX_NGRAMS], "int32");
    const wts = tf.tensor(concatF32(texts.map((x) => x.weights)), [B, M, MAX_NGRAMS, 1]);
    const mask = tf.tensor(concatF32(texts.map((x) => x.mask)), [B, M, 1]);
    return this.concatMembers((p) => {
      const emb = this.ps.get(`${p}/emb`, [buckets, H], { normal: 0.3 });
      const e = tf.add(tf.sum(tf.mul(tf.gather(emb, ids).reshape([B, M, MAX_NGRAMS, H]), wts), 2), this.ps.get(`${p}/pos`, [M, H], { normal: 0.1 }));
      const mean = tf.div(tf.sum(tf.mul(e, mask), 1), tf.maximum(tf.sum(mask, 1), 1));
      return tf.tanh(dense(this.ps, `${p}/q`, mean, H, H));
    });
  }

  /**
   * Inference: one query [1, H·M], the same values as queryT([text]). The wasm gather costs
   * ≈ 2 µs a row, and most of queryT's rows (maxWords × MAX_NGRAMS) are padding, so only the
   * buckets the text uses are gathered; their weights and the masked mean over words become
   * one [1, U] row that multiplies the U gathered rows.
   */
  queryOneT(text: EncodedText): tf.Tensor {
    const { hidden: H, maxWords: M, buckets } = this.cfg;
    const words = Math.max(text.mask.reduce((a, b) => a + b, 0), 1);
    const column = new Map<number, number>();
    const weight: number[] = [];
    for (let w = 0; w < M; w++) {
      if (!text.mask[w]) continue;
      for (let g = 0; g < MAX_NGRAMS; g++) {
        const wt = text.weights[w * MAX_NGRAMS + g];
        if (!wt) continue;
        const id = text.ids[w * MAX_NGRAMS + g];
        if (!column.has(id)) column.set(id, weight.push(0) - 1);
        weight[column.get(id)!] += wt / words;
      }
    }
    if (column.size === 0) return this.queryT([text]);
    const a = tf.tensor(weight, [1, column.size]);
    const ids = tf.tensor1d([...column.keys()], "int32");
    const posMean = tf.tensor(Array.from(text.mask, (x) => x / words), [1, M]);
    return this.concatMembers((p) => {
      const rows = tf.gather(this.ps.get(`${p}/emb`, [buckets, H], { normal: 0.3 }), ids);
      const mean = tf.add(tf.matMul(a, rows), tf.matMul(posMean, this.ps.get(`${p}/pos`, [M, H], { normal: 0.1 })));
      return tf.tanh(dense(this.ps, `${p}/q`, mean, H, H));
    });
  }

  /** tokens [B, N, H·M] and one query per video [B, H·M] → logits [B, N] */
  scoresT(tokens: tf.Tensor, q: tf.Tensor): tf.Tensor {
    const [B, N] = tokens.shape as [number, number, number];
    return this.headT(tf.mul(tokens, q.expandDims(1)).reshape([B * N, this.featureDim])).reshape([B, N]);
  }

  /** every query against every video: tokens [V, N, H·M], q [Q, H·M] → logits [Q, V, N] */
  pairScoresT(tokens: tf.Tensor, q: tf.Tensor): tf.Tensor {
    const [V, N] = tokens.shape as [number, number, number];
    const Q = q.shape[0];
    const pair = tf.mul(tokens.expandDims(0), q.expandDims(1).expandDims(1));
    return this.headT(pair.reshape([Q * V * N, this.featureDim])).reshape([Q, V, N]);
  }

  /**
   * Inference only: the logits of one query [1, H·M] for B videos → [B, N], the same values as
   * scoresT(tokensT(feats), q) for the videos' resampled per-clip features feats [B, N, H·M], but
   * taken as one [B, N, H] tensor per member (block m of the feature axis), with the members
   * fused. tokensT and scoresT cut every member's block out of the feature axis and build the
   * temporal convolution from shifted copies (the wasm backend has no conv backprop kernel);
   * those strided copies were half of search's scoring time. Here the caller lays the blocks out
   * apart, the convolution is conv1d (forward only), and each member's head is a plain 2-D
   * product (tfjs-wasm runs batched small products several times slower).
   */
  fusedScoresT(memberFeats: tf.Tensor[], q: tf.Tensor): tf.Tensor {
    const [B, N, H] = memberFeats[0].shape as [number, number, number];
    const M = this.members;
    if (memberFeats.length !== M || H !== this.cfg.hidden) throw new Error(`fusedScoresT needs ${M} tensors of [B, N, ${this.cfg.hidden}]`);
    const k = this.cfg.temporalKernel;
    // conv1d's "same" puts an even kernel's extra zero on the other side than tokensT does
    if (k % 2 === 0) return this.scoresT(this.tokensT(M === 1 ? memberFeats[0] : tf.concat(memberFeats, 2)), tf.tile(q, [B, 1]));
    const qm = q.reshape([M, H]);
    const logits = memberFeats.map((x, m) => {
      const p = memberScope(m);
      const w = this.ps.get(`${p}/conv/w`, [k * H, H]).reshape([k, H, H]); // rows: shift j, then channel
      // "same" pads (k − 1)/2 zeros either side, as tokensT's tf.pad does for an odd kernel
      const c = tf.relu(tf.add(tf.conv1d(x as tf.Tensor3D, w as tf.Tensor3D, 1, "same"), this.ps.get(`${p}/conv/b`, [H])));
      const gated = tf.mul(tf.add(x, c), qm.slice([m, 0], [1, H])).reshape([B * N, H]);
      return dense(this.ps, `${p}/o2`, tf.relu(dense(this.ps, `${p}/o1`, gated, H, H)), H, 1);
    });
    return (M === 1 ? logits[0] : tf.div(tf.addN(logits), M)).reshape([B, N]);
  }

  /** gated features [R, H·M] → logits [R]: the mean of the members' heads */
  private headT(x: tf.Tensor): tf.Tensor {
    const H = this.cfg.hidden;
    const M = this.members;
    const logits = Array.from({ length: M }, (_, m) => {
      const p = memberScope(m);
      const xm = M === 1 ? x : x.slice([0, m * H], [-1, H]);
      return dense(this.ps, `${p}/o2`, tf.relu(dense(this.ps, `${p}/o1`, xm, H, H)), H, 1);
    });
    return M === 1 ? logits[0] : tf.div(tf.addN(logits), M);
  }

  private concatMembers(f: (scope: string, m: number) => tf.Tensor): tf.Tensor {
    const parts = Array.from({ length: this.members }, (_, m) => f(memberScope(m), m));
    return parts.length === 1 ? parts[0] : tf.concat(parts, -1);
  }

  /** Member m of an ensemble as a single scorer sharing its weights (a cheap first pass). */
  member(m: number): RelevanceModel {
    if (m < 0 || m >= this.members) throw new Error(`no member ${m} in a ${this.members}-member scorer`);
    const ps = new ParamStore(0);
    const prefix = `${memberScope(m)}/`;
    for (const [name, v] of this.ps.vars) if (name.startsWith(prefix)) ps.vars.set(`rel/${name.slice(prefix.length)}`, v);
    return new RelevanceModel({ ...this.cfg, members: undefined }, 0, ps);
  }

  /**
   * One scorer averaging independently trained single scorers of the same architecture: the
   * members' weights renamed into their blocks (an ensemble; the stored features concatenate).
   */
  static ensemble(members: RelevanceModel[]): RelevanceModel {
    if (members.length === 0) throw new Error("an ensemble needs at least one member");
    const base = { ...members[0].cfg, members: undefined };
    for (const m of members) {
      if (m.members !== 1) throw new Error("ensemble members must be single scorers");
      if (JSON.stringify({ ...m.cfg, members: undefined }) !== JSON.stringify(base)) throw new Error("ensemble members must share one architecture");
    }
    const out = new RelevanceModel({ ...base, members: members.length }, 0);
    members.forEach((m, i) => {
      for (const name of m.ps.names()) {
        const v = m.ps.vars.get(name)!;
        out.ps.assign(name.replace(/^rel\//, `${memberScope(i)}/`), v.shape, v.dataSync() as Float32Array);
      }
    });
    return out;
  }

  encode(text: string): EncodedText {
    return encodeText(text, this.cfg.maxWords, this.cfg.buckets);
  }
}

/**
 * Colour slots [n, S, w] (w = groups of SLOT_STATS: component 1, component 2, count) → component
 * slots [n, 2(S−1)+1, groups·(COMP_STATS+1)]: each object component's values and its colour's count from every
 * group; the background (last slot, its values where component 1 sits) stays one slot.
 * `identity`: the colour slot each component slot came from (its one-hot).
 */
export function componentSlotsT(slotInputs: tf.Tensor): { x: tf.Tensor; identity: number[] } {
  const [n, S, w] = slotInputs.shape as [number, number, number];
  const groups = w / SLOT_STATS;
  if (!Number.isInteger(groups)) throw new Error(`slot width ${w} is not a multiple of ${SLOT_STATS}`);
  const idx: number[] = [];
  const identity: number[] = [];
  for (let s = 0; s < S; s++)
    for (let k = 0; k < (s < S - 1 ? N_COMP : 1); k++) {
      identity.push(s);
      for (let g = 0; g < groups; g++) for (let j = 0; j < COMP_STATS; j++) idx.push(s * w + g * SLOT_STATS + k * COMP_STATS + j);
      for (let g = 0; g < groups; g++) idx.push(s * w + g * SLOT_STATS + N_COMP * COMP_STATS);
    }
  const x = tf.gather(slotInputs.reshape([n, S * w]), tf.tensor1d(idx, "int32"), 1).reshape([n, identity.length, groups * (COMP_STATS + 1)]);
  return { x, identity };
}

function memberScope(m: number): string {
  return m === 0 ? "rel" : `rel${m}`;
}

/**
 * How spans are read off a video's token scores (relevanceSpans).
 * - peak: the best token, extended over its neighbours scoring above
 *   min + threshold·(peak − min);
 * - mass: the tokens' softmax p_i ∝ exp(s_i / temperature), the pooling the scorer is trained
 *   with, and the span that maximises its mass minus lengthPrice × its length (as a fraction of
 *   the video). It places the first span better than peak, but once that span's mass is gone
 *   it ranks the rest worse, so the alternatives come from peak (at `alternatives`).
 * Either way the next span is the best one among the tokens not used yet.
 */
export type RelevanceReadout = ({ kind: "peak"; threshold: number } | { kind: "mass"; temperature: number; lengthPrice: number; alternatives: number }) & {
  /**
   * Each span gives up this fraction of its length at either end (absent = 0). Clip features
   * carry a ±2-clip context, so evidence spreads past the event's ends and spans read off the
   * scores run long (docs/models.md § Diagnostics, sixth session).
   */
  trim?: number;
};

/** Chosen on val (docs/models.md § Diagnostics, fifth and sixth sessions). */
export const DEFAULT_RELEVANCE_READOUT: RelevanceReadout = { kind: "mass", temperature: 1, lengthPrice: 1.5, alternatives: 0.8, trim: 0.1 };

type ScoredSpan = { start: number; end: number; score: number };

/** Up to topK distinct spans of a video from its token scores [N] (any scale), best first. */
export function relevanceSpans(scores: ArrayLike<number>, duration: number, topK: number, readout: RelevanceReadout = DEFAULT_RELEVANCE_READOUT): ScoredSpan[] {
  const N = scores.length;
  if (N === 0) return [];
  const used = new Uint8Array(N);
  const peak = peakPicker(scores, readout.kind === "peak" ? readout.threshold : readout.alternatives);
  const first = readout.kind === "peak" ? peak : massPicker(scores, readout.temperature, readout.lengthPrice);
  const out: ScoredSpan[] = [];
  while (out.length < topK) {
    const span = (out.length === 0 ? first : peak)(used);
    if (!span) break;
    used.fill(1, span.a0, span.a1 + 1);
    const cut = (readout.trim ?? 0) * ((span.a1 + 1 - span.a0) / N) * duration;
    out.push({ start: (span.a0 / N) * duration + cut, end: ((span.a1 + 1) / N) * duration - cut, score: span.score });
  }
  return out;
}

type Picker = (used: Uint8Array) => { a0: number; a1: number; score: number } | null;

/** The best unused token and its unused neighbours above the threshold; scored by its peak. */
function peakPicker(scores: ArrayLike<number>, threshold: number): Picker {
  const N = scores.length;
  let lo = Infinity;
  for (let i = 0; i < N; i++) lo = Math.min(lo, scores[i]);
  return (used) => {
    let am = -1;
    for (let i = 0; i < N; i++) if (!used[i] && (am < 0 || scores[i] > scores[am])) am = i;
    if (am < 0) return null;
    const th = lo + threshold * Math.max(scores[am] - lo, 1e-6);
    let a0 = am;
    let a1 = am;
    while (a0 > 0 && !used[a0 - 1] && scores[a0 - 1] > th) a0--;
    while (a1 < N - 1 && !used[a1 + 1] && scores[a1 + 1] > th) a1++;
    return { a0, a1, score: scores[am] };
  };
}

/** The run of unused tokens maximising softmax mass − price × length; scored by that value. */
function massPicker(scores: ArrayLike<number>, temperature: number, lengthPrice: number): Picker {
  const N = scores.length;
  let mx = -Infinity;
  for (let i = 0; i < N; i++) mx = Math.max(mx, scores[i]);
  const cum = new Float64Array(N + 1);
  for (let i = 0; i < N; i++) cum[i + 1] = cum[i] + Math.exp((scores[i] - mx) / temperature);
  const z = cum[N];
  return (used) => {
    let best: { a0: number; a1: number; score: number } | null = null;
    for (let a = 0; a < N; a++) {
      if (used[a]) continue;
      for (let b = a; b < N && !used[b]; b++) {
        const v = (cum[b + 1] - cum[a]) / z - (lengthPrice * (b - a + 1)) / N;
        if (!best || v > best.score) best = { a0: a, a1: b, score: v };
      }
    }
    return best;
  };
}
