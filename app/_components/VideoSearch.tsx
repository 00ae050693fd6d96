"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import type { SearchResult } from "@/app/_lib/api";
import { formatConfidence, LEVELS, levelOf, type Level } from "@/app/_lib/confidence";
import { formatSpanLength, formatTime } from "@/app/_lib/format";
import { searchHref, type MomentSpan } from "@/app/_lib/moments";
import { useSearch } from "@/app/_lib/useSearch";
import { wordsPattern } from "@/app/_lib/highlight";
import { Highlighted } from "./Highlighted";
import { CaptionsIcon, SearchIcon, TextIcon } from "./icons";
import { MomentBar } from "./MomentBar";

interface VideoSearchProps {
  videoId: string;
  duration: number | null;
  /** searching needs the video processed */
  ready: boolean;
  /** the moment highlighted in the player, to mark its row */
  activeSpan: MomentSpan | null;
  /** `found`: the search that listed the span and the other spans it proposed (for "Correct this") */
  onPick: (span: MomentSpan, found: { query: string; alternatives: MomentSpan[] }) => void;
}

const LIMIT = 20;

const LEVEL_TEXT: Record<Level, string> = {
  strong: "font-medium text-emerald-300",
  possible: "font-medium text-amber-200",
  weak: "text-zinc-400",
};

interface Row extends MomentSpan {
  /** the confidence of a found moment; null for the grounder's other candidates */
  score: number | null;
  level: Level | null;
  text: string | null;
  /** where `text` came from */
  textSource: "subtitles" | "ocr" | null;
  /** the other spans of the moment this row comes from */
  others: MomentSpan[];
}

/**
 * The rows to show: the moments found, best first, then the other candidate spans the
 * grounder proposed for them (a search within one video finds one moment per evidence
 * source; its alternatives are the rest of what is worth a look).
 */
function rowsOf(result: SearchResult): Row[] {
  const span = (s: MomentSpan): MomentSpan => ({ start: s.start, end: s.end });
  const threshold = result.threshold;
  const rows: Row[] = result.moments.map((m) => ({
    start: m.start,
    end: m.end,
    score: m.confidence ?? m.score,
    level: levelOf(m, threshold),
    text: m.text,
    textSource: m.textSource,
    others: m.alternatives.map(span),
  }));
  for (const m of result.moments) {
    for (const a of m.alternatives) {
      const others = [span(m), ...m.alternatives.filter((b) => b !== a).map(span)];
      rows.push({ start: a.start, end: a.end, score: null, level: null, text: null, textSource: null, others });
    }
  }
  // drop candidates that are (nearly) a span already listed
  const kept: Row[] = [];
  for (const r of rows) if (!kept.some((k) => iou(k, r) >= 0.8)) kept.push(r);
  return kept;
}

/** Intersection over union of two spans. */
function iou(a: MomentSpan, b: MomentSpan): number {
  const inter = Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
  const union = Math.max(a.end, b.end) - Math.min(a.start, b.start);
  return union > 0 ? inter / union : 1;
}

/** "Search in this video": a sentence in, this video's moments out; picking one plays it. */
export function VideoSearch({ videoId, duration, ready, activeSpan, onPick }: VideoSearchProps) {
  const [text, setText] = useState("");
  const [query, setQuery] = useState<string | null>(null);
  // "show weaker matches": the moments under the confidence threshold too
  const [weak, setWeak] = useState(false);
  const { result, loading, error } = useSearch(
    query === null ? null : { q: query, video: videoId, limit: LIMIT, minConfidence: weak ? 0 : undefined },
  );

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setQuery(text);
    setWeak(false);
  };

  return (
    <section
      aria-labelledby="video-search-heading"
      className="space-y-3 rounded-xl border border-zinc-800 bg-zinc-900/60 p-4"
    >
      <h2 id="video-search-heading" className="text-sm font-semibold text-zinc-300">
        Search in this video
      </h2>
      <form role="search" onSubmit={submit} className="relative">
        <label htmlFor="video-search" className="sr-only">
          Describe a moment in this video
        </label>
        <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-zinc-500" />
        <input
          id="video-search"
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={ready ? "Describe a moment…" : "Available once processed"}
          disabled={!ready}
          autoComplete="off"
          enterKeyHint="search"
          data-testid="video-search-input"
          className="h-11 w-full rounded-lg border border-zinc-700 bg-zinc-950 pr-3 pl-8 sm:h-9 text-sm text-zinc-100 placeholder:text-zinc-400 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/40 focus:outline-none disabled:cursor-not-allowed disabled:opacity-60"
        />
      </form>

      <div aria-live="polite" aria-busy={loading || undefined}>
        {loading ? (
          <ul className="space-y-2" aria-label="Searching">
            {Array.from({ length: 3 }, (_, i) => (
              <li key={i} className="space-y-2 rounded-lg bg-zinc-800/40 p-2.5">
                <div className="h-3 w-1/2 animate-pulse rounded bg-zinc-800" />
                <div className="h-1.5 w-full animate-pulse rounded-full bg-zinc-800" />
              </li>
            ))}
          </ul>
        ) : error ? (
          <p role="alert" className="text-sm text-rose-300" data-testid="video-search-error">
            {error.message}
          </p>
        ) : result && result.moments.length === 0 ? (
          <div className="space-y-1" data-testid="video-search-empty">
            <p className="text-sm text-zinc-400">
              {weak ? `No moments match “${result.query}”.` : `No good match for “${result.query}” in this video.`}
            </p>
            {!weak && result.weaker > 0 && (
              <button
                type="button"
                onClick={() => setWeak(true)}
                data-testid="video-search-show-weaker"
                className="inline-flex min-h-11 items-center text-sm font-medium text-indigo-300 hover:text-indigo-200 sm:min-h-0"
              >
                Show weaker matches ({result.weaker})
              </button>
            )}
          </div>
        ) : result ? (
          <ol className="space-y-1.5" aria-label={`Moments matching ${result.query}`}>
            {rowsOf(result).map((r) => {
              const active = !!activeSpan && activeSpan.start === r.start && activeSpan.end === r.end;
              return (
                <li key={`${r.start}:${r.end}`}>
                  <button
                    type="button"
                    onClick={() =>
                      onPick({ start: r.start, end: r.end }, { query: result.query, alternatives: r.others })
                    }
                    data-testid="video-search-result"
                    data-kind={r.score === null ? "alternative" : "moment"}
                    data-level={r.level ?? undefined}
                    data-start={r.start}
                    data-end={r.end}
                    aria-current={active ? "true" : undefined}
                    className={`w-full space-y-1.5 rounded-lg p-2.5 text-left ring-1 transition ${
                      active
                        ? "bg-amber-400/10 ring-amber-400/50"
                        : "bg-zinc-800/40 ring-transparent hover:bg-zinc-800 hover:ring-zinc-700"
                    }`}
                  >
                    <span className="flex items-baseline justify-between gap-2 text-xs tabular-nums">
                      <span
                        className={active ? "text-amber-100" : r.score === null ? "text-zinc-300" : "text-zinc-200"}
                      >
                        {formatTime(r.start)}–{formatTime(r.end)}
                        <span className={active ? "text-amber-100/90" : "text-zinc-400"}>
                          {" "}
                          · {formatSpanLength(r.end - r.start)}
                        </span>
                      </span>
                      {r.score === null || r.level === null ? (
                        <span className="text-zinc-400">candidate</span>
                      ) : (
                        <span className={LEVEL_TEXT[r.level]} title={`Confidence ${formatConfidence(r.score)}`}>
                          {LEVELS[r.level].short}
                          <span className="sr-only"> match, confidence {formatConfidence(r.score)}</span>
                        </span>
                      )}
                    </span>
                    <MomentBar duration={duration} span={r} />
                    {r.text && (
                      <span
                        className="flex gap-1.5 text-xs text-zinc-400"
                        data-testid="video-search-result-text"
                        data-source={r.textSource ?? undefined}
                      >
                        {r.textSource === "ocr" ? (
                          <TextIcon className="mt-px size-3.5 shrink-0 text-zinc-500" />
                        ) : (
                          <CaptionsIcon className="mt-px size-3.5 shrink-0 text-zinc-500" />
                        )}
                        <span className="line-clamp-2">
                          <span className="sr-only">{r.textSource === "ocr" ? "On-screen text: " : "Subtitles: "}</span>
                          “
                          <Highlighted text={r.text} pattern={wordsPattern(result.query)} />”
                        </span>
                      </span>
                    )}
                  </button>
                </li>
              );
            })}
          </ol>
        ) : null}
        {!loading && result && result.moments.length > 0 && !weak && result.weaker > 0 && (
          <button
            type="button"
            onClick={() => setWeak(true)}
            data-testid="video-search-show-weaker"
            className="mt-2 inline-flex min-h-11 items-center text-xs font-medium text-indigo-300 hover:text-indigo-200 sm:min-h-0"
          >
            Show {result.weaker} weaker match{result.weaker === 1 ? "" : "es"}
          </button>
        )}
      </div>
      {query !== null && query.trim() !== "" && (
        <Link
          href={searchHref({ q: query.trim(), video: videoId, weak })}
          data-testid="video-search-full-results"
          className="inline-flex min-h-11 items-center text-sm font-medium text-indigo-300 hover:text-indigo-200 sm:min-h-0"
        >
          Open full results for this video
        </Link>
      )}
    </section>
  );
}
