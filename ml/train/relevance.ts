/**
 * Weakly supervised training of the relevance scorer (ml/models/relevance.ts): (video,
 * sentence) pairs only, never timestamps. A batch holds BV videos and up to PV of each video's
 * sentences. The loss is multiple-instance contrast across videos: a sentence's score for a
 * video pools its token logits (log-mean-exp), and softmax cross-entropy picks the paired
 * video among the batch's videos. Optional (weight 0 by default; it hurt, docs/models.md):
 * within a video, its sentences compete at every token (softmax over the video's sentences)
 * and each must be the clear winner somewhere, −max_t log p(s | t). It is always computed and
 * logged.
 */
import * as tf from "@tensorflow/tfjs";
import { logSumExpRows } from "../core/nn";
import { RelevanceModel, relevanceSpans, type RelevanceConfig } from "../models/relevance";
import { COMP_STATS, N_COMP, OBJECT_COLOURS } from "../features/lowlevel";
import { Rng } from "../core/rng";
import { clipSlotInputs, relevanceConfigFor } from "../index";
import type { LocVtpModel } from "../models/locvtp";
import type { Corpus } from "./corpus";
import { bar, type LogSink } from "./run";
import { evaluateGrounding } from "../data/metrics";
import { PHRASES, parseSentence } from "../data/shapes/world";
import { resampleMatrix } from "../core/resample";
import { concatF32 } from "../core/arrays";
import { N_SLOTS, SLOT_FEATURES, SLOT_STATS } from "../features/slots";

export interface RelevanceBatch {
  /** per video: standardised slot inputs [n_v · S · w] and its clip count */
  videos: { slots: Float32Array; nClips: number }[];
  /** sentences, grouped by video: group[i] = index of sentence i's video */
  sentences: string[];
  group: number[];
  /** (sentence, video) pairs left out of a sentence's softmax (a negative that may be a positive) */
  exclude?: [number, number][];
}

/** per-video clip features resampled to N tokens, stacked → [V, N, H] (differentiable) */
export function batchTokensT(model: RelevanceModel, videos: RelevanceBatch["videos"]): tf.Tensor {
  const { slots: S, slotInput: w, nTokens: N } = model.cfg;
  const all = tf.tensor(concatF32(videos.map((v) => v.slots)), [videos.reduce((s, v) => s + v.nClips, 0), S, w]);
  const f = model.clipFeaturesT(all);
  let o = 0;
  const rs = videos.map((v) => {
    const part = f.slice([o, 0], [v.nClips, -1]);
    o += v.nClips;
    return tf.matMul(tf.tensor(resampleMatrix(v.nClips, N), [N, v.nClips]), part);
  });
  return model.tokensT(tf.stack(rs));
}

export function relevanceLoss(model: RelevanceModel, b: RelevanceBatch, withinWeight = 0): { total: tf.Scalar; across: tf.Scalar; within: tf.Scalar } {
  const V = b.videos.length;
  const Q = b.sentences.length;
  const N = model.cfg.nTokens;
  const tokens = batchTokensT(model, b.videos);
  const q = model.queryT(b.sentences.map((s) => model.encode(s)));
  const s = model.pairScoresT(tokens, q); // [Q, V, N]
  let pooled = tf.sub(logSumExpRows(s.reshape([Q * V, N])), Math.log(N)).reshape([Q, V]);
  if (b.exclude?.length) {
    const off = new Float32Array(Q * V);
    for (const [q, v] of b.exclude) off[q * V + v] = -1e4;
    pooled = tf.add(pooled, tf.tensor(off, [Q, V]));
  }
  const across = tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(b.group, "int32"), V).toFloat(), pooled) as tf.Scalar;
  const terms: tf.Tensor[] = [];
  for (let v = 0; v < V; v++) {
    const idx = b.group.flatMap((g, i) => (g === v ? [i * V + v] : []));
    if (idx.length < 2) continue;
    const own = tf.gather(s.reshape([Q * V, N]), tf.tensor1d(idx, "int32")); // [P, N]
    const logp = tf.logSoftmax(own.transpose(), -1).transpose(); // over the video's sentences
    // max over tokens, not mean: a mean is minimised by p(s | t) = 1/P everywhere (sentences
    // splitting the timeline evenly score the same), so it never asks for a winner anywhere
    terms.push(tf.max(logp, 1));
  }
  const within = (terms.length ? tf.neg(tf.mean(tf.concat(terms))) : tf.scalar(0)) as tf.Scalar;
  return { total: tf.add(across, tf.mul(within, withinWeight)) as tf.Scalar, across, within };
}

/** Label-preserving augmentations of a (video, sentences) pair: the world's symmetries. */
export interface RelevanceAugment {
  /** relabel object colours by a random permutation (permuteSlots + permuteColours) */
  permuteColours?: boolean;
  /** mirror left ↔ right with probability ½ (flipSlots + flipSentence); needs the slot standardisation */
  flip?: { mean: Float32Array; std: Float32Array };
  /**
   * play the video backwards with probability ½ (reverseSlots + reverseSentence: appears ↔
   * disappears, grows ↔ shrinks, left ↔ right, up ↔ down); sentences whose reversal is unknown
   * (colour changes: the earlier colour is not named) are left out of that step
   */
  reverse?: { mean: Float32Array; std: Float32Array };
  /**
   * hard negatives for colour binding: each of the first `videos` videos of a batch also enters
   * with its object colours relabelled and no sentences of its own. It shows the same events by
   * objects of other colours, so a sentence that names a colour no object has after the
   * relabelling must score lower there than in its own video. Sentences for which the copy may
   * still be true (no colour named, a background change, or the named colour still present) leave
   * it out of their softmax. Needs the slot standardisation to read which colours are present.
   */
  colourSwapNegatives?: { videos: number; mean: Float32Array; std: Float32Array };
}

/**
 * BV distinct videos with at least 2 sentences, up to PV distinct sentences of each (one
 * batch of the weak training); `slotsOf` gives a video's standardised slot inputs. Each
 * video and its sentences are augmented alike.
 */
export function sampleRelevanceBatch(
  ids: string[],
  sentences: Map<string, string[]>,
  slotsOf: (id: string) => { slots: Float32Array; nClips: number },
  BV: number,
  PV: number,
  rng: Rng,
  aug: RelevanceAugment = {},
): RelevanceBatch {
  const pick = rng.shuffle([...ids]).slice(0, BV);
  const b: RelevanceBatch = { videos: [], sentences: [], group: [] };
  pick.forEach((id, v) => {
    const perm = aug.permuteColours ? rng.shuffle(OBJECT_COLOURS.map((_, i) => i)) : null;
    const mirror = aug.flip && rng.next() < 0.5 ? aug.flip : null;
    const backwards = aug.reverse && rng.next() < 0.5 ? aug.reverse : null;
    const vid = slotsOf(id);
    let slots = perm ? permuteSlots(vid.slots, vid.nClips, perm) : vid.slots;
    if (mirror) slots = flipSlots(slots, mirror.mean, mirror.std);
    if (backwards) slots = reverseSlots(slots, vid.nClips, backwards.mean, backwards.std);
    b.videos.push({ slots, nClips: vid.nClips });
    for (const s of rng.shuffle([...new Set(sentences.get(id) ?? [])]).slice(0, PV)) {
      let t: string | null = perm ? permuteColours(s, perm) : s;
      if (mirror) t = flipSentence(t);
      if (backwards) t = reverseSentence(t);
      if (t === null) continue;
      b.sentences.push(t);
      b.group.push(v);
    }
  });
  const neg = aug.colourSwapNegatives;
  if (neg) {
    const real = b.videos.length;
    for (let v = 0; v < Math.min(neg.videos, real); v++) {
      const { slots, nClips } = b.videos[v];
      const perm = rng.shuffle(OBJECT_COLOURS.map((_, i) => i));
      const shown = new Set([...presentColours(slots, nClips, neg.mean, neg.std)].map((c) => OBJECT_COLOURS[perm[c]] as string));
      const copy = b.videos.push({ slots: permuteSlots(slots, nClips, perm), nClips }) - 1;
      b.group.forEach((g, q) => {
        if (g !== v) return;
        const p = parseSentence(b.sentences[q]);
        if (!p || p.kind === "background" || !p.colour || shown.has(p.colour)) (b.exclude ??= []).push([q, copy]);
      });
    }
  }
  return b;
}

/**
 * The object colours (slot indices) present in any clip of a video, from its standardised slot
 * inputs [n · S · w]: component 1's mean presence over the clip (raw units) above zero.
 */
export function presentColours(slots: Float32Array, nClips: number, mean: Float32Array, std: Float32Array): Set<number> {
  const w = mean.length;
  const out = new Set<number>();
  for (let i = 0; i < nClips; i++)
    for (let c = 0; c < OBJECT_COLOURS.length; c++) if (slots[(i * N_SLOTS + c) * w] * std[0] + mean[0] > 1e-3) out.add(c);
  return out;
}

/**
 * Where a slot's horizontal centroids sit among its standardised inputs (slotInputsT layout):
 * per block of SLOT_STATS values, component k has its presence at k·COMP_STATS and its cx two
 * further; blocks: mean, last − first, std over the clip, then (with context) the same over the window.
 */
function flipPairs(width: number): { p: number; x: number }[] {
  const out: { p: number; x: number }[] = [];
  for (let base = 0; base < width; base += SLOT_FEATURES)
    for (const blk of [0, SLOT_STATS]) // mean and last − first flip; spreads (std) do not
      for (let k = 0; k < N_COMP; k++) out.push({ p: base + blk + k * COMP_STATS, x: base + blk + k * COMP_STATS + 2 });
  return out;
}

/**
 * Mirror a video left ↔ right in standardised slot inputs [n · S · w]. A present component's
 * x becomes 1 − x and an absent one's stays 0, i.e. x' = present − x per frame, so the mean
 * and the last − first of x map to those of presence minus x (in raw units: z·σ + μ).
 */
export function flipSlots(slots: Float32Array, mean: Float32Array, std: Float32Array): Float32Array {
  const w = mean.length;
  const pairs = flipPairs(w);
  const out = Float32Array.from(slots);
  const raw = (o: number, k: number) => slots[o + k] * std[k] + mean[k];
  for (let o = 0; o < out.length; o += w)
    for (const { p, x } of pairs) out[o + x] = Math.max(-6, Math.min(6, (raw(o, p) - raw(o, x) - mean[x]) / std[x]));
  return out;
}

/**
 * Play a video backwards in standardised slot inputs [n · S · w]: the clips in reverse order,
 * and every last − first statistic (of the clip and of its window) negated, in raw units
 * (z·σ + μ). A clip's mean and spread, and its window's, are the same played either way.
 */
export function reverseSlots(slots: Float32Array, nClips: number, mean: Float32Array, std: Float32Array): Float32Array {
  const w = mean.length;
  const row = slots.length / Math.max(nClips, 1);
  const out = new Float32Array(slots.length);
  for (let i = 0; i < nClips; i++) out.set(slots.subarray((nClips - 1 - i) * row, (nClips - i) * row), i * row);
  for (let o = 0; o < out.length; o += w)
    for (let base = 0; base < w; base += SLOT_FEATURES)
      for (let k = base + SLOT_STATS; k < base + 2 * SLOT_STATS; k++) out[o + k] = Math.max(-6, Math.min(6, (-(out[o + k] * std[k] + mean[k]) - mean[k]) / std[k]));
  return out;
}

const REVERSED_WORD: Record<string, string> = { left: "right", right: "left", upward: "downward", downward: "upward", up: "down", down: "up" };

/**
 * The sentence that describes the same event played backwards: appears ↔ disappears, grows ↔
 * shrinks (synonym i ↔ synonym i), moves left ↔ right and up ↔ down; spins and blinks read the
 * same. null when the reversal is unknown: a colour change names only the new colour.
 */
export function reverseSentence(sentence: string): string | null {
  const p = parseSentence(sentence);
  if (!p || p.kind === "colour" || p.kind === "background") return null;
  if (p.kind === "move") return sentence.split(" ").map((w) => REVERSED_WORD[w.toLowerCase()] ?? w).join(" ");
  const pairs: [readonly string[], readonly string[]][] = [
    [PHRASES.appear, PHRASES.disappear],
    [PHRASES.disappear, PHRASES.appear],
    [PHRASES.grow, PHRASES.shrink],
    [PHRASES.shrink, PHRASES.grow],
  ];
  if (p.kind === "spin" || p.kind === "blink") return sentence;
  const text = sentence.toLowerCase().trim().replace(/\.$/, "").replace(/\s+/g, " ");
  for (const [from, to] of pairs)
    for (let i = 0; i < from.length; i++)
      if (text.endsWith(` ${from[i]}`)) return `${text.slice(0, text.length - from[i].length)}${to[i % to.length]}`;
  return null; // a phrasing not recognised: better no label than a wrong one
}

/** "left" ↔ "right" */
export function flipSentence(sentence: string): string {
  return sentence
    .split(" ")
    .map((w) => (w.toLowerCase() === "left" ? "right" : w.toLowerCase() === "right" ? "left" : w))
    .join(" ");
}

/**
 * Colour relabelling, the world's symmetry: the object slots come in OBJECT_COLOURS order
 * (then the background), so an object of colour c moves to slot perm[c]...
 */
export function permuteSlots(slots: Float32Array, nClips: number, perm: number[]): Float32Array {
  const S = N_SLOTS;
  const w = slots.length / Math.max(nClips * S, 1);
  const out = new Float32Array(slots.length);
  for (let i = 0; i < nClips; i++)
    for (let s = 0; s < S; s++) {
      const to = s < perm.length ? perm[s] : s;
      out.set(slots.subarray((i * S + s) * w, (i * S + s + 1) * w), (i * S + to) * w);
    }
  return out;
}

/** ...and is called OBJECT_COLOURS[perm[c]]; "dark green" is a background, not an object colour. */
export function permuteColours(sentence: string, perm: number[]): string {
  const ws = sentence.split(" ");
  return ws
    .map((w, i) => {
      const c = (OBJECT_COLOURS as readonly string[]).indexOf(w.toLowerCase());
      return c < 0 || ws[i - 1]?.toLowerCase() === "dark" ? w : OBJECT_COLOURS[perm[c]];
    })
    .join(" ");
}

export interface RelevanceTrainOpts {
  seed: number;
  steps: number;
  videosPerBatch: number;
  sentencesPerVideo: number;
  lr: number;
  /** weight of the within-video term (0: across videos only, the default) */
  withinWeight?: number;
  /** augmentations per video and step (sampleRelevanceBatch) */
  augment?: RelevanceAugment;
  sink?: LogSink;
  quiet?: boolean;
  /** monitoring only: R1@0.5 of spanFromScores on a validation split every evalEvery steps */
  val?: Corpus;
  evalEvery?: number;
  /** called with (model, step) every saveEvery steps (checkpoints) */
  save?: { every: number; fn: (m: RelevanceModel, step: number) => void };
  /** the clip tower's slot grouping (RelevanceConfig.slotLayout) */
  slotLayout?: RelevanceConfig["slotLayout"];
}

/** Standardised slot inputs of every video of a corpus, computed once (they are fixed). */
export function corpusSlotInputs(loc: LocVtpModel, corpus: Corpus): Map<string, { slots: Float32Array; nClips: number }> {
  return new Map(corpus.videos.map((v) => [v.id, { slots: clipSlotInputs(loc, v.feats, v.nClips), nClips: v.nClips }]));
}

export function trainRelevance(corpus: Corpus, loc: LocVtpModel, o: RelevanceTrainOpts): RelevanceModel {
  const model = new RelevanceModel({ ...relevanceConfigFor(loc), slotLayout: o.slotLayout }, o.seed);
  const rng = new Rng(o.seed * 15485863 + 5);
  const slots = corpusSlotInputs(loc, corpus);
  const valSlots = o.val ? corpusSlotInputs(loc, o.val) : null;
  const ids = corpus.videos.filter((v) => new Set(corpus.sentences.get(v.id) ?? []).size >= 2 && v.nClips > 0).map((v) => v.id);
  const opt = tf.train.adam(o.lr);
  const vars = model.ps.list();
  const b = bar("relevance", o.steps, o.quiet);
  const t0 = Date.now();
  for (let step = 1; step <= o.steps; step++) {
    // ×0.1 for the last 20 % of steps
    (opt as unknown as { learningRate: number }).learningRate = o.lr * (step > 0.8 * o.steps ? 0.1 : 1);
    const batch = sampleRelevanceBatch(ids, corpus.sentences, (id) => slots.get(id)!, o.videosPerBatch, o.sentencesPerVideo, rng, o.augment);
    let parts = { across: 0, within: 0 };
    const cost = opt.minimize(
      () => {
        const l = relevanceLoss(model, batch, o.withinWeight ?? 0);
        parts = { across: l.across.dataSync()[0], within: l.within.dataSync()[0] };
        return l.total;
      },
      true,
      vars,
    );
    const total = cost!.dataSync()[0];
    cost!.dispose();
    const rec: Record<string, unknown> = { stage: "relevance", step, loss: total, ...parts, sec: (Date.now() - t0) / 1000 };
    if (o.val && valSlots && o.evalEvery && step % o.evalEvery === 0) rec.valR1_05 = relevanceValR1(model, o.val, valSlots);
    if (step % 5 === 0 || step === 1 || rec.valR1_05 !== undefined) o.sink?.log(rec);
    b?.update(step, { info: `L ${total.toFixed(3)} across ${parts.across.toFixed(2)} within ${parts.within.toFixed(2)}${rec.valR1_05 !== undefined ? ` val R1@.5 ${(rec.valR1_05 as number).toFixed(1)}` : ""}` });
    if (o.save && step % o.save.every === 0) o.save.fn(model, step);
  }
  b?.stop();
  return model;
}

/** R1@0.5 (%) of the spans read straight off the relevance scores, on a split with timestamps. */
export function relevanceValR1(model: RelevanceModel, corpus: Corpus, slots: Map<string, { slots: Float32Array; nClips: number }>, maxQueries = 300): number {
  const qs = corpus.queries.filter((q) => q.start !== undefined && q.end !== undefined).slice(0, maxQueries);
  const samples = qs.map((q) => {
    const sc = tf.tidy(() => model.scoresT(batchTokensT(model, [slots.get(q.video)!]), model.queryT([model.encode(q.query)])).dataSync() as Float32Array);
    const d = corpus.byId.get(q.video)!.duration;
    return { gt: { start: q.start!, end: q.end! }, predictions: relevanceSpans(sc, d, 1) };
  });
  return evaluateGrounding(samples)["R1@0.5"];
}
