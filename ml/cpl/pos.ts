/**
 * Part-of-speech masking weights for CPL's reconstruction (the reference code's masking): a word
 * is drawn with probability ∝ e² when it is a noun, verb, adjective or adverb, ∝ e¹ otherwise.
 * The reference tags sentences with NLTK; the Shapes vocabulary is closed (datasets.md §3), so a
 * word list tags it exactly instead. Words outside the list (other corpora, typos) count as
 * content words, the tagger's usual guess for unknown words (NN).
 */

/** Function words of the Shapes sentences: determiners, prepositions, particles. */
export const SHAPES_FUNCTION_WORDS: ReadonlySet<string> = new Set([
  "a",
  "an",
  "the",
  "this",
  "that",
  "to",
  "into",
  "of",
  "in",
  "on",
  "and",
  "is",
]);

/** The masking weight of each word: e² for content words (NN, VB, JJ, RB), e¹ for the others. */
export function posMaskWeights(words: readonly string[]): Float32Array {
  return Float32Array.from(words, (w) => Math.exp(SHAPES_FUNCTION_WORDS.has(w.toLowerCase()) ? 1 : 2));
}
