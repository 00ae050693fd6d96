/**
 * CPL grounder (Zheng et al., CVPR 2022), sized for CPU inference:
 *  - text encoder E: hashed n-gram word embeddings + self-attention;
 *  - decoder D over [video tokens…, CLS] (self-attn + cross-attn to words) → h_cls →
 *    FC + sigmoid → K centres and K widths;
 *  - mask-conditioned reconstructor: masked query words self-attend and cross-attend to the
 *    video tokens, the attention multiplied by a proposal's Gaussian mask (CNM) → vocab logits.
 */
import * as tf from "@tensorflow/tfjs";
import type { CplConfig } from "./config";
import { ParamStore } from "../core/params";
import { decoderLayer, dense, encoderLayer, ffn as feedForward, kvProject, layerNorm, mha } from "../core/nn";
import { MAX_NGRAMS, encodeWords, words as splitWords, type EncodedText } from "../core/tokenizer";
import { boundarySpans, gaussianMaskT, pointerProposalT } from "./geometry";
import { evidenceWidth } from "../relevance/scores";
import type { RelevanceModel } from "../relevance/model";
import type { SubstitutionIndex } from "./completion";
import type { SentenceEmbedder } from "../locvtp/encode";
import { concatF32, concatI32 } from "../core/arrays";

export interface CplEncoded {
  query: EncodedText;
  /** per word: vocabulary id of the original word */
  targets: Int32Array;
}

/** The models a grounder reads besides its own weights, given when it is built. */
export interface CplCollaborators {
  /** required when cfg.simChannel fills its channel from LocVTP: the text encoder the clip embeddings came from */
  sentenceEmbedder?: SentenceEmbedder | null;
  /** required when cfg.simSource or cfg.completion is "relevance": the frozen relevance scorer */
  relevance?: RelevanceModel | null;
  /** required when cfg.completion is "relevance": which words may stand in for which (from the training sentences) */
  substitutions?: SubstitutionIndex | null;
}

export class CplModel {
  readonly ps: ParamStore;
  readonly wordIndex = new Map<string, number>();
  readonly sentenceEmbedder: SentenceEmbedder | null;
  readonly relevance: RelevanceModel | null;
  readonly substitutions: SubstitutionIndex | null;
  constructor(
    readonly cfg: CplConfig,
    seed: number,
    /** reconstruction vocabulary; id 0 = unknown word */
    readonly vocab: string[],
    collaborators: CplCollaborators = {},
  ) {
    this.sentenceEmbedder = collaborators.sentenceEmbedder ?? null;
    this.relevance = collaborators.relevance ?? null;
    this.substitutions = collaborators.substitutions ?? null;
    this.ps = new ParamStore(seed);
    vocab.forEach((w, i) => this.wordIndex.set(w, i));
    tf.tidy(() => {
      const q = this.encode("init words");
      const p = this.proposals(
        tf.zeros([1, cfg.nTokens, cfg.inDim]),
        [q.query],
        cfg.simChannel ? new Float32Array(cfg.nTokens * this.simWidth) : undefined,
      );
      const masks = gaussianMaskT(p.c, p.w, cfg.nTokens, cfg.sigma);
      this.reconstructCE(p.mem, [q], [[true, false]], masks.reshape([1, cfg.K, cfg.nTokens]));
    });
  }

  /** values per token in the similarity channel: 1, or the scorer's evidence width */
  get simWidth(): number {
    if (this.cfg.simSource !== "relevance-evidence") return 1;
    if (!this.relevance) throw new Error('simSource "relevance-evidence" needs the relevance scorer');
    return evidenceWidth(this.relevance);
  }

  encode(text: string): CplEncoded {
    const ws = splitWords(text).slice(0, this.cfg.maxWords);
    if (ws.length === 0) ws.push("<empty>");
    const query = encodeWords(ws, this.cfg.maxWords, this.cfg.buckets);
    const targets = new Int32Array(this.cfg.maxWords);
    ws.forEach((w, i) => (targets[i] = this.wordIndex.get(w) ?? 0));
    return { query, targets };
  }

  /** word embeddings [B, M, d] from hashed buckets (bucket buckets-1 = [MASK]) */
  private embedWords(texts: EncodedText[]): tf.Tensor {
    const { hidden: d, maxWords: M, buckets } = this.cfg;
    const B = texts.length;
    const ids = tf.tensor(concatI32(texts.map((x) => x.ids)), [B, M * MAX_NGRAMS], "int32");
    const wts = tf.tensor(concatF32(texts.map((x) => x.weights)), [B, M, MAX_NGRAMS, 1]);
    const emb = this.ps.get("cpl/emb", [buckets, d], { normal: 0.3 });
    const e = tf.sum(tf.mul(tf.gather(emb, ids).reshape([B, M, MAX_NGRAMS, d]), wts), 2);
    return tf.add(e, this.ps.get("cpl/wpos", [M, d], { normal: 0.1 }));
  }

  /**
   * video [B, N, inDim] (already resampled to nTokens) → centres/widths [B, K] in [0,1] and
   * the video memory [B, N, d] the reconstructor attends to.
   */
  proposals(
    video: tf.Tensor,
    query: EncodedText[],
    sim?: Float32Array,
  ): {
    c: tf.Tensor;
    w: tf.Tensor;
    mem: tf.Tensor;
    pointer?: tf.Tensor;
    /** head "boundary": start and end logits [B, N] and each proposal's score [B, K] */
    boundary?: { start: tf.Tensor; end: tf.Tensor; score: tf.Tensor };
  } {
    const { hidden: d, heads: h, ffn, nTokens: N, K } = this.cfg;
    const B = video.shape[0];
    let inDim = this.cfg.inDim;
    let simZ: tf.Tensor | null = null;
    if (this.cfg.simChannel) {
      const C = this.simWidth;
      if (!sim || sim.length !== B * N * C)
        throw new Error(`this grounder needs the query-clip similarity channel (B × nTokens × ${C} values)`);
      const ch = tf.tensor(simChannels(sim, B, N, C), [B, N, 2 * C]);
      if (C === 1) simZ = ch.slice([0, 0, 1], [B, N, 1]).reshape([B, 1, N]);
      video = tf.concat([video, ch], 2);
      inDim += 2 * C;
    }
    const wmask = tf.tensor(concatF32(query.map((x) => x.mask)), [B, this.cfg.maxWords]);
    let t = this.embedWords(query);
    for (let l = 0; l < this.cfg.encLayers; l++) t = encoderLayer(this.ps, `cpl/E${l}`, t, d, h, ffn, wmask);
    t = layerNorm(this.ps, "cpl/Eln", t, d);
    let mem = dense(this.ps, "cpl/vin", video, inDim, d);
    const tk = this.cfg.temporalKernel ?? 0;
    if (tk > 1) {
      // local temporal context (motion = change between neighbouring clips), residual. Built
      // from shifted copies + dense: the wasm backend has no conv backprop kernel.
      const half = Math.floor(tk / 2);
      const padded = tf.pad(mem, [
        [0, 0],
        [half, tk - 1 - half],
        [0, 0],
      ]);
      const shifted = Array.from({ length: tk }, (_, j) => padded.slice([0, j, 0], [B, N, d]));
      mem = tf.add(mem, tf.relu(dense(this.ps, "cpl/vconv", tf.concat(shifted, 2), tk * d, d)));
    }
    mem = tf.add(mem, this.ps.get("cpl/vpos", [N, d], { normal: 0.1 }));
    const cls = tf.tile(this.ps.get("cpl/cls", [1, 1, d], { normal: 0.1 }), [B, 1, 1]);
    let x = tf.concat([mem, cls], 1); // V̂ = {v_1..v_N, v_cls}
    for (let l = 0; l < this.cfg.decLayers; l++)
      x = decoderLayer(this.ps, `cpl/D${l}`, x, t, d, h, ffn, { memMask: wmask });
    x = layerNorm(this.ps, "cpl/Dln", x, d);
    const hcls = x.slice([0, N, 0], [B, 1, d]).reshape([B, d]);
    if (this.cfg.head === "boundary") {
      const se = dense(this.ps, "cpl/bound", x.slice([0, 0, 0], [B, N, d]), d, 2); // [B, N, 2]
      const start = se.slice([0, 0, 0], [B, N, 1]).reshape([B, N]);
      const end = se.slice([0, 0, 1], [B, N, 1]).reshape([B, N]);
      // decoding picks token pairs (a discrete choice on values, like k*): not differentiated
      const sv = start.dataSync();
      const ev = end.dataSync();
      const c = new Float32Array(B * K);
      const w = new Float32Array(B * K);
      const score = new Float32Array(B * K).fill(-Infinity);
      for (let b = 0; b < B; b++)
        boundarySpans(sv.subarray(b * N, (b + 1) * N), ev.subarray(b * N, (b + 1) * N), K).forEach((p, k) => {
          c[b * K + k] = p.c;
          w[b * K + k] = p.w;
          score[b * K + k] = p.score;
        });
      return {
        c: tf.tensor(c, [B, K]),
        w: tf.tensor(w, [B, K]),
        mem,
        boundary: { start, end, score: tf.tensor(score, [B, K]) },
      };
    }
    if ((this.cfg.head ?? "fc") === "pointer") {
      const tokens = x.slice([0, 0, 0], [B, N, d]);
      const ptr = dense(this.ps, "cpl/head", hcls, d, K * d).reshape([B, K, d]);
      let logits = tf.div(tf.matMul(ptr, tokens, false, true), Math.sqrt(d)); // [B, K, N]
      if (simZ) {
        // prior: pointer k starts as a softmax of the LocVTP similarity at its own sharpness
        // (K scales → K widths); training moves away from it where reconstruction says so
        const init = Array.from({ length: K }, (_, k) => 0.5 + (2.5 * k) / Math.max(K - 1, 1));
        logits = tf.add(logits, tf.mul(simZ, this.ps.get("cpl/simPrior", [1, K, 1], { values: init })));
      }
      const a = tf.softmax(logits, -1);
      const { c, w } = pointerProposalT(a);
      return { c, w, mem, pointer: a };
    }
    const cw = tf.sigmoid(dense(this.ps, "cpl/head", hcls, d, 2 * K));
    return { c: cw.slice([0, 0], [B, K]), w: cw.slice([0, K], [B, K]), mem };
  }

  /**
   * Mask-conditioned semantic completion. For each sample b and each of its P Gaussian masks
   * weights[b, p, :], reconstruct the words hidden in `masked[b]` (which[b][i] = word i is
   * masked) from the video memory; returns the mean cross-entropy over masked words [B, P].
   */
  reconstructCE(mem: tf.Tensor, enc: CplEncoded[], which: boolean[][], weights: tf.Tensor): tf.Tensor {
    const { hidden: d, heads: h, ffn, nTokens: N, maxWords: M } = this.cfg;
    const B = enc.length;
    const P = weights.shape[1]!;
    const V = this.vocab.length;
    const masked: EncodedText[] = enc.map((e, b) =>
      encodeWords(
        e.query.words.map((w, i) => (which[b][i] ? "[mask]" : w)),
        M,
        this.cfg.buckets,
      ),
    );
    const onehot = new Float32Array(B * M * V);
    const sel = new Float32Array(B * M);
    enc.forEach((e, b) =>
      e.query.words.forEach((_, i) => {
        if (!which[b][i]) return;
        onehot[(b * M + i) * V + e.targets[i]] = 1;
        sel[b * M + i] = 1;
      }),
    );
    const wmask = tf.tensor(concatF32(masked.map((x) => x.mask)), [B, M]);
    const tileP = (x: tf.Tensor) => {
      const s = x.shape;
      return tf.tile(x.expandDims(1), [1, P, ...s.slice(1).map(() => 1)]).reshape([B * P, ...s.slice(1)]);
    };
    let x = tileP(this.embedWords(masked));
    const selfMask = tileP(wmask);
    const memW = weights.reshape([B * P, N]);
    const maskOnly = this.cfg.recAttention === "mask";
    // mask-only reading: the Gaussian, normalised to sum 1, is the attention over the video
    const pool = maskOnly ? tf.div(weights, tf.maximum(tf.sum(weights, 2, true), 1e-6)) : null; // [B, P, N]
    for (let l = 0; l < this.cfg.recLayers; l++) {
      if (pool) {
        const name = `cpl/R${l}`;
        const n1 = layerNorm(this.ps, `${name}/ln1`, x, d);
        x = tf.add(x, mha(this.ps, `${name}/sa`, n1, n1, d, h, { keyMask: selfMask }));
        const seen = tf.matMul(pool, dense(this.ps, `${name}/pool`, mem, d, d)).reshape([B * P, 1, d]);
        x = tf.add(x, seen);
        x = tf.add(x, feedForward(this.ps, `${name}/ff`, layerNorm(this.ps, `${name}/ln3`, x, d), d, ffn));
        continue;
      }
      // K/V of the video are shared by all P proposals of a sample: project once, then tile
      const kv = kvProject(this.ps, `cpl/R${l}/ca`, mem, d);
      x = decoderLayer(this.ps, `cpl/R${l}`, x, null, d, h, ffn, {
        selfMask,
        memWeight: memW,
        memKv: { k: tileP(kv.k), v: tileP(kv.v) },
      });
    }
    x = layerNorm(this.ps, "cpl/Rln", x, d);
    const logits = dense(this.ps, "cpl/vocab", x, d, V); // [B*P, M, V]
    const logp = tf.logSoftmax(logits, -1).reshape([B, P, M, V]);
    const tgt = tf.tensor(onehot, [B, 1, M, V]);
    const selT = tf.tensor(sel, [B, M]);
    const eps = this.cfg.labelSmoothing ?? 0;
    let nll: tf.Tensor;
    if (eps > 0) {
      // (1 − ε)·(−log p_target) + ε/V·Σ_v (−log p_v), on the selected words only
      const perWord = tf.add(
        tf.mul(tf.neg(tf.sum(tf.mul(logp, tgt), 3)), 1 - eps),
        tf.mul(tf.neg(tf.sum(logp, 3)), eps / V),
      ); // [B, P, M]
      nll = tf.sum(tf.mul(perWord, selT.expandDims(1)), 2);
    } else nll = tf.neg(tf.sum(tf.mul(logp, tgt), [2, 3])); // [B, P]
    const cnt = tf.maximum(tf.sum(selT, 1, true), 1);
    return tf.div(nll, cnt);
  }
}

/**
 * [B·N·C] similarity values (C per token) → [B·N·2C]: per token the C raw values, then their
 * z-scores over the video's N tokens (per channel). C = 1: the cosine and its z-score.
 */
export function simChannels(sim: Float32Array, B: number, N: number, C = 1): Float32Array {
  const out = new Float32Array(B * N * 2 * C);
  for (let b = 0; b < B; b++)
    for (let ch = 0; ch < C; ch++) {
      const at = (i: number) => sim[(b * N + i) * C + ch];
      let m = 0;
      for (let i = 0; i < N; i++) m += at(i) / N;
      let v = 0;
      for (let i = 0; i < N; i++) v += (at(i) - m) ** 2 / N;
      const sd = Math.sqrt(v) + 1e-3;
      for (let i = 0; i < N; i++) {
        out[(b * N + i) * 2 * C + ch] = at(i);
        out[(b * N + i) * 2 * C + C + ch] = (at(i) - m) / sd;
      }
    }
  return out;
}

/**
 * Cosines of N resampled clip tokens [N·stride] with a sentence embedding [dim ≤ stride]:
 * the clip embedding is the first `dim` values of each token (other inputs may follow).
 */
export function tokenSimilarity(video: Float32Array, sentence: Float32Array, N: number, stride: number): Float32Array {
  const out = new Float32Array(N);
  const dim = sentence.length;
  for (let i = 0; i < N; i++) {
    let s = 0;
    let n = 0;
    for (let k = 0; k < dim; k++) {
      s += video[i * stride + k] * sentence[k];
      n += video[i * stride + k] ** 2;
    }
    out[i] = s / Math.sqrt(n + 1e-12); // resampling blends neighbours: renormalise
  }
  return out;
}
