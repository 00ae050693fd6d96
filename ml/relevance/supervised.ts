/**
 * The relevance scorer trained WITH timestamps: the upper bound that shares the weak scorer's
 * architecture and readout (docs/experiments/020-cpl-localises.md). For each sentence, the
 * softmax over its own video's N token scores is pulled to the uniform distribution over the
 * annotated span's tokens (`spanTokens`), beside the weak across-video term (relevanceLoss's
 * `across`, weight `across`) that keeps the pooled score ranking videos:
 *   L = −mean_q Σ_t y_qt · log softmax_t(s_q)  +  across · L_across
 * where y_q is uniform over the tokens whose centre lies in the span. Its optimum puts equal
 * mass on the span's tokens and none outside, which is what the mass readout (readout.ts) reads.
 */
import * as tf from "@tensorflow/tfjs";
import { logSumExpRows } from "../core/nn";
import { Rng } from "../core/rng";
import type { Corpus } from "../data/corpus";
import { spanTokens } from "../cpl/losses";
import type { LocVtpModel } from "../locvtp/model";
import type { RelevanceModel } from "./model";
import { batchTokensT, corpusSlotInputs, relevanceLoss } from "./train";

/**
 * −mean over rows of Σ_t target[q, t] · log softmax(scores[q])_t: scores and target [Q, N],
 * each target row a distribution over the row's tokens.
 */
export function spanTargetLoss(scores: tf.Tensor, target: tf.Tensor): tf.Scalar {
  const logp = tf.sub(scores, logSumExpRows(scores).expandDims(1));
  return tf.neg(tf.mean(tf.sum(tf.mul(logp, target), 1))) as tf.Scalar;
}

/** A timed sentence as training reads it: its video, the span's centre and width (fractions of the video). */
export interface TimedSentence {
  video: string;
  query: string;
  c: number;
  w: number;
}

/** The corpus's sentences with timestamps, by video (sentences without are left out). */
export function timedSentences(corpus: Corpus): Map<string, TimedSentence[]> {
  const byVideo = new Map<string, TimedSentence[]>();
  for (const q of corpus.queries) {
    if (q.start === undefined || q.end === undefined) continue;
    const d = corpus.byId.get(q.video)?.duration;
    if (!d) continue;
    const list = byVideo.get(q.video) ?? [];
    list.push({ video: q.video, query: q.query, c: (q.start + q.end) / 2 / d, w: (q.end - q.start) / d });
    byVideo.set(q.video, list);
  }
  return byVideo;
}

export interface SupervisedRelevanceOpts {
  seed: number;
  steps: number;
  /** videos per batch */
  videos: number;
  /** sentences per video per batch */
  sentences: number;
  lr: number;
  /** weight of the weak across-video term (0: the span term alone) */
  across: number;
}

/**
 * Trains `model` in place by Adam, one batch a call of `next()` (returns the step's loss); the
 * rate drops tenfold for the last fifth of `steps`.
 */
export function supervisedRelevanceTrainer(
  model: RelevanceModel,
  corpus: Corpus,
  loc: LocVtpModel,
  o: SupervisedRelevanceOpts,
): { next(): { step: number; loss: number }; readonly step: number } {
  const slots = corpusSlotInputs(loc, corpus);
  const byVideo = timedSentences(corpus);
  const ids = [...byVideo.keys()].filter((id) => (slots.get(id)?.nClips ?? 0) > 0);
  if (ids.length < 2) throw new Error("supervised relevance training needs at least two videos with timed sentences");
  const N = model.cfg.nTokens;
  const rng = new Rng(o.seed * 7919 + 77);
  const opt = tf.train.adam(o.lr);
  const vars = model.ps.list();
  let step = 0;
  return {
    get step() {
      return step;
    },
    next() {
      step++;
      // ×0.1 for the last 20 % of steps, as the weak training (train.ts)
      (opt as unknown as { learningRate: number }).learningRate = step > 0.8 * o.steps ? o.lr * 0.1 : o.lr;
      const vids = rng.shuffle([...ids]).slice(0, o.videos);
      const qs = vids.flatMap((v, vi) =>
        rng
          .shuffle([...byVideo.get(v)!])
          .slice(0, o.sentences)
          .map((q) => ({ ...q, vi })),
      );
      const batch = {
        videos: vids.map((v) => slots.get(v)!),
        sentences: qs.map((q) => q.query),
        group: qs.map((q) => q.vi),
      };
      const target = new Float32Array(qs.length * N);
      qs.forEach((q, i) => target.set(spanTokens({ c: q.c, w: q.w }, N), i * N));
      const cost = opt.minimize(
        () => {
          const tokens = batchTokensT(model, batch.videos);
          const q = model.queryT(batch.sentences.map((s) => model.encode(s)));
          const own = model.scoresT(tf.gather(tokens, tf.tensor1d(batch.group, "int32")), q); // [Q, N]
          const span = spanTargetLoss(own, tf.tensor(target, [qs.length, N]));
          return (
            o.across > 0 ? tf.add(span, tf.mul(relevanceLoss(model, batch, 0, 0, tokens).across, o.across)) : span
          ) as tf.Scalar;
        },
        true,
        vars,
      );
      const loss = cost!.dataSync()[0];
      cost!.dispose();
      return { step, loss };
    },
  };
}
