/**
 * Links to moments and search pages, and reading them back. Pure functions, safe on
 * server and client.
 *
 *   /videos/<id>?t=12.5&end=18     play from 12.5 s, highlight 12.5–18 s
 *   /videos/<id>?t=12.5&end=18&q=… the same, found by the search q (annotators can flag it)
 *   /search?q=…&video=<id>&page=2  results (optionally within one video), page 2
 */

export interface MomentSpan {
  start: number;
  end: number;
}

/** Seconds as written in a URL: at most 3 decimals, no trailing zeros. */
function seconds(t: number): string {
  return String(Math.round(Math.max(0, t) * 1000) / 1000);
}

/** The longest query kept in a moment link (the search's own limit is the server's). */
const MAX_QUERY = 500;

export function momentHref(videoId: string, start: number, end?: number | null, query?: string | null): string {
  const q = new URLSearchParams({ t: seconds(start) });
  if (end != null && end > start) q.set("end", seconds(end));
  const text = query?.trim();
  if (text) q.set("q", text.slice(0, MAX_QUERY));
  return `/videos/${encodeURIComponent(videoId)}?${q}`;
}

type Param = string | string[] | undefined;

function first(p: Param): string | undefined {
  return Array.isArray(p) ? p[0] : p;
}

function nonNegative(p: Param): number | null {
  const raw = first(p);
  if (raw === undefined || raw.trim() === "") return null;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

export interface ParsedMoment {
  start: number;
  span: MomentSpan | null;
  /** the search that found the moment (`q`), when the link says */
  query: string | null;
}

/**
 * `?t=&end=&q=` of a video page: where to start playing and, when `end` is after `t`, the
 * span to highlight, and the search that found it. Anything unreadable is ignored.
 */
export function parseMoment(params: { t?: Param; end?: Param; q?: Param }): ParsedMoment | null {
  const start = nonNegative(params.t);
  if (start === null) return null;
  const end = nonNegative(params.end);
  const query = first(params.q)?.trim().slice(0, MAX_QUERY) || null;
  return { start, span: end !== null && end > start ? { start, end } : null, query };
}

export interface SearchQuery {
  /** null: no query in the URL at all (as opposed to an empty one) */
  q: string | null;
  video: string | null;
  /** 1-based */
  page: number;
}

export function parseSearchQuery(params: { q?: Param; video?: Param; page?: Param }): SearchQuery {
  const q = first(params.q);
  const video = first(params.video)?.trim() || null;
  const page = Number(first(params.page));
  return { q: q ?? null, video, page: Number.isInteger(page) && page > 1 ? page : 1 };
}

export function searchHref({ q, video, page = 1 }: { q: string; video?: string | null; page?: number }): string {
  const p = new URLSearchParams({ q });
  if (video) p.set("video", video);
  if (page > 1) p.set("page", String(page));
  return `/search?${p}`;
}
