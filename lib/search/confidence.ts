/**
 * Confidence of text evidence and of moments that several kinds of evidence support.
 * Pure functions.
 *
 * Visual moments get their confidence from the calibrator fitted on held-out data
 * (ml/calibration, stage 3). Text hits have no labelled data yet (annotators' decisions on
 * text moments will fit them): their scale is set by hand, and documented here, so that an
 * exact match of the sentence in the subtitles or on screen outranks a weak visual guess,
 * and a fuzzy one sits in the middle:
 *   - the whole query appears in the cue (words in order)        0.97
 *   - every query word appears (full-text search matched)        0.90
 *   - fuzzy only (trigram word similarity s ∈ [0.6, 1])           0.5 + 0.875 (s − 0.6)
 * (pg_trgm's own cut-off, 0.6, gives 0.5: above the calibration's default threshold, so a misspelt
 * word is shown)
 * Where text and pictures point at the same moment, the two are treated as independent
 * evidence: 1 − (1 − a)(1 − b) (noisy-OR).
 */
import type { CueHit } from "@/db/repositories/cues";

export const EXACT_PHRASE_CONFIDENCE = 0.97;
export const ALL_WORDS_CONFIDENCE = 0.9;

const normalise = (t: string) =>
  ` ${t
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()} `;

export function textConfidence(query: string, hit: Pick<CueHit, "text" | "rank">): number {
  if (hit.rank >= 1)
    return normalise(hit.text).includes(normalise(query)) ? EXACT_PHRASE_CONFIDENCE : ALL_WORDS_CONFIDENCE;
  return Math.max(0, Math.min(0.85, 0.5 + 0.875 * (hit.rank - 0.6)));
}

/** Two independent pieces of evidence for one moment. */
export function combineConfidence(a: number, b: number): number {
  return 1 - (1 - a) * (1 - b);
}

export type ConfidenceLevel = "strong" | "possible" | "weak";

/** Words for a confidence: strong from 0.75, possible from the threshold, weak below it. */
export function confidenceLevel(confidence: number, threshold: number): ConfidenceLevel {
  if (confidence >= Math.max(0.75, threshold)) return "strong";
  return confidence >= threshold ? "possible" : "weak";
}
