/**
 * LocVTP at inference: low-level frame features → clip embeddings (the HNSW-indexed vectors),
 * standardised slot inputs (which the relevance scorer's clip tower reads too), and sentence
 * embeddings in the same space.
 */
import * as tf from "@tensorflow/tfjs";
import { clipRows, perClipBatched } from "../core/batch";
import { encodeText } from "../core/tokenizer";
import { N_SLOTS, clipWindows, slotInputWidth, slotInputsT, standardiseSlotsT, windowFrames } from "../features/slots";
import type { LocVtpModel } from "./model";

/** Encode low-level features [nClips·F, frameDim] → nClips embeddings (batched, no leaks). */
export function embedClipFeatures(model: LocVtpModel, feats: Float32Array, nClips: number): Float32Array[] {
  if (model.cfg.clip.kind !== "lowlevel-slots") return embedFrameWindows(model, feats, nClips);
  return embedSlotInputs(model, clipSlotInputs(model, feats, nClips), nClips);
}

/** Embeddings from slot inputs already computed (clipSlotInputs): what ingestion shares with the relevance scorer. */
export function embedSlotInputs(model: LocVtpModel, inputs: Float32Array, nClips: number): Float32Array[] {
  const D = model.cfg.clip.outDim;
  const per = inputs.length / Math.max(nClips, 1);
  return clipRows(
    perClipBatched(nClips, D, (s, n) =>
      model.embedSlotInputsT(tf.tensor(inputs.subarray(s * per, (s + n) * per), [n, N_SLOTS, per / N_SLOTS])),
    ),
    nClips,
    D,
  );
}

/** The whole-frame and backbone encoders read each clip's frame window directly. */
function embedFrameWindows(model: LocVtpModel, feats: Float32Array, nClips: number): Float32Array[] {
  const D = model.cfg.clip.outDim;
  const fd = model.cfg.clip.frameDim;
  const W = windowFrames(model.cfg);
  return clipRows(
    perClipBatched(nClips, D, (s, n) =>
      model.encodeClipsT(tf.tensor(windowsOf(model, feats, nClips, s, n), [n, W, fd])),
    ),
    nClips,
    D,
  );
}

/** The frame windows of clips [s, s + n) (with their context clips), flattened. */
function windowsOf(model: LocVtpModel, feats: Float32Array, nClips: number, s: number, n: number): Float32Array {
  return clipWindows(
    feats,
    nClips,
    model.cfg.framesPerClip,
    model.cfg.clip.frameDim,
    model.cfg.clip.contextClips ?? 0,
    Array.from({ length: n }, (_, i) => s + i),
  );
}

/** Standardised LocVTP slot inputs of every clip [nClips · slots · width] (slot encoder only). */
export function clipSlotInputs(model: LocVtpModel, feats: Float32Array, nClips: number): Float32Array {
  if (model.cfg.clip.kind !== "lowlevel-slots") throw new Error("slot inputs need the lowlevel-slots clip encoder");
  const W = windowFrames(model.cfg);
  const fd = model.cfg.clip.frameDim;
  return perClipBatched(nClips, N_SLOTS * slotInputWidth(model.cfg), (s, n) =>
    standardiseSlotsT(
      slotInputsT(tf.tensor(windowsOf(model, feats, nClips, s, n), [n, W, fd]), model.cfg),
      model.slotMean,
      model.slotStd,
    ),
  );
}

/** One sentence → its l2-normalised LocVTP sentence embedding (no tensors left behind). */
export function sentenceEmbedding(model: LocVtpModel, text: string): Float32Array {
  return tf
    .tidy(() => {
      const { words, mask } = model.encodeWordsT([encodeText(text, model.cfg.text.maxWords, model.cfg.text.buckets)]);
      return model.sentenceT(words, mask).dataSync() as Float32Array;
    })
    .slice();
}

/** Sentence → l2-normalised LocVTP sentence embedding (the space of the clip embeddings). */
export type SentenceEmbedder = (sentence: string) => Float32Array;

/** The LocVTP sentence embedding as a plain function, remembering the last 5000 sentences it embedded. */
export function sentenceEmbedderFor(model: LocVtpModel): SentenceEmbedder {
  const cache = new Map<string, Float32Array>();
  return (text: string) => {
    let e = cache.get(text);
    if (!e) {
      e = sentenceEmbedding(model, text);
      if (cache.size > 5000) cache.clear();
      cache.set(text, e);
    }
    return e;
  };
}
