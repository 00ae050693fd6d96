"use client";

import Link from "next/link";
import { useViewParams } from "@/app/_lib/useViewParams";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { getVideo, type Moment, type SearchResult } from "@/app/_lib/api";
import { formatConfidence, levelOf } from "@/app/_lib/confidence";
import { formatMs } from "@/app/_lib/format";
import { searchModelVersion } from "@/app/_lib/models-format";
import {
  durationRange,
  isSearchFiltered,
  parseSearchQuery,
  searchHref,
  type MomentSpan,
  type SearchQuery,
} from "@/app/_lib/moments";
import { useExamples } from "@/app/_lib/useExamples";
import { useSearch } from "@/app/_lib/useSearch";
import { Alert } from "./Alert";
import { CardSkeletons } from "./CardSkeletons";
import { ArrowLeftIcon, ArrowRightIcon, SearchIcon } from "./icons";
import { MomentCard } from "./MomentCard";
import { FilterChips, SearchFilters, type ResultsQuery, type VideoOption } from "./SearchFilters";
import { SimilarMoments } from "./SimilarMoments";

export const SEARCH_PAGE_SIZE = 12;
const GRID = "grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3";

/**
 * Puts a view of the results in the address without a server round trip (Next.js keeps
 * useSearchParams in step with the History API); Back returns to the view before.
 */
function showView(q: ResultsQuery) {
  const url = searchHref(q);
  if (url !== `${window.location.pathname}${window.location.search}`) window.history.pushState(null, "", url);
}

/**
 * The results of one search: filters and sort, the moments (a page of them), and the way
 * to the weaker matches. The page keys it by the query, so each search starts fresh; the
 * rest of the view (filters, sort, page, "weaker matches too") is read from the URL and
 * changes in place, so a select keeps its focus.
 */
export function SearchResults({ q }: { q: string }) {
  const params = useViewParams().toString();
  const query: ResultsQuery = useMemo(() => ({ ...parseSearchQuery(new URLSearchParams(params)), q }), [params, q]);
  const { video, page, weak, source, duration, sort } = query;
  const { result, loading, error, retry } = useSearch({
    q,
    video: video ?? undefined,
    limit: SEARCH_PAGE_SIZE,
    offset: (page - 1) * SEARCH_PAGE_SIZE,
    minConfidence: weak ? 0 : undefined,
    source: source ?? undefined,
    ...durationRange(duration),
    sort,
  });
  // what is under the usual threshold is weak, also when the page asked for everything
  const threshold = result?.threshold ?? 0;

  const change = useCallback(
    (next: Partial<Omit<SearchQuery, "q">>) => showView({ ...query, page: 1, ...next }),
    [query],
  );
  const videos = useSeenVideos(result, video);
  const videoName = videos.find((v) => v.id === video)?.name ?? null;

  // "More like this": the moment shown, and the button to give focus back to
  const [similar, setSimilar] = useState<Moment | null>(null);
  const opener = useRef<HTMLButtonElement | null>(null);
  const openSimilar = useCallback((m: Moment, button: HTMLButtonElement) => {
    opener.current = button;
    setSimilar(m);
  }, []);
  const closeSimilar = useCallback(() => {
    setSimilar(null);
    const button = opener.current;
    // after the dialog has closed (the browser moves focus then too)
    requestAnimationFrame(() => button?.focus());
  }, []);

  let body: ReactNode = null;
  if (loading) {
    body = <CardSkeletons grid={GRID} count={6} label="Searching" testId="search-loading" bar />;
  } else if (error) {
    const retryable = error.status === 0 || error.status >= 500;
    body = (
      <div className="space-y-6" data-testid="search-error" data-code={error.code}>
        <Alert
          tone="error"
          title={
            error.code === "empty_query"
              ? "Nothing to search for"
              : error.status === 404
                ? "Video not found"
                : "The search failed"
          }
          onRetry={retryable ? retry : undefined}
        >
          {error.message}
        </Alert>
        {error.code === "empty_query" && <Suggestions video={video} />}
      </div>
    );
  } else if (result && result.total === 0) {
    body = weak ? <NoMoments query={query} /> : <NoGoodMatch query={query} weaker={result.weaker} />;
  } else if (result && result.moments.length === 0) {
    body = <PastTheEnd query={query} total={result.total} />;
  } else if (result) {
    const pages = Math.max(1, Math.ceil(result.total / SEARCH_PAGE_SIZE));
    body = (
      <div className="space-y-6">
        <Moments result={result} query={query} threshold={threshold} onMoreLikeThis={openSimilar} />
        <Pagination query={query} total={result.total} />
        {!weak && result.weaker > 0 && page >= pages && (
          <p className="text-sm text-zinc-400" data-testid="search-weaker-more">
            {result.weaker} more moment{result.weaker === 1 ? "" : "s"} matched less surely.{" "}
            <Link
              href={searchHref({ ...query, weak: true, page: Math.floor(result.total / SEARCH_PAGE_SIZE) + 1 })}
              className="inline-flex min-h-11 items-center font-medium text-indigo-300 underline-offset-2 hover:text-indigo-200 hover:underline sm:min-h-0"
              data-testid="show-weaker"
            >
              Show {result.weaker} weaker match{result.weaker === 1 ? "" : "es"}
            </Link>
          </p>
        )}
      </div>
    );
  }

  return (
    <div className="space-y-4">
      <SearchFilters query={query} videos={videos} onChange={change} />
      <FilterChips query={query} videoName={videoName} />
      {weak && (
        <p
          className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-lg border border-dashed border-zinc-700 bg-zinc-900/60 px-3 py-2 text-sm text-zinc-300"
          data-testid="search-weak-note"
        >
          <span>
            Showing weaker matches too: moments under {formatConfidence(threshold)} confidence are marked “Weak match”.
          </span>
          <Link
            href={searchHref({ ...query, weak: false, page: 1 })}
            className="inline-flex min-h-11 items-center font-medium text-indigo-300 hover:text-indigo-200 sm:min-h-0"
            data-testid="hide-weaker"
          >
            Hide weaker matches
          </Link>
        </p>
      )}
      {!error && (
        <div className="flex min-h-5 flex-wrap items-baseline gap-x-1 text-sm text-zinc-400">
          <p aria-live="polite" data-testid="search-summary">
            {loading ? <span className="sr-only">Searching…</span> : result && <Summary result={result} />}
          </p>
          {!loading && result && <AnsweredBy result={result} />}
        </div>
      )}
      {body}
      <SimilarMoments moment={similar} onClose={closeSimilar} />
    </div>
  );
}

/**
 * The videos to offer in the video filter: every video seen in this search's results so
 * far (any page, any filter), and the scoped one, named by the API when it was not seen.
 */
function useSeenVideos(result: SearchResult | null, scope: string | null): VideoOption[] {
  const [seen, setSeen] = useState<VideoOption[]>([]);
  const [from, setFrom] = useState<SearchResult | null>(null);
  if (result && result !== from) {
    setFrom(result);
    const added = new Map<string, string>();
    for (const m of result.moments) if (!seen.some((v) => v.id === m.videoId)) added.set(m.videoId, m.video.name);
    if (added.size > 0)
      setSeen(
        [...seen, ...[...added].map(([id, name]) => ({ id, name }))].sort((a, b) => a.name.localeCompare(b.name)),
      );
  }
  const [scopeName, setScopeName] = useState<{ id: string; name: string } | null>(null);
  const known = !scope || seen.some((v) => v.id === scope) || scopeName?.id === scope;
  useEffect(() => {
    if (known || !scope) return;
    const ctrl = new AbortController();
    getVideo(scope, ctrl.signal).then(
      (v) => setScopeName({ id: scope, name: v.name }),
      () => undefined, // the search itself reports an unknown video
    );
    return () => ctrl.abort();
  }, [scope, known]);
  return scopeName && !seen.some((v) => v.id === scopeName.id) ? [scopeName, ...seen] : seen;
}

/** Intersection over union of two spans. */
function iou(a: MomentSpan, b: MomentSpan): number {
  const inter = Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
  const union = Math.max(a.end, b.end) - Math.min(a.start, b.start);
  return union > 0 ? inter / union : 1;
}

/** A card's faint spans: the video's other moments on this page and its other grounded spans, each once. */
function otherSpans(m: Moment, moments: Moment[]): MomentSpan[] {
  const out: MomentSpan[] = [];
  const candidates = [...moments.filter((o) => o !== m && o.videoId === m.videoId), ...m.alternatives];
  for (const c of candidates) {
    const s = { start: c.start, end: c.end };
    if (iou(s, m) < 0.8 && !out.some((o) => iou(o, s) >= 0.8)) out.push(s);
  }
  return out;
}

interface MomentsProps {
  result: SearchResult;
  query: ResultsQuery;
  threshold: number;
  onMoreLikeThis: (m: Moment, opener: HTMLButtonElement) => void;
}

/**
 * The page's moments: one flat grid, best first; sorted by time, one group per video (a
 * heading, then its moments in order).
 */
function Moments({ result, query, threshold, onMoreLikeThis }: MomentsProps) {
  const card = (m: Moment, headingLevel: 2 | 3) => (
    <li key={`${m.videoId}:${m.start}:${m.end}`} className="flex">
      <MomentCard
        moment={m}
        query={query.q}
        level={levelOf(m, threshold)}
        others={otherSpans(m, result.moments)}
        headingLevel={headingLevel}
        scoped={query.video === m.videoId}
        onMoreLikeThis={onMoreLikeThis}
      />
    </li>
  );
  if (query.sort !== "time") {
    return (
      <ul className={GRID} aria-label="Moments" data-testid="search-results">
        {result.moments.map((m) => card(m, 2))}
      </ul>
    );
  }
  const groups: Moment[][] = [];
  for (const m of result.moments) {
    const last = groups[groups.length - 1];
    if (last && last[0].videoId === m.videoId) last.push(m);
    else groups.push([m]);
  }
  return (
    <div className="space-y-8" data-testid="search-results">
      {groups.map((g, i) => {
        const v = g[0].video;
        const headingId = `search-group-${i}`;
        return (
          <section
            key={`${v.id}:${i}`}
            aria-labelledby={headingId}
            className="space-y-3"
            data-testid="search-group"
            data-video-id={v.id}
          >
            <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 border-b border-zinc-800 pb-2">
              <h2 id={headingId} className="min-w-0 truncate text-base font-semibold text-zinc-100">
                <Link href={`/videos/${encodeURIComponent(v.id)}`} className="hover:text-white hover:underline">
                  {v.name}
                </Link>
              </h2>
              <span className="text-xs text-zinc-400">
                {g.length} moment{g.length === 1 ? "" : "s"} on this page, in time order
              </span>
            </div>
            <ul className={GRID} aria-label={`Moments in ${v.name}`}>
              {g.map((m) => card(m, 3))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

/** "12 moments · 48 ms", with the time of each stage on hover. */
function Summary({ result }: { result: SearchResult }) {
  const t = result.timings;
  const stages = `embed ${formatMs(t.embed)} · ANN ${formatMs(t.ann)} · text ${formatMs(t.text)} · first-pass ranking ${formatMs(t.rank)} · grounding ${formatMs(t.ground)} · fusion ${formatMs(t.fuse)}`;
  return (
    <span title={`${stages}\n${result.models.textEncoder} · ${result.models.grounder} (${result.method})`}>
      {result.total} moment{result.total === 1 ? "" : "s"} · {formatMs(t.total)}
    </span>
  );
}

/** "· model v2": the model version that answered (issue 22), once the server names it. */
function AnsweredBy({ result }: { result: SearchResult }) {
  const version = searchModelVersion(result);
  if (version === null) return null;
  return (
    <span data-testid="search-model-version" data-version={version}>
      · <span aria-hidden="true">model v{version}</span>
      <span className="sr-only">answered by model version {version}</span>
    </span>
  );
}

/** What to type: the library's own verified examples, or a plain hint when it has none. */
function Suggestions({
  video,
  intro = "Describe what happens on screen, for example:",
}: {
  video: string | null;
  intro?: string;
}) {
  const examples = useExamples();
  if (examples === null) return <div className="min-h-11" aria-hidden="true" />;
  if (examples.length === 0) {
    return (
      <p className="max-w-md text-sm text-zinc-400" data-testid="search-hint">
        Describe what happens on screen in a short sentence: who or what is in the picture, and what it does. Words from
        the subtitles or from text on screen work too.
      </p>
    );
  }
  return (
    <div className="space-y-2">
      <p className="text-sm text-zinc-400">{intro}</p>
      <ul className="flex flex-wrap justify-center gap-2" aria-label="Example searches" data-testid="search-examples">
        {examples.map((s) => (
          <li key={s}>
            <Link
              href={searchHref({ q: s, video })}
              className="inline-flex min-h-11 items-center gap-1.5 rounded-full border border-zinc-700 px-3 py-1 text-sm text-zinc-200 sm:min-h-0 hover:border-indigo-500/60 hover:bg-indigo-500/10 hover:text-white"
            >
              <SearchIcon className="size-3.5 text-zinc-400" />
              {s}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** /search without a query: what to type. */
export function SearchLanding({ video }: { video: string | null }) {
  return (
    <div
      className="flex flex-col items-center rounded-2xl border border-dashed border-zinc-700 px-6 py-14 text-center"
      data-testid="search-landing"
    >
      <SearchIcon className="size-10 text-zinc-500" />
      <h2 className="mt-4 text-lg font-semibold">Find a moment</h2>
      <p className="mt-1 max-w-md text-sm text-zinc-400">
        Type a sentence in the search box (press <kbd className="rounded border border-zinc-700 px-1 text-xs">/</kbd>)
        and Moments finds where it happens, {video ? "in this video" : "across every processed video"}.
      </p>
      <div className="mt-6 flex flex-col items-center">
        <Suggestions video={video} />
      </div>
    </div>
  );
}

const EMPTY = "flex flex-col items-center rounded-2xl border border-dashed border-zinc-700 px-6 py-14 text-center";
const EMPTY_ACTION =
  "inline-flex min-h-11 items-center justify-center gap-2 rounded-lg bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400";
const QUIET_LINK =
  "inline-flex min-h-11 items-center text-sm font-medium text-indigo-300 hover:text-indigo-200 sm:min-h-0";

/** Where else to look: the whole library, or without the filters. */
function WiderSearch({ query }: { query: ResultsQuery }) {
  const filtered = isSearchFiltered(query);
  if (!filtered) return null;
  return (
    <div className="mt-4 flex flex-wrap justify-center gap-x-6">
      {query.video && (
        <Link href={searchHref({ ...query, video: null, page: 1 })} className={QUIET_LINK}>
          Search all videos instead
        </Link>
      )}
      {(query.source || query.duration) && (
        <Link href={searchHref({ ...query, source: null, duration: null, page: 1 })} className={QUIET_LINK}>
          Search without the{" "}
          {query.source && query.duration
            ? "length and source filters"
            : query.source
              ? "source filter"
              : "length filter"}
        </Link>
      )}
    </div>
  );
}

/**
 * Nothing above the confidence threshold: said plainly, with what to try next, and the
 * weaker matches one click away when there are any.
 */
function NoGoodMatch({ query, weaker }: { query: ResultsQuery; weaker: number }) {
  const where = query.video ? "in this video" : isSearchFiltered(query) ? "with these filters" : "in the library";
  return (
    <div className={EMPTY} data-testid="search-empty" data-reason="no-good-match">
      <SearchIcon className="size-10 text-zinc-500" />
      <h2 className="mt-4 text-lg font-semibold break-words">No good match for “{query.q}”</h2>
      <p className="mt-1 max-w-md text-sm text-zinc-400">
        Nothing {where} matches it closely enough to show. Try describing the scene in other words: who or what is on
        screen, and what it does.
        {weaker > 0 && ` ${weaker} moment${weaker === 1 ? "" : "s"} matched less surely.`}
      </p>
      {weaker > 0 && (
        <Link
          href={searchHref({ ...query, weak: true, page: 1 })}
          className={`${EMPTY_ACTION} mt-6`}
          data-testid="show-weaker"
        >
          Show weaker matches ({weaker})
        </Link>
      )}
      <WiderSearch query={query} />
      <div className="mt-6 flex flex-col items-center">
        <Suggestions video={query.video} intro="Or try one of these:" />
      </div>
    </div>
  );
}

/** Not even a weak match (e.g. nothing processed yet, or the filters leave nothing). */
function NoMoments({ query }: { query: ResultsQuery }) {
  return (
    <div className={EMPTY} data-testid="search-empty" data-reason="no-moments">
      <SearchIcon className="size-10 text-zinc-500" />
      <h2 className="mt-4 text-lg font-semibold">No moments found</h2>
      <p className="mt-1 max-w-md text-sm text-zinc-400">
        Nothing {query.video ? "in this video" : isSearchFiltered(query) ? "with these filters" : "in the library"}{" "}
        matches “{query.q}”, not even weakly. Videos become searchable once they are processed; try describing the scene
        in other words.
      </p>
      <WiderSearch query={query} />
      <div className="mt-6 flex flex-col items-center">
        <Suggestions video={query.video} />
      </div>
    </div>
  );
}

function PastTheEnd({ query, total }: { query: ResultsQuery; total: number }) {
  return (
    <div className={EMPTY} data-testid="search-empty" data-reason="past-the-end">
      <h2 className="text-lg font-semibold">No more moments</h2>
      <p className="mt-1 text-sm text-zinc-400">
        This search found {total} moment{total === 1 ? "" : "s"}, all on earlier pages.
      </p>
      <Link href={searchHref({ ...query, page: 1 })} className={`${QUIET_LINK} mt-6`}>
        Back to the first page
      </Link>
    </div>
  );
}

const PAGE_LINK =
  "inline-flex min-h-11 items-center gap-1.5 rounded-lg px-3 py-2 text-sm font-medium ring-1 sm:min-h-0";

function Pagination({ query, total }: { query: ResultsQuery; total: number }) {
  const { page } = query;
  const pages = Math.max(1, Math.ceil(total / SEARCH_PAGE_SIZE));
  if (pages <= 1 && page <= 1) return null;
  const prev = page > 1 ? searchHref({ ...query, page: Math.min(page - 1, pages) }) : null;
  const next = page < pages ? searchHref({ ...query, page: page + 1 }) : null;
  const first = (page - 1) * SEARCH_PAGE_SIZE + 1;
  const last = Math.min(total, page * SEARCH_PAGE_SIZE);
  const enabled = `${PAGE_LINK} text-zinc-200 ring-zinc-700 hover:bg-zinc-800`;
  const disabled = `${PAGE_LINK} cursor-not-allowed text-zinc-400 ring-zinc-800`;
  return (
    <nav aria-label="Result pages" className="flex items-center justify-between gap-4 border-t border-zinc-800 pt-4">
      {prev ? (
        <Link href={prev} rel="prev" className={enabled} data-testid="search-prev">
          <ArrowLeftIcon className="size-4" />
          Previous
        </Link>
      ) : (
        <span className={disabled} aria-disabled="true">
          <ArrowLeftIcon className="size-4" />
          Previous
        </span>
      )}
      <span className="text-sm tabular-nums text-zinc-400" data-testid="search-range">
        {first}–{last} of {total}
        {pages > 1 && (
          <span className="sr-only">
            , page {page} of {pages}
          </span>
        )}
      </span>
      {next ? (
        <Link href={next} rel="next" className={enabled} data-testid="search-next">
          Next
          <ArrowRightIcon className="size-4" />
        </Link>
      ) : (
        <span className={disabled} aria-disabled="true">
          Next
          <ArrowRightIcon className="size-4" />
        </span>
      )}
    </nav>
  );
}
