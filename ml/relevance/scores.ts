/**
 * The relevance scorer at inference, on the per-clip features stored beside each clip
 * embedding (ClipVector.relevance): its clip tower at ingestion, token logits and video scores
 * at search. No caches: a caller that needs the same scores twice keeps them.
 */
import * as tf from "@tensorflow/tfjs";
import { clipRows, perClipBatched } from "../core/batch";
import { scoped } from "../core/nn";
import { resampleClips } from "../core/resample";
import type { RelevanceModel } from "./model";

/** Per-clip relevance features [featureDim = hidden · members] from standardised LocVTP slot inputs [nClips · slots · slotInput]. */
export function relevanceClipFeatures(rel: RelevanceModel, slotInputs: Float32Array, nClips: number): Float32Array[] {
  const per = rel.cfg.slots * rel.cfg.slotInput;
  if (per !== slotInputs.length / Math.max(nClips, 1))
    throw new Error("the relevance scorer was trained on another LocVTP slot layout");
  const width = rel.featureDim;
  return clipRows(
    perClipBatched(nClips, width, (s, n) =>
      rel.clipFeaturesT(tf.tensor(slotInputs.subarray(s * per, (s + n) * per), [n, rel.cfg.slots, rel.cfg.slotInput])),
    ),
    nClips,
    width,
  );
}

/** Whether every clip carries the scorer's features (clips embedded without a scorer, or by a smaller one, do not). */
export function hasRelevanceFeatures(
  rel: RelevanceModel,
  clips: (ArrayLike<number> | undefined)[],
): clips is ArrayLike<number>[] {
  return clips.every((c) => c !== undefined && c.length >= rel.featureDim);
}

/** The error a caller raises when stored clips lack the scorer's features. */
export const MISSING_RELEVANCE = "clips have no relevance features: re-embed the library with the current models";

/**
 * Token logits [B·N] of a sentence for B videos, each given as its clips' relevance features in
 * time order (resampled to the scorer's N tokens).
 */
export function tokenScores(
  rel: RelevanceModel,
  sentence: string,
  videos: (ArrayLike<number> | undefined)[][],
): Float32Array {
  if (videos.length === 0) return new Float32Array(0);
  const blocks = memberBlocks(rel, videos);
  return scoped(() => rel.fusedScoresT(blocks(), rel.queryOneT(rel.encode(sentence))).dataSync() as Float32Array);
}

/**
 * tokenScores of several sentences on the same videos in one pass (the query-independent part
 * runs once): one [B·N] array per sentence.
 */
export function tokenScoresMany(
  rel: RelevanceModel,
  sentences: string[],
  videos: (ArrayLike<number> | undefined)[][],
): Float32Array[] {
  if (videos.length === 0 || sentences.length === 0) return sentences.map(() => new Float32Array(0));
  const blocks = memberBlocks(rel, videos);
  const size = videos.length * rel.cfg.nTokens;
  const all = scoped(
    () =>
      rel
        .fusedScoresManyT(blocks(), tf.concat(sentences.map((s) => rel.queryOneT(rel.encode(s)))))
        .dataSync() as Float32Array,
  );
  return sentences.map((_, i) => all.slice(i * size, (i + 1) * size));
}

/**
 * The videos' features resampled to the scorer's N tokens, one [B, N, H] block per member,
 * laid out apart here so the model needs no strided slices; the tensors are made when called
 * (inside the caller's scope).
 */
function memberBlocks(rel: RelevanceModel, videos: (ArrayLike<number> | undefined)[][]): () => tf.Tensor[] {
  const N = rel.cfg.nTokens;
  const H = rel.cfg.hidden;
  const B = videos.length;
  const blocks = Array.from({ length: rel.members }, () => new Float32Array(B * N * H));
  videos.forEach((clips, b) => {
    if (!hasRelevanceFeatures(rel, clips)) throw new Error(MISSING_RELEVANCE);
    blocks.forEach((block, m) => block.set(resampleClips(clips, N, H, m * H), b * N * H));
  });
  return () => blocks.map((x) => tf.tensor(x, [B, N, H]));
}

/** Width of a scorer's token evidence (tokenEvidence): M·(H + 1). */
export function evidenceWidth(rel: RelevanceModel): number {
  return rel.members * (rel.cfg.hidden + 1);
}

/**
 * The videos of a grounding call that the scorer can read (clips, a length, and the scorer's
 * features on every clip) with their token scores [usable·N] from one pass; `i` is each one's
 * place in `videos`.
 */
export function scoreReadable<V extends { clips: { relevance?: ArrayLike<number> }[]; durationSeconds: number }>(
  rel: RelevanceModel,
  sentence: string,
  videos: readonly V[],
): { usable: { v: V; i: number }[]; features: (ArrayLike<number> | undefined)[][]; scores: Float32Array } {
  const features = videos.map((v) => v.clips.map((c) => c.relevance));
  const usable = videos
    .map((v, i) => ({ v, i }))
    .filter(({ v, i }) => v.clips.length > 0 && v.durationSeconds > 0 && hasRelevanceFeatures(rel, features[i]));
  const scores = usable.length
    ? tokenScores(
        rel,
        sentence,
        usable.map(({ i }) => features[i]),
      )
    : new Float32Array(0);
  return { usable, features, scores };
}

/**
 * The scorer's token evidence [B·N·evidenceWidth] of a sentence for B videos (RelevanceModel.evidenceT):
 * every member's hidden layer and logit per token, on the same inputs as tokenScores.
 */
export function tokenEvidence(
  rel: RelevanceModel,
  sentence: string,
  videos: (ArrayLike<number> | undefined)[][],
): Float32Array {
  if (videos.length === 0) return new Float32Array(0);
  const N = rel.cfg.nTokens;
  const F = rel.featureDim;
  const B = videos.length;
  const feats = new Float32Array(B * N * F);
  videos.forEach((clips, b) => {
    if (!hasRelevanceFeatures(rel, clips)) throw new Error(MISSING_RELEVANCE);
    feats.set(resampleClips(clips, N, F), b * N * F);
  });
  return scoped(() => {
    const q = tf.tile(rel.queryOneT(rel.encode(sentence)), [B, 1]);
    return rel.evidenceT(rel.tokensT(tf.tensor(feats, [B, N, F])), q).dataSync() as Float32Array;
  });
}

/**
 * Video b's score: its token logits pooled by log-mean-exp, the score the scorer's cross-video
 * training ranks videos by (ml/relevance/train.ts); comparable across videos.
 */
export function videoScore(scores: Float32Array, b: number, N: number): number {
  let m = -Infinity;
  for (let j = 0; j < N; j++) m = Math.max(m, scores[b * N + j]);
  let s = 0;
  for (let j = 0; j < N; j++) s += Math.exp(scores[b * N + j] - m);
  return m + Math.log(s / N);
}

/**
 * Each video's score (videoScore), or null for a video with no clips or whose clips lack the
 * scorer's features; all scored in one pass.
 */
export function videoScores(
  rel: RelevanceModel,
  sentence: string,
  videos: (ArrayLike<number> | undefined)[][],
): (number | null)[] {
  const out: (number | null)[] = videos.map(() => null);
  const usable = videos
    .map((clips, i) => ({ clips, i }))
    .filter(({ clips }) => clips.length > 0 && hasRelevanceFeatures(rel, clips));
  if (usable.length === 0) return out;
  const sc = tokenScores(
    rel,
    sentence,
    usable.map((u) => u.clips),
  );
  usable.forEach(({ i }, b) => (out[i] = videoScore(sc, b, rel.cfg.nTokens)));
  return out;
}
