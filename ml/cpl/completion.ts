/**
 * Semantic completion judged by the relevance scorer: an alternative to CPL's trained
 * mask-conditioned reconstructor (CplConfig.completion = "relevance").
 *
 * Why: on the Shapes world the trained reconstructor completes a sentence as well from the
 * whole video as from the moment, so CPL's contrastive signal vanishes (docs/experiments/
 * 003-temporal-context-and-reconstruction.md, 008-cpl-completion-and-objective.md). Here a masked word is "reconstructed" by asking the frozen relevance scorer
 * (itself trained on (video, sentence) pairs only) how well each substitute for the word fits
 * the tokens under the proposal's mask. A substitute that happens elsewhere in the video
 * ("right" when the object also moves right later) competes with the true word over the whole
 * video but not over the moment, so the moment completes better than the whole video.
 *
 * Substitutes of word j are the words the training sentences put between the same neighbours
 * (a bigram on either side), so "red" competes with the other colours and "left" with the
 * other directions without a hand-written word list.
 */
import * as tf from "@tensorflow/tfjs";
import { logSumExpRows, scoped } from "../core/nn";
import type { RelevanceModel } from "../relevance/model";

const BOS = "<s>";
const EOS = "</s>";

/** Which words follow / precede which in the training sentences, and how often each word occurs. */
export interface SubstitutionIndex {
  next: Map<string, Set<string>>;
  prev: Map<string, Set<string>>;
  count: Map<string, number>;
}

export interface SubstitutionIndexJson {
  bigrams: [string, string][];
  counts: [string, number][];
}

export function substitutionIndex(sentences: string[][]): SubstitutionIndex {
  const ix: SubstitutionIndex = { next: new Map(), prev: new Map(), count: new Map() };
  for (const ws of sentences) {
    const seq = [BOS, ...ws, EOS];
    for (let i = 0; i + 1 < seq.length; i++) addBigram(ix, seq[i], seq[i + 1]);
    for (const w of ws) ix.count.set(w, (ix.count.get(w) ?? 0) + 1);
  }
  return ix;
}

function addBigram(ix: SubstitutionIndex, a: string, b: string): void {
  if (!ix.next.has(a)) ix.next.set(a, new Set());
  if (!ix.prev.has(b)) ix.prev.set(b, new Set());
  ix.next.get(a)!.add(b);
  ix.prev.get(b)!.add(a);
}

export function substitutionIndexToJson(ix: SubstitutionIndex): SubstitutionIndexJson {
  const bigrams: [string, string][] = [];
  for (const [a, bs] of ix.next) for (const b of bs) bigrams.push([a, b]);
  return { bigrams, counts: [...ix.count] };
}

export function substitutionIndexFromJson(j: SubstitutionIndexJson): SubstitutionIndex {
  const ix: SubstitutionIndex = { next: new Map(), prev: new Map(), count: new Map(j.counts) };
  for (const [a, b] of j.bigrams) addBigram(ix, a, b);
  return ix;
}

/**
 * Word j of `ws` first, then up to max − 1 substitutes: words seen after ws[j−1] and before
 * ws[j+1] in the training sentences, most frequent first (ties by spelling, so the list is
 * deterministic).
 */
export function substitutes(ix: SubstitutionIndex, ws: string[], j: number, max: number): string[] {
  const after = ix.next.get(j === 0 ? BOS : ws[j - 1]);
  const before = ix.prev.get(j === ws.length - 1 ? EOS : ws[j + 1]);
  const out: string[] = [];
  if (after && before) for (const w of after) if (w !== ws[j] && w !== EOS && before.has(w)) out.push(w);
  out.sort((a, b) => (ix.count.get(b) ?? 0) - (ix.count.get(a) ?? 0) || (a < b ? -1 : 1));
  return [ws[j], ...out.slice(0, Math.max(max - 1, 0))];
}

/**
 * All the sentences a completion table needs: for each word position j < maxWords, the
 * sentence with word j replaced by each of its candidates (candidate 0 = the sentence itself).
 */
export function substitutedSentences(
  ix: SubstitutionIndex,
  ws: string[],
  maxWords: number,
  maxCandidates: number,
): { sentences: string[][]; slot: { j: number; c: number }[] } {
  const sentences: string[][] = [];
  const slot: { j: number; c: number }[] = [];
  for (let j = 0; j < Math.min(ws.length, maxWords); j++) {
    substitutes(ix, ws, j, maxCandidates).forEach((w, c) => {
      sentences.push(ws.map((x, i) => (i === j ? w : x)));
      slot.push({ j, c });
    });
  }
  return { sentences, slot };
}

/**
 * Completion cross-entropy of every masked word under every mask.
 *  - table [B, M, C, N]: the scorer's token logits of the sentence with word m replaced by
 *    candidate c (c = 0: the true word);
 *  - valid [B, M, C]: 1 where that candidate exists;
 *  - which [B, M]: 1 = word m is masked;
 *  - masks [B, P, N]: non-negative weights over the tokens (a proposal's Gaussian, or ones).
 * Candidate c's fit to a mask is the mask-weighted log-mean-exp of its token logits (the pooling
 * the scorer is trained with), S_c = log Σ_i π_i exp(T_c,i) with π = mask / Σ mask; the word's
 * loss is the cross-entropy of the true word among its candidates, −S_0 + log Σ_c exp S_c,
 * averaged over the masked words → [B, P].
 */
export function completionCET(table: tf.Tensor, valid: tf.Tensor, which: tf.Tensor, masks: tf.Tensor): tf.Tensor {
  const [B, M, C, N] = table.shape as [number, number, number, number];
  const P = masks.shape[1]!;
  const logPi = tf.log(tf.add(tf.div(masks, tf.maximum(tf.sum(masks, 2, true), 1e-9)), 1e-12)); // [B, P, N]
  const x = tf.add(table.expandDims(1), logPi.reshape([B, P, 1, 1, N])); // [B, P, M, C, N]
  const s = logSumExpRows(x.reshape([B * P * M * C, N])).reshape([B, P, M, C]);
  const sv = tf.add(s, tf.mul(tf.sub(valid.expandDims(1), 1), 1e4)); // absent candidates never win
  const lse = logSumExpRows(sv.reshape([B * P * M, C])).reshape([B, P, M]);
  const trueFit = sv.slice([0, 0, 0, 0], [B, P, M, 1]).reshape([B, P, M]);
  const w = which.expandDims(1); // [B, 1, M]
  return tf.div(tf.sum(tf.mul(tf.sub(lse, trueFit), w), 2), tf.maximum(tf.sum(w, 2), 1));
}

/** Number form of one word's completion loss, for hand-checked tests: logits[c][i], mask[i]. */
export function completionCENum(logits: number[][], mask: number[]): number {
  const z = mask.reduce((a, b) => a + b, 0);
  const fit = logits.map((row) => Math.log(row.reduce((a, t, i) => a + (mask[i] / z) * Math.exp(t), 0)));
  return -fit[0] + Math.log(fit.reduce((a, f) => a + Math.exp(f), 0));
}

/** One sentence's completion table in one video: the inputs of completionCET for a batch of 1. */
export interface CompletionTable {
  /** [M × C × N] token logits of each substituted sentence */
  table: Float32Array;
  /** [M × C] 1 = candidate present */
  valid: Float32Array;
}

/**
 * The completion table of a sentence in a video from the scorer's resampled per-clip features
 * `feats` [N × featureDim] (what relevanceScores reads): every substituted sentence scored
 * against the video's tokens in one batched pass.
 */
export function completionTable(
  rel: RelevanceModel,
  ix: SubstitutionIndex,
  ws: string[],
  feats: Float32Array,
  M: number,
  C: number,
): CompletionTable {
  const N = rel.cfg.nTokens;
  const { sentences, slot } = substitutedSentences(ix, ws, M, C);
  const out: CompletionTable = { table: new Float32Array(M * C * N), valid: new Float32Array(M * C) };
  if (sentences.length === 0) return out;
  const logits = scoped(() => {
    const tokens = rel.tokensT(tf.tensor(feats, [1, N, rel.featureDim]));
    const q = rel.queryT(sentences.map((s) => rel.encode(s.join(" "))));
    return rel.pairScoresT(tokens, q).dataSync() as Float32Array; // [V, 1, N]
  });
  slot.forEach(({ j, c }, v) => {
    out.table.set(logits.subarray(v * N, (v + 1) * N), (j * C + c) * N);
    out.valid[j * C + c] = 1;
  });
  return out;
}
