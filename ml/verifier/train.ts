/**
 * Training the span verifier (model.ts) with timestamps on generated Shapes videos. For every
 * event of a video, the sentence and its one-word edits (ml/relevance/hard-negatives.ts: another
 * colour, shape, action, direction or target, and a colour change's colours swapped) are paired
 * with spans around it: the event's own span, jittered copies, other events' spans and random
 * spans. A pair is positive when the sentence is true of an event the span covers with IoU ≥ 0.5
 * (the scenario says which: world.ts's groundTruthFor) — the label the calibration fits.
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../core/rng";
import { iou, type Span } from "../data/metrics";
import { groundTruthFor, type Scenario } from "../data/shapes/world";
import { editSentences } from "../relevance/hard-negatives";
import { sentenceAttributes } from "./attributes";
import { spanInput } from "./inputs";
import { concatRows, type SpanVerifier } from "./model";

export interface VerifierVideo {
  id: string;
  /** per-clip features (ClipVector.relevance) */
  clips: Float32Array[];
  clipSeconds: number;
  duration: number;
  scenario: Scenario;
}

export interface VerifierSamples {
  /** span inputs, each used by several samples */
  spans: Float32Array[];
  span: number[];
  attributes: Float32Array[];
  label: number[];
  /** the spans that are an event's own span */
  ownSpans: Set<number>;
  /** where each span input comes from: the video (its index in the videos given) and the times */
  spanTimes: { video: number; start: number; end: number }[];
}

export interface SampleOptions {
  /** edits of each sentence paired with its spans */
  edits: number;
  /** jittered copies of the event's span */
  jitter: number;
  /** spans of other events of the video */
  others: number;
  /** random spans */
  random: number;
  /**
   * the edits that change the object's shape always among them, the others drawn for the rest
   * (shape is what the verifier confuses most: a shape edit is 2 of ≈ 18 edits)
   */
  shapeFirst?: boolean;
}

export const DEFAULT_SAMPLES: SampleOptions = { edits: 6, jitter: 2, others: 2, random: 2 };

/** The labelled (span, sentence) pairs of a set of videos (seeded). */
export function verifierSamples(videos: readonly VerifierVideo[], o: SampleOptions, seed: number): VerifierSamples {
  const rng = new Rng(seed);
  const out: VerifierSamples = { spans: [], span: [], attributes: [], label: [], ownSpans: new Set(), spanTimes: [] };
  for (const [videoIndex, v] of videos.entries()) {
    const events = v.scenario.events;
    for (const ev of events) {
      const own: Span = { start: ev.start, end: ev.end };
      const spans: Span[] = [own];
      const w = ev.end - ev.start;
      for (let k = 0; k < o.jitter; k++) {
        const s = clamp(ev.start + (rng.next() - 0.5) * 0.8 * w, 0, v.duration);
        const e = clamp(ev.end + (rng.next() - 0.5) * 0.8 * w, s + 0.5, v.duration);
        spans.push({ start: s, end: e });
      }
      const others = rng.shuffle(events.filter((x) => x !== ev)).slice(0, o.others);
      for (const x of others) spans.push({ start: x.start, end: x.end });
      for (let k = 0; k < o.random; k++) {
        const width = 1 + rng.next() * Math.min(10, v.duration / 2);
        const s = rng.next() * Math.max(0, v.duration - width);
        spans.push({ start: s, end: s + width });
      }
      const first = out.spans.length;
      out.ownSpans.add(first);
      for (const s of spans) {
        out.spans.push(spanInput(v.clips, v.clipSeconds, s.start, s.end));
        out.spanTimes.push({ video: videoIndex, start: s.start, end: s.end });
      }
      const edits = o.shapeFirst
        ? [...editSentences(ev.sentence, true), ...rng.shuffle(editSentences(ev.sentence, false))]
        : rng.shuffle(editSentences(ev.sentence));
      const sentences = [ev.sentence, ...edits.slice(0, o.edits)];
      for (const sentence of sentences) {
        const attrs = sentenceAttributes(sentence);
        if (!attrs) continue;
        const truth = groundTruthFor(v.scenario, sentence);
        spans.forEach((s, k) => {
          out.span.push(first + k);
          out.attributes.push(attrs);
          out.label.push(truth.some((t) => iou(s, t) >= 0.5 - 1e-9) ? 1 : 0);
        });
      }
    }
  }
  return out;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}

export interface VerifierTrainOptions {
  epochs: number;
  batch: number;
  lr: number;
  /** weight of a positive pair in the loss (positives are ≈ 1 in 10) */
  positiveWeight: number;
  /** dropout on the span's hidden layer while training */
  dropout: number;
  seed: number;
  log?: (s: string) => void;
  /** called after each epoch (e.g. to measure on held-out pairs) */
  onEpoch?: (epoch: number, loss: number) => void;
}

/**
 * Trains the verifier (weighted binary cross-entropy, Adam) on each epoch's samples — drawn anew
 * every epoch, so jittered and random spans differ — and returns the last epoch's mean loss.
 */
export function trainVerifier(
  model: SpanVerifier,
  samples: (epoch: number) => VerifierSamples,
  o: VerifierTrainOptions,
): number {
  model.setStandardisation(samples(0).spans);
  const rng = new Rng(o.seed);
  const opt = tf.train.adam(o.lr);
  const { inputDim, attributeDim } = model.cfg;
  let last = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const data = samples(epoch);
    const n = data.label.length;
    const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
    let sum = 0;
    let batches = 0;
    for (let b = 0; b + o.batch <= n; b += o.batch) {
      const idx = order.slice(b, b + o.batch);
      const x = concatRows(idx.map((i) => data.spans[data.span[i]]));
      const a = concatRows(idx.map((i) => data.attributes[i]));
      const y = Float32Array.from(idx, (i) => data.label[i]);
      const dropoutSeed = Math.floor(rng.next() * 2 ** 31);
      const loss = opt.minimize(
        () =>
          tf.tidy(() => {
            const logits = model.logitsT(
              tf.tensor2d(x, [idx.length, inputDim]),
              tf.tensor2d(a, [idx.length, attributeDim]),
              o.dropout,
              dropoutSeed,
            );
            const yt = tf.tensor1d(y);
            const weights = tf.add(1, tf.mul(yt, o.positiveWeight - 1));
            return tf.losses.sigmoidCrossEntropy(yt, logits, weights) as tf.Scalar;
          }),
        true,
        model.ps.list(),
      )!;
      sum += loss.dataSync()[0];
      loss.dispose();
      batches++;
    }
    last = sum / Math.max(1, batches);
    o.log?.(`epoch ${epoch + 1}/${o.epochs}: loss ${last.toFixed(4)}`);
    o.onEpoch?.(epoch, last);
  }
  opt.dispose();
  return last;
}

/** The recipe (ml/recipes/verifier.json) as the trainer reads it. */
export interface VerifierRecipe {
  name: string;
  seed: number;
  relevance: string;
  locvtp: string;
  /** the Shapes corpus whose train and val splits it learns and is measured on */
  data: string;
  /** the first N videos of that training split (all when absent) */
  trainVideos?: number;
  /** more training renderings (folders of Shapes training videos: data:shapes --split-ratios 1,0,0), whole */
  moreTraining?: string[];
  samples: SampleOptions;
  /** read the clips' object-slot statistics besides the scorer's features (ClipVector.slots) */
  slots?: boolean;
  hidden: number;
  epochs: number;
  batch: number;
  lr: number;
  positiveWeight: number;
  dropout: number;
}

/** The version a recipe's verifier carries: what must not be mixed up (width, schedule, data, seed). */
export function verifierVersion(r: VerifierRecipe, trainVideos: number): string {
  return `verifier${r.slots ? "-slots" : ""}${r.samples.shapeFirst ? "-shapes" : ""}-h${r.hidden}-e${r.epochs}-v${trainVideos}-s${r.seed}`;
}

/** The samples on an event's own span: its sentence against its edits (what ranking alone cannot see). */
export function ownSpanPairs(data: VerifierSamples): number[] {
  return data.span.flatMap((s, i) => (data.ownSpans.has(s) ? [i] : []));
}

/** The verifier's logits for every sample. */
export function sampleLogits(model: SpanVerifier, data: VerifierSamples, batch = 2048): Float32Array {
  const out = new Float32Array(data.label.length);
  for (let b = 0; b < data.label.length; b += batch) {
    const idx = Array.from({ length: Math.min(batch, data.label.length - b) }, (_, i) => b + i);
    out.set(
      model.logits(
        idx.map((i) => data.spans[data.span[i]]),
        idx.map((i) => data.attributes[i]),
      ),
      b,
    );
  }
  return out;
}
