"use client";

import Link from "next/link";
import { useId } from "react";
import {
  DURATION_FILTERS,
  SEARCH_SORTS,
  SOURCE_FILTERS,
  searchHref,
  type DurationFilter,
  type SearchQuery,
  type SearchSort,
  type SourceFilter,
} from "@/app/_lib/moments";
import { CloseIcon } from "./icons";

const FIELD =
  "h-11 w-full rounded-lg border border-zinc-700 bg-zinc-900 px-2 text-sm text-zinc-100 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/40 focus:outline-none sm:h-9";
const LABEL = "mb-1 block text-xs font-medium text-zinc-300";

export interface VideoOption {
  id: string;
  name: string;
}

export type ResultsQuery = SearchQuery & { q: string };

interface SearchFiltersProps {
  query: ResultsQuery;
  /** the videos to offer: those seen in this search's results, and the scope */
  videos: VideoOption[];
  /** a change of filter or sort (the page goes back to 1) */
  onChange: (next: Partial<Omit<SearchQuery, "q">>) => void;
}

/**
 * Filter the results by video, by the video's length and by what found the moment, and
 * sort them. Every control writes the URL; the URL is the state.
 */
export function SearchFilters({ query, videos, onChange }: SearchFiltersProps) {
  const id = useId();
  const options =
    query.video && !videos.some((v) => v.id === query.video)
      ? [{ id: query.video, name: "This video" }, ...videos]
      : videos;
  return (
    <form
      aria-label="Filter and sort the results"
      onSubmit={(e) => e.preventDefault()}
      className="grid grid-cols-2 gap-3 sm:flex sm:flex-wrap sm:items-end"
      data-testid="search-filters"
    >
      <div className="col-span-2 sm:col-span-1 sm:w-56">
        <label htmlFor={`${id}-video`} className={LABEL}>
          Video
        </label>
        <select
          id={`${id}-video`}
          value={query.video ?? ""}
          onChange={(e) => onChange({ video: e.target.value || null })}
          data-testid="search-filter-video"
          className={FIELD}
        >
          <option value="">All videos</option>
          {options.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
      </div>
      <div className="sm:w-36">
        <label htmlFor={`${id}-duration`} className={LABEL}>
          Video length
        </label>
        <select
          id={`${id}-duration`}
          value={query.duration ?? ""}
          onChange={(e) => onChange({ duration: (e.target.value || null) as DurationFilter | null })}
          data-testid="search-filter-duration"
          className={FIELD}
        >
          <option value="">Any length</option>
          {DURATION_FILTERS.map((d) => (
            <option key={d.value} value={d.value}>
              {d.label}
            </option>
          ))}
        </select>
      </div>
      <div className="sm:w-56">
        <label htmlFor={`${id}-source`} className={LABEL}>
          Found by
        </label>
        <select
          id={`${id}-source`}
          value={query.source ?? ""}
          onChange={(e) => onChange({ source: (e.target.value || null) as SourceFilter | null })}
          data-testid="search-filter-source"
          className={FIELD}
        >
          <option value="">All</option>
          {SOURCE_FILTERS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <div className="col-span-2 sm:col-span-1 sm:w-52">
        <label htmlFor={`${id}-sort`} className={LABEL}>
          Sort
        </label>
        <select
          id={`${id}-sort`}
          value={query.sort}
          onChange={(e) => onChange({ sort: e.target.value as SearchSort })}
          data-testid="search-sort"
          className={FIELD}
        >
          {SEARCH_SORTS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
    </form>
  );
}

const CHIP =
  "inline-flex min-h-11 items-center gap-1.5 rounded-full border border-zinc-700 bg-zinc-900 py-1 pr-2 pl-3 text-sm text-zinc-200 hover:border-zinc-500 hover:bg-zinc-800 hover:text-white focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400 sm:min-h-8";

/**
 * The active filters as removable chips (the video scope first, named): each one is a
 * link to the same search without it.
 */
export function FilterChips({ query, videoName }: { query: ResultsQuery; videoName: string | null }) {
  const chips: { key: string; label: string; href: string; testId: string }[] = [];
  const base = { ...query, page: 1 };
  if (query.video)
    chips.push({
      key: "video",
      label: `In ${videoName ?? "one video"} only`,
      href: searchHref({ ...base, video: null }),
      testId: "search-scope",
    });
  const duration = DURATION_FILTERS.find((d) => d.value === query.duration);
  if (duration)
    chips.push({
      key: "duration",
      label: `Length: ${duration.label.toLowerCase()}`,
      href: searchHref({ ...base, duration: null }),
      testId: "search-chip",
    });
  const source = SOURCE_FILTERS.find((s) => s.value === query.source);
  if (source)
    chips.push({
      key: "source",
      label: `Found by: ${source.label.toLowerCase()}`,
      href: searchHref({ ...base, source: null }),
      testId: "search-chip",
    });
  if (chips.length === 0) return null;
  return (
    <ul className="flex flex-wrap items-center gap-2" aria-label="Active filters">
      {chips.map((c) => (
        <li key={c.key}>
          <Link href={c.href} scroll={false} className={CHIP} data-testid={c.testId} data-filter={c.key}>
            <span className="sr-only">Remove the filter: </span>
            <span className="max-w-[16rem] truncate">{c.label}</span>
            <CloseIcon className="size-4 shrink-0 text-zinc-400" />
          </Link>
        </li>
      ))}
      {chips.length > 1 && (
        <li>
          <Link
            href={searchHref({ q: query.q, sort: query.sort, weak: query.weak })}
            scroll={false}
            className="inline-flex min-h-11 items-center px-2 text-sm font-medium text-indigo-300 hover:text-indigo-200 sm:min-h-8"
          >
            Clear all filters
          </Link>
        </li>
      )}
    </ul>
  );
}
