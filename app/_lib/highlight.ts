/**
 * Finding words of a query in a line of text, to highlight them (<mark>). Pure functions,
 * safe on server and client.
 */

/** One piece of a line: matched (to highlight) or not. */
export interface Segment {
  text: string;
  match: boolean;
}

/** `s` as a literal inside a RegExp (also one with the `u` flag, which refuses needless escapes). */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** The query's words: letters and digits, lower-cased, each once, longest first. */
export function queryWords(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu) ?? [];
  return Array.from(new Set(words)).sort((a, b) => b.length - a.length);
}

/**
 * A pattern for the query's words at the start of a word, case-insensitive: "spin" marks
 * "Spins", "sing" does not mark "rising". Words of one or two letters ("a", "to") only
 * count as whole words. Null when the query has no word.
 */
export function wordsPattern(query: string): RegExp | null {
  const words = queryWords(query);
  if (words.length === 0) return null;
  const alternatives = words.map((w) => (w.length <= 2 ? `${escapeRegExp(w)}(?![\\p{L}\\p{N}])` : escapeRegExp(w)));
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join("|")})`, "giu");
}

/** A pattern for `needle` anywhere, as typed (case-insensitive). Null for a blank needle. */
export function substringPattern(needle: string): RegExp | null {
  const n = needle.trim();
  return n ? new RegExp(escapeRegExp(n), "giu") : null;
}

/** `text` cut into matched and unmatched pieces (a single unmatched piece when nothing matches). */
export function splitMatches(text: string, pattern: RegExp | null): Segment[] {
  if (!pattern || !text) return [{ text, match: false }];
  const flags = pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`;
  const re = new RegExp(pattern.source, flags);
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    const at = m.index ?? 0;
    if (m[0].length === 0) continue;
    if (at > last) out.push({ text: text.slice(last, at), match: false });
    out.push({ text: m[0], match: true });
    last = at + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), match: false });
  return out.length ? out : [{ text, match: false }];
}

/** Whether `text` contains `needle`, ignoring case (the transcript filter). */
export function includesIgnoringCase(text: string, needle: string): boolean {
  const n = needle.trim().toLocaleLowerCase();
  return n === "" || text.toLocaleLowerCase().includes(n);
}
