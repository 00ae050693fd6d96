/**
 * Query–clip relevance scorer, trained weakly (video, sentence pairs only; ml/train/relevance.ts).
 *
 * Why it exists: CPL's reconstruction objective does not prefer the annotated moment on the
 * Shapes corpus (docs/experiments/003-temporal-context-and-reconstruction.md), and the LocVTP clip·sentence cosine is a weak
 * per-clip relevance (zero-shot sliding windows ≈ 10 R1@0.5). A per-token scorer that gates
 * slot features by the query, trained by multiple-instance contrast across videos, finds the
 * moment far better with no timestamps (docs/experiments/004-weak-localisation.md). It grounds on its own (the app's
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
import { concatF32, concatI32 } from "../core/arrays";
import { SLOT_STATS } from "../features/slots";
import type { RelevanceConfig } from "./config";

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
      this.scoresT(
        this.tokensT(tf.tile(f.expandDims(0), [1, cfg.nTokens, 1])),
        this.queryT([encodeText("init", cfg.maxWords, cfg.buckets)]),
      );
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
    const { x, identity } =
      this.cfg.slotLayout === "component"
        ? componentSlotsT(slotInputs)
        : { x: slotInputs, identity: Array.from({ length: S }, (_, s) => s) };
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
      const pad = tf.pad(f, [
        [0, 0],
        [half, k - 1 - half],
        [0, 0],
      ]);
      const ctx = tf.concat(
        Array.from({ length: k }, (_, j) => pad.slice([0, j, 0], [B, N, H])),
        2,
      );
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
      const e = tf.add(
        tf.sum(tf.mul(tf.gather(emb, ids).reshape([B, M, MAX_NGRAMS, H]), wts), 2),
        this.ps.get(`${p}/pos`, [M, H], { normal: 0.1 }),
      );
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
    const words = Math.max(
      text.mask.reduce((a, b) => a + b, 0),
      1,
    );
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
    const posMean = tf.tensor(
      Array.from(text.mask, (x) => x / words),
      [1, M],
    );
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
    if (memberFeats.length !== M || H !== this.cfg.hidden)
      throw new Error(`fusedScoresT needs ${M} tensors of [B, N, ${this.cfg.hidden}]`);
    const k = this.cfg.temporalKernel;
    // conv1d's "same" puts an even kernel's extra zero on the other side than tokensT does
    if (k % 2 === 0)
      return this.scoresT(this.tokensT(M === 1 ? memberFeats[0] : tf.concat(memberFeats, 2)), tf.tile(q, [B, 1]));
    const qm = q.reshape([M, H]);
    const logits = memberFeats.map((x, m) => {
      const p = memberScope(m);
      const w = this.ps.get(`${p}/conv/w`, [k * H, H]).reshape([k, H, H]); // rows: shift j, then channel
      // "same" pads (k − 1)/2 zeros either side, as tokensT's tf.pad does for an odd kernel
      const c = tf.relu(
        tf.add(tf.conv1d(x as tf.Tensor3D, w as tf.Tensor3D, 1, "same"), this.ps.get(`${p}/conv/b`, [H])),
      );
      const gated = tf.mul(tf.add(x, c), qm.slice([m, 0], [1, H])).reshape([B * N, H]);
      return dense(this.ps, `${p}/o2`, tf.relu(dense(this.ps, `${p}/o1`, gated, H, H)), H, 1);
    });
    return (M === 1 ? logits[0] : tf.div(tf.addN(logits), M)).reshape([B, N]);
  }

  /**
   * The evidence behind the logits, per token: each member's hidden layer ReLU(W₁(x_i ⊙ q)) and
   * its logit, tokens [B, N, H·M] and one query per video [B, H·M] → [B, N, M·(H + 1)] (member m's
   * block: its H hidden values, then its logit). A grounder trained on top reads what matched
   * (colour, shape, motion) rather than one number per token.
   */
  evidenceT(tokens: tf.Tensor, q: tf.Tensor): tf.Tensor {
    const [B, N] = tokens.shape as [number, number, number];
    const H = this.cfg.hidden;
    const M = this.members;
    const x = tf.mul(tokens, q.expandDims(1)).reshape([B * N, this.featureDim]);
    const blocks = Array.from({ length: M }, (_, m) => {
      const p = memberScope(m);
      const xm = M === 1 ? x : x.slice([0, m * H], [-1, H]);
      const h = tf.relu(dense(this.ps, `${p}/o1`, xm, H, H));
      return tf.concat([h, dense(this.ps, `${p}/o2`, h, H, 1)], 1);
    });
    return (M === 1 ? blocks[0] : tf.concat(blocks, 1)).reshape([B, N, M * (H + 1)]);
  }

  /**
   * Inference only: fusedScoresT for Q queries at once, qs [Q, H·M] → logits [Q, B, N]. The
   * temporal convolution does not depend on the query, so it runs once for every query; only
   * the gated head runs per query (in one product). Search's contrast with a query's one-word
   * edits scores ≈ 20 sentences on the same videos (ml/relevance/contrast.ts).
   */
  fusedScoresManyT(memberFeats: tf.Tensor[], qs: tf.Tensor): tf.Tensor {
    const [B, N, H] = memberFeats[0].shape as [number, number, number];
    const Q = qs.shape[0];
    const M = this.members;
    const k = this.cfg.temporalKernel;
    if (k % 2 === 0)
      return tf.stack(Array.from({ length: Q }, (_, i) => this.fusedScoresT(memberFeats, qs.slice([i, 0], [1, -1]))));
    if (memberFeats.length !== M || H !== this.cfg.hidden)
      throw new Error(`fusedScoresManyT needs ${M} tensors of [B, N, ${this.cfg.hidden}]`);
    const logits = memberFeats.map((x, m) => {
      const p = memberScope(m);
      const w = this.ps.get(`${p}/conv/w`, [k * H, H]).reshape([k, H, H]);
      const c = tf.relu(
        tf.add(tf.conv1d(x as tf.Tensor3D, w as tf.Tensor3D, 1, "same"), this.ps.get(`${p}/conv/b`, [H])),
      );
      const base = tf.add(x, c).reshape([1, B * N, H]);
      const q = qs.slice([0, m * H], [Q, H]).reshape([Q, 1, H]);
      const gated = tf.mul(base, q).reshape([Q * B * N, H]);
      return dense(this.ps, `${p}/o2`, tf.relu(dense(this.ps, `${p}/o1`, gated, H, H)), H, 1);
    });
    return (M === 1 ? logits[0] : tf.div(tf.addN(logits), M)).reshape([Q, B, N]);
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
    for (const [name, v] of this.ps.vars)
      if (name.startsWith(prefix)) ps.vars.set(`rel/${name.slice(prefix.length)}`, v);
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
      if (JSON.stringify({ ...m.cfg, members: undefined }) !== JSON.stringify(base))
        throw new Error("ensemble members must share one architecture");
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
      for (let g = 0; g < groups; g++)
        for (let j = 0; j < COMP_STATS; j++) idx.push(s * w + g * SLOT_STATS + k * COMP_STATS + j);
      for (let g = 0; g < groups; g++) idx.push(s * w + g * SLOT_STATS + N_COMP * COMP_STATS);
    }
  const x = tf
    .gather(slotInputs.reshape([n, S * w]), tf.tensor1d(idx, "int32"), 1)
    .reshape([n, identity.length, groups * (COMP_STATS + 1)]);
  return { x, identity };
}

function memberScope(m: number): string {
  return m === 0 ? "rel" : `rel${m}`;
}
