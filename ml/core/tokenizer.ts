/**
 * Open-vocabulary tokenizer: a word is represented by hashed buckets of the whole word and
 * its character 3-grams (with boundary marks), fastText-style. Unseen words therefore map to
 * a sensible mix of known n-grams and never crash; misspellings stay close.
 */
import { hashString } from "./rng";

export const MAX_NGRAMS = 12;

export function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, " ")
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

/** Bucket ids of one word (1..buckets-2; 0 = padding, buckets-1 = [MASK]). */
export function wordBuckets(word: string, buckets: number): number[] {
  const ids = [1 + (hashString(`w:${word}`) % (buckets - 2))];
  const s = `<${word}>`;
  for (let i = 0; i + 3 <= s.length && ids.length < MAX_NGRAMS; i++)
    ids.push(1 + (hashString(`g:${s.slice(i, i + 3)}`) % (buckets - 2)));
  return ids;
}

export interface EncodedText {
  /** [maxWords * MAX_NGRAMS] bucket ids (0 = pad) */
  ids: Int32Array;
  /** [maxWords * MAX_NGRAMS] averaging weights (1/#ngrams of the word, 0 for pads) */
  weights: Float32Array;
  /** [maxWords] 1 = real word */
  mask: Float32Array;
  words: string[];
}

export function encodeText(text: string, maxWords: number, buckets: number): EncodedText {
  const ws = words(text).slice(0, maxWords);
  if (ws.length === 0) ws.push("<empty>");
  return encodeWords(ws, maxWords, buckets);
}

export function encodeWords(ws: string[], maxWords: number, buckets: number): EncodedText {
  const ids = new Int32Array(maxWords * MAX_NGRAMS);
  const weights = new Float32Array(maxWords * MAX_NGRAMS);
  const mask = new Float32Array(maxWords);
  ws.forEach((w, i) => {
    if (i >= maxWords) return;
    const b = w === "[mask]" ? [buckets - 1] : wordBuckets(w, buckets);
    b.forEach((id, j) => {
      ids[i * MAX_NGRAMS + j] = id;
      weights[i * MAX_NGRAMS + j] = 1 / b.length;
    });
    mask[i] = 1;
  });
  return { ids, weights, mask, words: ws.slice(0, maxWords) };
}
