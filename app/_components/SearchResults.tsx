"use client";

import Link from "next/link";
import { useEffect, useState, type ReactNode } from "react";
import { getVideo, type SearchResult } from "@/app/_lib/api";
import { formatMs } from "@/app/_lib/format";
import { searchHref } from "@/app/_lib/moments";
import { useSearch } from "@/app/_lib/useSearch";
import { Alert } from "./Alert";
import { CardSkeletons } from "./CardSkeletons";
import { ArrowLeftIcon, ArrowRightIcon, SearchIcon } from "./icons";
import { MomentCard } from "./MomentCard";

export const SEARCH_PAGE_SIZE = 12;
const GRID = "grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3";

/** Sentences that describe the demo library's Shapes videos. */
export const EXAMPLE_QUERIES = ["the red square spins", "a blue circle moves to the left", "the background turns gray"];

interface SearchResultsProps {
  q: string;
  /** only this video's moments */
  video: string | null;
  /** 1-based */
  page: number;
}

/** The results of one search page; the page keys it by its URL, so each search starts fresh. */
export function SearchResults({ q, video, page }: SearchResultsProps) {
  const { result, loading, error, retry } = useSearch({
    q,
    video: video ?? undefined,
    limit: SEARCH_PAGE_SIZE,
    offset: (page - 1) * SEARCH_PAGE_SIZE,
  });

  let body: ReactNode = null;
  if (loading) {
    body = <CardSkeletons grid={GRID} count={6} label="Searching" testId="search-loading" bar />;
  } else if (error) {
    const retryable = error.status === 0 || error.status >= 500;
    body = (
      <div className="space-y-6" data-testid="search-error" data-code={error.code}>
        <Alert
          tone="error"
          title={error.code === "empty_query" ? "Nothing to search for" : error.status === 404 ? "Video not found" : "The search failed"}
          action={
            retryable ? (
              <button type="button" onClick={retry} className="text-sm font-medium underline underline-offset-2">
                Retry
              </button>
            ) : undefined
          }
        >
          {error.message}
        </Alert>
        {error.code === "empty_query" && <Suggestions video={video} />}
      </div>
    );
  } else if (result && result.moments.length === 0) {
    body = result.total > 0 ? <PastTheEnd q={q} video={video} total={result.total} /> : <NoMoments q={q} video={video} />;
  } else if (result) {
    body = (
      <div className="space-y-6">
        <ul className={GRID} aria-label="Moments">
          {result.moments.map((m) => (
            <li key={`${m.videoId}:${m.start}:${m.end}`} className="flex">
              <MomentCard moment={m} query={q} />
            </li>
          ))}
        </ul>
        <Pagination q={q} video={video} page={page} total={result.total} />
      </div>
    );
  }

  return (
    <div className="space-y-4">
      {video && <ScopeNote q={q} videoId={video} />}
      {!error && (
        <p className="min-h-5 text-sm text-zinc-400" aria-live="polite" data-testid="search-summary">
          {loading ? <span className="sr-only">Searching…</span> : result && <Summary result={result} />}
        </p>
      )}
      {body}
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

/** Which video a scoped search looks in, and the way out to the whole library. */
function ScopeNote({ q, videoId }: { q: string; videoId: string }) {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    getVideo(videoId, ctrl.signal).then(
      (v) => setName(v.name),
      () => undefined, // the search itself reports an unknown video
    );
    return () => ctrl.abort();
  }, [videoId]);
  return (
    <div
      className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-lg border border-zinc-800 bg-zinc-900/60 px-3 py-2 text-sm"
      data-testid="search-scope"
    >
      <span className="text-zinc-400">
        In{" "}
        <Link href={`/videos/${encodeURIComponent(videoId)}`} className="font-medium text-zinc-200 hover:text-white">
          {name ?? "one video"}
        </Link>{" "}
        only
      </span>
      <Link href={searchHref({ q })} className="inline-flex min-h-11 items-center font-medium text-indigo-300 hover:text-indigo-200 sm:min-h-0">
        Search all videos
      </Link>
    </div>
  );
}

function Suggestions({ video }: { video: string | null }) {
  return (
    <div className="space-y-2">
      <p className="text-sm text-zinc-400">Describe what happens on screen, for example:</p>
      <ul className="flex flex-wrap gap-2" aria-label="Example searches">
        {EXAMPLE_QUERIES.map((s) => (
          <li key={s}>
            <Link
              href={searchHref({ q: s, video })}
              className="inline-flex min-h-11 items-center gap-1.5 rounded-full border border-zinc-700 px-3 py-1 text-sm text-zinc-200 sm:min-h-0 hover:border-indigo-500/60 hover:bg-indigo-500/10 hover:text-white"
            >
              <SearchIcon className="size-3.5 text-zinc-500" />
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
    <div className="flex flex-col items-center rounded-2xl border border-dashed border-zinc-700 px-6 py-14 text-center" data-testid="search-landing">
      <SearchIcon className="size-10 text-zinc-500" />
      <h2 className="mt-4 text-lg font-semibold">Find a moment</h2>
      <p className="mt-1 max-w-md text-sm text-zinc-400">
        Type a sentence in the search box (press <kbd className="rounded border border-zinc-700 px-1 text-xs">/</kbd>) and Moments
        finds where it happens, across every processed video.
      </p>
      <div className="mt-6 flex flex-col items-center">
        <Suggestions video={video} />
      </div>
    </div>
  );
}

function NoMoments({ q, video }: { q: string; video: string | null }) {
  return (
    <div className="flex flex-col items-center rounded-2xl border border-dashed border-zinc-700 px-6 py-14 text-center" data-testid="search-empty">
      <SearchIcon className="size-10 text-zinc-500" />
      <h2 className="mt-4 text-lg font-semibold">No moments found</h2>
      <p className="mt-1 max-w-md text-sm text-zinc-400">
        Nothing {video ? "in this video" : "in the library"} matches “{q}”. Videos become searchable once they are processed; try
        describing the scene in other words.
      </p>
      <div className="mt-6 flex flex-col items-center">
        <Suggestions video={video} />
      </div>
      {video && (
        <Link href={searchHref({ q })} className="mt-6 text-sm font-medium text-indigo-300 hover:text-indigo-200">
          Search all videos instead
        </Link>
      )}
    </div>
  );
}

function PastTheEnd({ q, video, total }: { q: string; video: string | null; total: number }) {
  return (
    <div className="flex flex-col items-center rounded-2xl border border-dashed border-zinc-700 px-6 py-14 text-center" data-testid="search-empty">
      <h2 className="text-lg font-semibold">No more moments</h2>
      <p className="mt-1 text-sm text-zinc-400">
        This search found {total} moment{total === 1 ? "" : "s"}, all on earlier pages.
      </p>
      <Link href={searchHref({ q, video })} className="mt-6 text-sm font-medium text-indigo-300 hover:text-indigo-200">
        Back to the first page
      </Link>
    </div>
  );
}

const PAGE_LINK = "inline-flex min-h-11 items-center gap-1.5 rounded-lg px-3 py-2 text-sm font-medium ring-1 sm:min-h-0";

function Pagination({ q, video, page, total }: { q: string; video: string | null; page: number; total: number }) {
  const pages = Math.max(1, Math.ceil(total / SEARCH_PAGE_SIZE));
  if (pages <= 1 && page <= 1) return null;
  const prev = page > 1 ? searchHref({ q, video, page: Math.min(page - 1, pages) }) : null;
  const next = page < pages ? searchHref({ q, video, page: page + 1 }) : null;
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
      <span className="text-sm tabular-nums text-zinc-400">
        {first}–{last} of {total}
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
