/**
 * Weakly supervised training of the relevance scorer (./model.ts): (video,
 * sentence) pairs only, never timestamps. A batch holds BV videos and up to PV of each video's
 * sentences. The loss is multiple-instance contrast across videos: a sentence's score for a
 * video pools its token logits (log-mean-exp), and softmax cross-entropy picks the paired
 * video among the batch's videos. Optional (weight 0 by default; it hurt, docs/experiments/004-weak-localisation.md):
 * within a video, its sentences compete at every token (softmax over the video's sentences)
 * and each must be the clear winner somewhere, −max_t log p(s | t). It is always computed and
 * logged.
 */
import * as tf from "@tensorflow/tfjs";
import { concatF32 } from "../core/arrays";
import { bar, type LogSink } from "../core/log";
import { logSumExpRows } from "../core/nn";
import { resampleMatrix } from "../core/resample";
import { Rng } from "../core/rng";
import type { Corpus } from "../data/corpus";
import type { ExtraEventKind } from "../data/shapes/world";
import { evaluateGrounding, type GroundingSample } from "../data/metrics";
import { clipSlotInputs } from "../locvtp/encode";
import type { LocVtpModel } from "../locvtp/model";
import type { RelevanceAugment } from "./augment";
import { sampleRelevanceBatch, type RelevanceBatch } from "./batch";
import { relevanceConfigFor, type RelevanceConfig } from "./config";
import { hardNegatives } from "./hard-negatives";
import { RelevanceModel } from "./model";
import { relevanceClipFeatures } from "./scores";
import { relevanceSpans } from "./readout";

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

export function relevanceLoss(
  model: RelevanceModel,
  b: RelevanceBatch,
  withinWeight = 0,
  hardWeight = 0,
  /** the batch's tokens when the caller has them (a fixed clip tower: fitRelevance's cache) */
  batchTokens?: tf.Tensor,
): { total: tf.Scalar; across: tf.Scalar; within: tf.Scalar; hard: tf.Scalar } {
  const V = b.videos.length;
  const Q = b.sentences.length;
  const N = model.cfg.nTokens;
  const tokens = batchTokens ?? batchTokensT(model, b.videos);
  const q = model.queryT(b.sentences.map((s) => model.encode(s)));
  const s = model.pairScoresT(tokens, q); // [Q, V, N]
  let pooled = tf.sub(logSumExpRows(s.reshape([Q * V, N])), Math.log(N)).reshape([Q, V]);
  if (b.exclude?.length) {
    const off = new Float32Array(Q * V);
    for (const [q, v] of b.exclude) off[q * V + v] = -1e4;
    pooled = tf.add(pooled, tf.tensor(off, [Q, V]));
  }
  const across = tf.losses.softmaxCrossEntropy(
    tf.oneHot(tf.tensor1d(b.group, "int32"), V).toFloat(),
    pooled,
  ) as tf.Scalar;
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
  const hard = hardNegativeLoss(model, b, tokens, pooled);
  const total = tf.add(tf.add(across, tf.mul(within, withinWeight)), tf.mul(hard, hardWeight)) as tf.Scalar;
  return { total, across, within, hard };
}

/**
 * The hard-negative term: for each sentence with negatives (batch.negatives), a softmax over
 * its video's pooled scores for the true sentence and for each of its one-word edits, whose
 * cross-entropy asks the true sentence to win in its own video. 0 without negatives.
 *   L_hard = mean_i [ log(e^{s(q_i, v_i)} + Σ_j e^{s(q'_ij, v_i)}) − s(q_i, v_i) ]
 * with s the pooled (log-mean-exp) video score, the same score the across-video term uses.
 */
export function hardNegativeLoss(
  model: RelevanceModel,
  b: RelevanceBatch,
  tokens: tf.Tensor,
  pooled: tf.Tensor,
): tf.Scalar {
  const negs = b.negatives ?? [];
  if (negs.length === 0) return tf.scalar(0);
  const [V, N] = tokens.shape as [number, number, number];
  const K = negs.length;
  const qn = model.queryT(negs.map((n) => model.encode(n.sentence)));
  const own = tf.gather(
    tokens,
    tf.tensor1d(
      negs.map((n) => n.video),
      "int32",
    ),
  ); // [K, N, F]
  const sn = model.scoresT(own, qn); // [K, N]
  const negPooled = tf.sub(logSumExpRows(sn), Math.log(N)); // [K]
  // rows: one per sentence with negatives; columns: its own score, then its negatives (padded)
  const owners = [...new Set(negs.map((n) => n.owner))];
  const width = 1 + Math.max(...owners.map((o) => negs.filter((n) => n.owner === o).length));
  const flat = tf.concat([pooled.reshape([-1]), negPooled.reshape([-1]), tf.tensor1d([-1e4])]);
  const Qv = pooled.shape[0]! * V;
  const pad = Qv + K;
  const idx: number[] = [];
  for (const o of owners) {
    const row = [o * V + b.group[o]];
    negs.forEach((n, j) => n.owner === o && row.push(Qv + j));
    while (row.length < width) row.push(pad);
    idx.push(...row);
  }
  return firstColumnNll(tf.gather(flat, tf.tensor1d(idx, "int32")).reshape([owners.length, width]));
}

/** mean over rows of −log softmax(row)[0]: each row's first column is the one that must win */
export function firstColumnNll(m: tf.Tensor): tf.Scalar {
  return tf.mean(tf.sub(tf.logSumExp(m, 1), m.slice([0, 0], [-1, 1]).reshape([-1]))) as tf.Scalar;
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
  /**
   * videos with fewer distinct sentences are left out (default 2: the within-video term needs
   * two; across videos, one is enough)
   */
  minSentences?: number;
  /** one-word edits false in the video, competing with each true sentence (hard-negatives.ts) */
  hardNegatives?: HardNegativeOpts;
  /** whether a weight trains, by name (default: every weight) */
  trainable?: (name: string) => boolean;
  /**
   * the learning rate of the text tower's word table (isWordTableWeight), by its own Adam
   * (default: `lr`, one optimizer for every weight): a word the parent never saw starts from
   * its random rows, and at a fine-tuning rate they barely move (docs/experiments/022)
   */
  wordLr?: number;
}

export interface HardNegativeOpts {
  /** edits per sentence */
  perSentence: number;
  /** weight of the term (relevanceLoss's hardWeight) */
  weight: number;
  /** whether the sentence is false everywhere in the corpus video (Shapes: no scenario event matches it) */
  isFalse: (videoId: string, sentence: string) => boolean;
  /** event kinds beyond the shipped world's that edits may name too (hard-negatives.ts oneWordEdits) */
  extraKinds?: readonly ExtraEventKind[];
}

/** The text tower's hashed word n-gram table (RelevanceModel.queryT's `emb`). */
export const isWordTableWeight = (name: string): boolean => /\/emb$/.test(name);

/** The clip tower's weights: what ingestion stores per clip (clipFeaturesT). */
export const isClipTowerWeight = (name: string): boolean => /\/slot[12]\//.test(name);

/** Standardised slot inputs of every video of a corpus, computed once (they are fixed). */
export function corpusSlotInputs(
  loc: LocVtpModel,
  corpus: Corpus,
): Map<string, { slots: Float32Array; nClips: number }> {
  return new Map(corpus.videos.map((v) => [v.id, { slots: clipSlotInputs(loc, v.feats, v.nClips), nClips: v.nClips }]));
}

/** One step's losses (`total` = across + withinWeight · within + hardWeight · hard). */
export interface RelevanceStepLoss {
  step: number;
  total: number;
  across: number;
  within: number;
  hard: number;
}

/**
 * The weak training as steps, so a caller can run them at its own pace (the app's training job
 * awaits between steps), checkpoint them and resume: `model` (fresh or fine-tuned from trained
 * weights) is trained in place by Adam; `optimizer`, `rng` and `step` are what a checkpoint must
 * keep (`from` resumes: the RNG state after step `from.step`; the optimizer's moments are
 * restored by the caller).
 */
export interface RelevanceTrainer {
  readonly model: RelevanceModel;
  readonly optimizer: tf.AdamOptimizer;
  /** the word table's own optimizer (RelevanceTrainOpts.wordLr), null when `optimizer` trains it */
  readonly wordOptimizer: tf.AdamOptimizer | null;
  readonly rng: Rng;
  /** steps done */
  readonly step: number;
  readonly steps: number;
  /** the videos batches are drawn from (enough sentences and clips) */
  readonly videoIds: readonly string[];
  next(): RelevanceStepLoss;
}

export function relevanceTrainer(
  model: RelevanceModel,
  corpus: Corpus,
  loc: LocVtpModel,
  o: Pick<
    RelevanceTrainOpts,
    | "seed"
    | "steps"
    | "videosPerBatch"
    | "sentencesPerVideo"
    | "lr"
    | "withinWeight"
    | "augment"
    | "minSentences"
    | "hardNegatives"
    | "trainable"
    | "wordLr"
  >,
  from?: { step: number; rngState: number },
): RelevanceTrainer {
  const rng = from ? Rng.fromState(from.rngState) : new Rng(o.seed * 15485863 + 5);
  const slots = corpusSlotInputs(loc, corpus);
  const minSentences = o.minSentences ?? 2;
  const ids = corpus.videos
    .filter((v) => new Set(corpus.sentences.get(v.id) ?? []).size >= minSentences && v.nClips > 0)
    .map((v) => v.id);
  const optimizer = tf.train.adam(o.lr);
  const trainable = o.trainable ?? (() => true);
  const vars = [...model.ps.vars.entries()].filter(([name]) => trainable(name)).map(([, v]) => v);
  if (vars.length === 0) throw new Error("relevanceTrainer: no trainable weight");
  const split = o.wordLr !== undefined && o.wordLr !== o.lr;
  const wordVars = split
    ? [...model.ps.vars.entries()].filter(([name]) => trainable(name) && isWordTableWeight(name)).map(([, v]) => v)
    : [];
  const wordOptimizer = wordVars.length ? tf.train.adam(o.wordLr!) : null;
  const wordNames = new Set(wordVars.map((v) => v.name));
  // a fixed clip tower gives every video the same per-clip features at every step: computed once
  const towerFixed = [...model.ps.vars.keys()].filter(isClipTowerWeight).every((n) => !trainable(n));
  const clipFeats = towerFixed
    ? new Map([...slots].map(([id, v]) => [id, concatF32(relevanceClipFeatures(model, v.slots, v.nClips))]))
    : null;
  const hn = o.hardNegatives;
  if (hn && (o.augment?.permuteColours || o.augment?.flip || o.augment?.reverse || o.augment?.colourSwapNegatives))
    throw new Error("hard negatives are checked against the corpus scenarios: train them without augmentations");
  let step = from?.step ?? 0;
  return {
    model,
    optimizer,
    wordOptimizer,
    rng,
    get step() {
      return step;
    },
    steps: o.steps,
    videoIds: ids,
    next() {
      step++;
      // ×0.1 for the last 20 % of steps
      const decay = step > 0.8 * o.steps ? 0.1 : 1;
      (optimizer as unknown as { learningRate: number }).learningRate = o.lr * decay;
      if (wordOptimizer) (wordOptimizer as unknown as { learningRate: number }).learningRate = o.wordLr! * decay;
      const batch = sampleRelevanceBatch(
        ids,
        corpus.sentences,
        (id) => slots.get(id)!,
        o.videosPerBatch,
        o.sentencesPerVideo,
        rng,
        o.augment,
      );
      if (hn) addHardNegatives(batch, hn, rng);
      let parts = { across: 0, within: 0, hard: 0 };
      const loss = () => {
        const tokens = clipFeats && batch.ids ? cachedTokensT(model, batch, clipFeats) : undefined;
        const l = relevanceLoss(model, batch, o.withinWeight ?? 0, hn?.weight ?? 0, tokens);
        parts = { across: l.across.dataSync()[0], within: l.within.dataSync()[0], hard: l.hard.dataSync()[0] };
        return l.total;
      };
      if (!wordOptimizer) {
        const cost = optimizer.minimize(loss, true, vars);
        const total = cost!.dataSync()[0];
        cost!.dispose();
        return { step, total, ...parts };
      }
      // one backward pass, two optimizers: the word table at wordLr, every other weight at lr
      const { value, grads } = tf.variableGrads(loss, vars);
      const words: { name: string; tensor: tf.Tensor }[] = [];
      const rest: { name: string; tensor: tf.Tensor }[] = [];
      for (const [name, tensor] of Object.entries(grads)) (wordNames.has(name) ? words : rest).push({ name, tensor });
      optimizer.applyGradients(rest);
      wordOptimizer.applyGradients(words);
      const total = value.dataSync()[0];
      tf.dispose([value, grads]);
      return { step, total, ...parts };
    },
  };
}

export function trainRelevance(corpus: Corpus, loc: LocVtpModel, o: RelevanceTrainOpts): RelevanceModel {
  const model = new RelevanceModel({ ...relevanceConfigFor(loc.cfg), slotLayout: o.slotLayout }, o.seed);
  return runRelevance(relevanceTrainer(model, corpus, loc, o), loc, o);
}

/**
 * Further training of an installed scorer (e.g. with hard negatives). Every member moves
 * together: the loss reads the ensemble's averaged logits, as search does. By default the clip
 * tower (slot1, slot2) stays fixed, so the per-clip features stored at ingestion stay valid.
 */
export function finetuneRelevance(
  model: RelevanceModel,
  corpus: Corpus,
  loc: LocVtpModel,
  o: RelevanceTrainOpts,
): RelevanceModel {
  const trainable = o.trainable ?? ((name: string) => !isClipTowerWeight(name));
  return runRelevance(relevanceTrainer(model, corpus, loc, { ...o, trainable }), loc, o);
}

/** Runs a trainer to its end with the options' logging, monitoring and checkpoints. */
function runRelevance(trainer: RelevanceTrainer, loc: LocVtpModel, o: RelevanceTrainOpts): RelevanceModel {
  const { model } = trainer;
  const valSlots = o.val ? corpusSlotInputs(loc, o.val) : null;
  const b = bar("relevance", o.steps, o.quiet);
  const t0 = Date.now();
  while (trainer.step < o.steps) {
    const { step, total, ...parts } = trainer.next();
    const rec: Record<string, unknown> = {
      stage: "relevance",
      step,
      loss: total,
      ...parts,
      sec: (Date.now() - t0) / 1000,
    };
    if (o.val && valSlots && o.evalEvery && step % o.evalEvery === 0)
      rec.valR1_05 = relevanceValR1(model, o.val, valSlots);
    if (step % 5 === 0 || step === 1 || rec.valR1_05 !== undefined) o.sink?.log(rec);
    b?.update(step, {
      info: `L ${total.toFixed(3)} across ${parts.across.toFixed(2)} within ${parts.within.toFixed(2)}${o.hardNegatives ? ` hard ${parts.hard.toFixed(2)}` : ""}${rec.valR1_05 !== undefined ? ` val R1@.5 ${(rec.valR1_05 as number).toFixed(1)}` : ""}`,
    });
    if (o.save && step % o.save.every === 0) o.save.fn(model, step);
  }
  b?.stop();
  return model;
}

/** The batch's tokens from its videos' stored per-clip features (every video of the batch is a corpus video). */
function cachedTokensT(model: RelevanceModel, b: RelevanceBatch, feats: Map<string, Float32Array>): tf.Tensor {
  const N = model.cfg.nTokens;
  const F = model.featureDim;
  if (b.ids!.length !== b.videos.length) throw new Error("cached tokens need every batch video to be a corpus video");
  const rs = b.videos.map((v, i) =>
    tf.matMul(tf.tensor(resampleMatrix(v.nClips, N), [N, v.nClips]), tf.tensor(feats.get(b.ids![i])!, [v.nClips, F])),
  );
  return model.tokensT(tf.stack(rs));
}

/**
 * Each sampled sentence of the batch's corpus videos gets up to perSentence one-word edits
 * that are false in its video. Sentences changed by an augmentation no longer describe the
 * corpus video's scenario, so batches for hard negatives are drawn without augmentations.
 */
function addHardNegatives(batch: RelevanceBatch, hn: HardNegativeOpts, rng: Rng): void {
  const ids = batch.ids ?? [];
  batch.negatives = [];
  batch.sentences.forEach((sentence, owner) => {
    const v = batch.group[owner];
    const id = ids[v];
    if (id === undefined) return;
    for (const neg of hardNegatives(sentence, (s) => hn.isFalse(id, s), hn.perSentence, rng, hn.extraKinds))
      batch.negatives!.push({ sentence: neg, video: v, owner });
  });
}

/** The top-K spans read straight off the relevance scores for each timed query of a split, with its truth. */
export function relevanceGroundingSamples(
  model: RelevanceModel,
  corpus: Corpus,
  slots: Map<string, { slots: Float32Array; nClips: number }>,
  maxQueries = Infinity,
  topK = 1,
): GroundingSample[] {
  const qs = corpus.queries.filter((q) => q.start !== undefined && q.end !== undefined).slice(0, maxQueries);
  return qs.map((q) => {
    const sc = tf.tidy(
      () =>
        model
          .scoresT(batchTokensT(model, [slots.get(q.video)!]), model.queryT([model.encode(q.query)]))
          .dataSync() as Float32Array,
    );
    const d = corpus.byId.get(q.video)!.duration;
    return { gt: { start: q.start!, end: q.end! }, predictions: relevanceSpans(sc, d, topK) };
  });
}

/** R1@0.5 (%) of the spans read straight off the relevance scores, on a split with timestamps. */
export function relevanceValR1(
  model: RelevanceModel,
  corpus: Corpus,
  slots: Map<string, { slots: Float32Array; nClips: number }>,
  maxQueries = 300,
): number {
  return evaluateGrounding(relevanceGroundingSamples(model, corpus, slots, maxQueries))["R1@0.5"];
}

/**
 * How well the scorer tells a sentence from its one-word edits in the sentence's own video: the
 * share of (sentence, false edit) pairs where the true sentence has the higher video score, and
 * the share of sentences that beat all their edits. Queries outside the grammar are skipped.
 */
export function hardNegativeAccuracy(
  model: RelevanceModel,
  corpus: Corpus,
  slots: Map<string, { slots: Float32Array; nClips: number }>,
  isFalse: (videoId: string, sentence: string) => boolean,
  o: { perQuery: number; seed: number; maxQueries?: number },
): { queries: number; pairs: number; pairAccuracy: number; allBeaten: number } {
  const rng = new Rng(o.seed);
  const N = model.cfg.nTokens;
  let pairs = 0;
  let won = 0;
  let queries = 0;
  let all = 0;
  for (const q of corpus.queries.slice(0, o.maxQueries ?? Infinity)) {
    const negs = hardNegatives(q.query, (s) => isFalse(q.video, s), o.perQuery, rng);
    if (negs.length === 0) continue;
    const pooled = tf.tidy(() => {
      const sc = model.scoresT(
        tf.tile(batchTokensT(model, [slots.get(q.video)!]), [1 + negs.length, 1, 1]),
        model.queryT([q.query, ...negs].map((s) => model.encode(s))),
      );
      return Array.from(tf.sub(tf.logSumExp(sc, 1), Math.log(N)).dataSync());
    });
    const beaten = pooled.slice(1).filter((x) => x < pooled[0]).length;
    queries++;
    pairs += negs.length;
    won += beaten;
    if (beaten === negs.length) all++;
  }
  return {
    queries,
    pairs,
    pairAccuracy: pairs ? (100 * won) / pairs : 0,
    allBeaten: queries ? (100 * all) / queries : 0,
  };
}
