/**
 * Links to moments and search pages, and reading them back. Pure functions, safe on
 * server and client.
 *
 *   /videos/<id>?t=12.5&end=18     play from 12.5 s, highlight 12.5–18 s
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

export function momentHref(videoId: string, start: number, end?: number | null): string {
  const q = new URLSearchParams({ t: seconds(start) });
  if (end != null && end > start) q.set("end", seconds(end));
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

/**
 * `?t=&end=` of a video page: where to start playing and, when `end` is after `t`, the
 * span to highlight. Anything unreadable is ignored.
 */
export function parseMoment(params: { t?: Param; end?: Param }): { start: number; span: MomentSpan | null } | null {
  const start = nonNegative(params.t);
  if (start === null) return null;
  const end = nonNegative(params.end);
  return { start, span: end !== null && end > start ? { start, end } : null };
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
