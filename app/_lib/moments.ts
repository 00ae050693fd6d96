/**
 * Links to moments and search pages, and reading them back. Pure functions, safe on
 * server and client.
 *
 *   /videos/<id>?t=12.5&end=18     play from 12.5 s, highlight 12.5–18 s
 *   /videos/<id>?t=12.5&end=18&q=… the same, found by the search q (annotators can flag it)
 *   /search?q=…&video=<id>&page=2  results (optionally within one video), page 2
 *   …&source=text&duration=short&sort=time&weak=1   filters, sort, and the weaker matches too
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

/** The results page's video-length filter: under 1 min, 1–10 min, over 10 min. */
export type DurationFilter = "short" | "medium" | "long";
/** What found the moment: the pictures, or subtitles and on-screen text. */
export type SourceFilter = "visual" | "text";
export type SearchSort = "confidence" | "time";

export const DURATION_FILTERS: readonly { value: DurationFilter; label: string; min?: number; max?: number }[] = [
  { value: "short", label: "Under 1 min", max: 60 },
  { value: "medium", label: "1–10 min", min: 60, max: 600 },
  { value: "long", label: "Over 10 min", min: 600 },
];

export const SOURCE_FILTERS: readonly { value: SourceFilter; label: string }[] = [
  { value: "visual", label: "Visual" },
  { value: "text", label: "Subtitles & on-screen text" },
];

export const SEARCH_SORTS: readonly { value: SearchSort; label: string }[] = [
  { value: "confidence", label: "Best match first" },
  { value: "time", label: "By video, in time order" },
];

/** The API's minDuration/maxDuration (seconds) for a length filter. */
export function durationRange(d: DurationFilter | null): { minDuration?: number; maxDuration?: number } {
  const f = DURATION_FILTERS.find((x) => x.value === d);
  return f ? { minDuration: f.min, maxDuration: f.max } : {};
}

export interface SearchQuery {
  /** null: no query in the URL at all (as opposed to an empty one) */
  q: string | null;
  video: string | null;
  /** 1-based */
  page: number;
  /** also the moments below the confidence threshold ("show weaker matches") */
  weak: boolean;
  source: SourceFilter | null;
  duration: DurationFilter | null;
  sort: SearchSort;
}

/** A search page's URL parameters as Next.js hands them over. */
export type SearchParamsRecord = {
  q?: Param;
  video?: Param;
  page?: Param;
  weak?: Param;
  source?: Param;
  duration?: Param;
  sort?: Param;
};

/**
 * `/search?q=…&video=<id>&source=visual|text&duration=short|medium|long&sort=time&weak=1&page=N`.
 * Anything unknown falls back to the default (every video, any source and length, best
 * match first, the threshold applied, page 1).
 */
export function parseSearchQuery(params: SearchParamsRecord | URLSearchParams): SearchQuery {
  const get = (k: keyof SearchParamsRecord): string | undefined =>
    params instanceof URLSearchParams ? (params.get(k) ?? undefined) : first(params[k]);
  const q = get("q");
  const video = get("video")?.trim() || null;
  const page = Number(get("page"));
  const source = get("source");
  const duration = get("duration");
  const weak = get("weak");
  return {
    q: q ?? null,
    video,
    page: Number.isInteger(page) && page > 1 ? page : 1,
    weak: weak === "1" || weak === "true",
    source: SOURCE_FILTERS.some((s) => s.value === source) ? (source as SourceFilter) : null,
    duration: DURATION_FILTERS.some((d) => d.value === duration) ? (duration as DurationFilter) : null,
    sort: get("sort") === "time" ? "time" : "confidence",
  };
}

export type SearchLink = { q: string } & Partial<Omit<SearchQuery, "q">>;

/** The results page for a search; defaults are left out of the URL. */
export function searchHref({ q, video, page = 1, weak, source, duration, sort }: SearchLink): string {
  const p = new URLSearchParams({ q });
  if (video) p.set("video", video);
  if (source) p.set("source", source);
  if (duration) p.set("duration", duration);
  if (sort === "time") p.set("sort", "time");
  if (weak) p.set("weak", "1");
  if (page > 1) p.set("page", String(page));
  return `/search?${p}`;
}

/** Whether the results are narrowed by a filter (the video scope included). */
export function isSearchFiltered(q: Pick<SearchQuery, "video" | "source" | "duration">): boolean {
  return !!(q.video || q.source || q.duration);
}
