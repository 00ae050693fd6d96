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
import { evaluateGrounding } from "../data/metrics";
import { clipSlotInputs } from "../locvtp/encode";
import type { LocVtpModel } from "../locvtp/model";
import type { RelevanceAugment } from "./augment";
import { sampleRelevanceBatch, type RelevanceBatch } from "./batch";
import { relevanceConfigFor, type RelevanceConfig } from "./config";
import { RelevanceModel } from "./model";
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
): { total: tf.Scalar; across: tf.Scalar; within: tf.Scalar } {
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
  return { total: tf.add(across, tf.mul(within, withinWeight)) as tf.Scalar, across, within };
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
}

/** Standardised slot inputs of every video of a corpus, computed once (they are fixed). */
export function corpusSlotInputs(
  loc: LocVtpModel,
  corpus: Corpus,
): Map<string, { slots: Float32Array; nClips: number }> {
  return new Map(corpus.videos.map((v) => [v.id, { slots: clipSlotInputs(loc, v.feats, v.nClips), nClips: v.nClips }]));
}

/** One step's losses (`total` = across + withinWeight · within). */
export interface RelevanceStepLoss {
  step: number;
  total: number;
  across: number;
  within: number;
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
    "seed" | "steps" | "videosPerBatch" | "sentencesPerVideo" | "lr" | "withinWeight" | "augment" | "minSentences"
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
  const vars = model.ps.list();
  let step = from?.step ?? 0;
  return {
    model,
    optimizer,
    rng,
    get step() {
      return step;
    },
    steps: o.steps,
    videoIds: ids,
    next() {
      step++;
      // ×0.1 for the last 20 % of steps
      (optimizer as unknown as { learningRate: number }).learningRate = o.lr * (step > 0.8 * o.steps ? 0.1 : 1);
      const batch = sampleRelevanceBatch(
        ids,
        corpus.sentences,
        (id) => slots.get(id)!,
        o.videosPerBatch,
        o.sentencesPerVideo,
        rng,
        o.augment,
      );
      let parts = { across: 0, within: 0 };
      const cost = optimizer.minimize(
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
      return { step, total, ...parts };
    },
  };
}

export function trainRelevance(corpus: Corpus, loc: LocVtpModel, o: RelevanceTrainOpts): RelevanceModel {
  const model = new RelevanceModel({ ...relevanceConfigFor(loc.cfg), slotLayout: o.slotLayout }, o.seed);
  const trainer = relevanceTrainer(model, corpus, loc, o);
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
      info: `L ${total.toFixed(3)} across ${parts.across.toFixed(2)} within ${parts.within.toFixed(2)}${rec.valR1_05 !== undefined ? ` val R1@.5 ${(rec.valR1_05 as number).toFixed(1)}` : ""}`,
    });
    if (o.save && step % o.save.every === 0) o.save.fn(model, step);
  }
  b?.stop();
  return model;
}

/** R1@0.5 (%) of the spans read straight off the relevance scores, on a split with timestamps. */
export function relevanceValR1(
  model: RelevanceModel,
  corpus: Corpus,
  slots: Map<string, { slots: Float32Array; nClips: number }>,
  maxQueries = 300,
): number {
  const qs = corpus.queries.filter((q) => q.start !== undefined && q.end !== undefined).slice(0, maxQueries);
  const samples = qs.map((q) => {
    const sc = tf.tidy(
      () =>
        model
          .scoresT(batchTokensT(model, [slots.get(q.video)!]), model.queryT([model.encode(q.query)]))
          .dataSync() as Float32Array,
    );
    const d = corpus.byId.get(q.video)!.duration;
    return { gt: { start: q.start!, end: q.end! }, predictions: relevanceSpans(sc, d, 1) };
  });
  return evaluateGrounding(samples)["R1@0.5"];
}
