/**
 * Contrast evidence for a moment's confidence: how much better the query fits a span than its
 * one-word edits do (hard-negatives.ts's editSentences: another colour, shape, action, target
 * colour, or a colour change's colours swapped). A query whose object/colour/action combination
 * the video lacks usually has an edit that is true there and scores higher; a true query
 * usually beats its edits. The calibrator reads it (ml/calibration/evidence.ts).
 */
import type { EditContrast } from "../types";
import type { RelevanceModel } from "./model";
import { editSentences } from "./hard-negatives";
import { hasRelevanceFeatures, tokenScoresMany, videoScore } from "./scores";

/** The tokens [first, last] that a span [start, end) covers when a video of `duration` seconds is read as N tokens. */
export function spanTokens(start: number, end: number, duration: number, N: number): [number, number] {
  if (duration <= 0) return [0, N - 1];
  const a = Math.max(0, Math.min(N - 1, Math.floor((start / duration) * N)));
  const b = Math.max(a, Math.min(N - 1, Math.ceil((end / duration) * N) - 1));
  return [a, b];
}

/** Mean of scores[first..last] of video b (rows of N). */
export function meanTokens(scores: ArrayLike<number>, b: number, N: number, [a, z]: [number, number]): number {
  let s = 0;
  for (let j = a; j <= z; j++) s += scores[b * N + j];
  return s / (z - a + 1);
}

/**
 * The contrast of a query with its one-word edits in each video, at the video level and for
 * each given span. `edits` overrides the edit sentences (tests); by default editSentences.
 */
export function editContrast(
  model: RelevanceModel,
  sentence: string,
  videos: { features: (ArrayLike<number> | undefined)[]; duration: number; spans: { start: number; end: number }[] }[],
  edits: string[] = editSentences(sentence),
): EditContrast[] {
  const none = videos.map((v) => ({ video: null, spans: v.spans.map(() => null) }));
  const usable = videos
    .map((v, i) => ({ v, i }))
    .filter(({ v }) => v.features.length > 0 && v.spans.length > 0 && hasRelevanceFeatures(model, v.features));
  if (edits.length === 0 || usable.length === 0) return none;
  const N = model.cfg.nTokens;
  const feats = usable.map(({ v }) => v.features);
  // the query and its edits in one pass: the convolution over the videos runs once
  const [q, ...e] = tokenScoresMany(model, [sentence, ...edits], feats);
  const out: EditContrast[] = none;
  usable.forEach(({ v, i }, b) => {
    const bestEditVideo = Math.max(...e.map((x) => videoScore(x, b, N)));
    out[i] = {
      video: videoScore(q, b, N) - bestEditVideo,
      spans: v.spans.map((s) => {
        const t = spanTokens(s.start, s.end, v.duration, N);
        return meanTokens(q, b, N, t) - Math.max(...e.map((x) => meanTokens(x, b, N, t)));
      }),
    };
  });
  return out;
}
