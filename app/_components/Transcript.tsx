"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from "react";
import type { TextCue, TextKind, VideoDto } from "@/app/_lib/api";
import { formatPercent, formatTime, formatTimeLong } from "@/app/_lib/format";
import { includesIgnoringCase, substringPattern } from "@/app/_lib/highlight";
import { activeCueIndices, sameIndices } from "@/app/_lib/transcript";
import { ocrPending } from "@/app/_lib/useCues";
import { Highlighted } from "./Highlighted";
import { SearchIcon } from "./icons";
import { ProgressBar } from "./ProgressBar";

export const TEXT_KINDS: { id: TextKind; label: string }[] = [
  { id: "subtitles", label: "Subtitles" },
  { id: "ocr", label: "On-screen text" },
];

interface TranscriptProps {
  video: Pick<VideoDto, "id" | "status" | "ocr">;
  subtitles: TextCue[];
  ocr: TextCue[];
  /** the player's <video>: the transcript follows it, and a line seeks it */
  mediaRef: RefObject<HTMLVideoElement | null>;
  /** why the cues could not be loaded */
  error?: string | null;
}

/** After the person scrolls the list themselves, it stops following playback for this long. */
const HANDS_OFF_MS = 4000;

const NONE: number[] = [];
const NO_CUES: TextCue[] = [];

/** The cues showing at the <video>'s current time (several when they overlap), following its events. */
function useActiveCues(mediaRef: RefObject<HTMLVideoElement | null>, cues: TextCue[]): number[] {
  const [state, setState] = useState<{ cues: TextCue[]; active: number[] }>({ cues, active: NONE });
  useEffect(() => {
    const v = mediaRef.current;
    if (!v) return;
    const update = () => {
      const next = activeCueIndices(cues, v.currentTime);
      setState((s) => (s.cues === cues && sameIndices(s.active, next) ? s : { cues, active: next }));
    };
    const frame = requestAnimationFrame(update);
    const events = ["timeupdate", "seeking", "seeked", "loadedmetadata", "emptied"] as const;
    for (const e of events) v.addEventListener(e, update);
    return () => {
      cancelAnimationFrame(frame);
      for (const e of events) v.removeEventListener(e, update);
    };
  }, [mediaRef, cues]);
  return state.cues === cues ? state.active : NONE;
}

function ocrLine(video: TranscriptProps["video"]): { text: string; tone: string; progress: number | null } | null {
  if (ocrPending(video)) {
    return video.ocr.status === "running"
      ? {
          text: `Reading on-screen text… ${formatPercent(video.ocr.progress)}`,
          tone: "text-sky-200",
          progress: video.ocr.progress,
        }
      : { text: "Waiting to read on-screen text…", tone: "text-sky-200", progress: null };
  }
  if (video.status === "ready" && video.ocr.status === "failed") {
    return {
      text: `On-screen text could not be read${video.ocr.error ? `: ${video.ocr.error}` : "."}`,
      tone: "text-rose-300",
      progress: null,
    };
  }
  return null;
}

/**
 * The video's text as a list of timed lines: subtitles or on-screen text (tabs, only the
 * kinds it has). A line seeks the player to its start; the lines showing now are marked
 * and kept in view (without smooth scrolling for people who prefer reduced motion, and
 * not while the person scrolls the list); the filter keeps the lines that contain it.
 * While on-screen text is being read, its progress shows here.
 */
export function Transcript({ video, subtitles, ocr, mediaRef, error = null }: TranscriptProps) {
  const baseId = useId();
  const available = TEXT_KINDS.filter((k) => (k.id === "ocr" ? ocr : subtitles).length > 0);
  const [picked, setPicked] = useState<TextKind | null>(null);
  const kind = available.find((k) => k.id === picked)?.id ?? available[0]?.id ?? null;
  // (the same empty list every render: the time subscription below keys on it)
  const cues = kind === "ocr" ? ocr : kind === "subtitles" ? subtitles : NO_CUES;
  const [filter, setFilter] = useState("");
  const active = useActiveCues(mediaRef, cues);
  const listRef = useRef<HTMLOListElement>(null);
  const handsOffUntil = useRef(0);
  const tabRefs = useRef<Partial<Record<TextKind, HTMLButtonElement | null>>>({});

  const pattern = substringPattern(filter);
  const visible = cues.map((c, i) => ({ c, i })).filter(({ c }) => includesIgnoringCase(c.text, filter));
  const firstActive = active[0] ?? -1;
  const status = ocrLine(video);

  // the line showing now stays in view
  useEffect(() => {
    const list = listRef.current;
    if (firstActive < 0 || !list || Date.now() < handsOffUntil.current) return;
    const el = list.querySelector<HTMLElement>(`[data-index="${firstActive}"]`);
    if (!el) return; // filtered out
    const top = el.offsetTop;
    const bottom = top + el.offsetHeight;
    if (top >= list.scrollTop && bottom <= list.scrollTop + list.clientHeight) return;
    const reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    list.scrollTo({ top: Math.max(0, top - list.clientHeight / 3), behavior: reduce ? "auto" : "smooth" });
  }, [firstActive, kind, filter]);

  const seekTo = (t: number) => {
    const v = mediaRef.current;
    if (v) v.currentTime = t;
  };

  const handsOff = () => {
    handsOffUntil.current = Date.now() + HANDS_OFF_MS;
  };

  const onTabKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    const i = available.findIndex((k) => k.id === kind);
    let next = -1;
    if (e.key === "ArrowRight") next = (i + 1) % available.length;
    else if (e.key === "ArrowLeft") next = (i - 1 + available.length) % available.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = available.length - 1;
    if (next < 0) return;
    e.preventDefault();
    const id = available[next].id;
    setPicked(id);
    tabRefs.current[id]?.focus();
  };

  const tabId = (k: TextKind) => `${baseId}-tab-${k}`;
  const panelId = `${baseId}-panel`;
  const kindLabel = TEXT_KINDS.find((k) => k.id === kind)?.label ?? "";

  return (
    <section
      aria-labelledby={`${baseId}-heading`}
      data-testid="transcript"
      data-kind={kind ?? undefined}
      className="space-y-3 rounded-xl border border-zinc-800 bg-zinc-900/60 p-4"
    >
      <div className="flex items-baseline justify-between gap-3">
        <h2 id={`${baseId}-heading`} className="text-sm font-semibold text-zinc-300">
          Transcript
        </h2>
        {available.length === 1 && <span className="text-xs text-zinc-400">{kindLabel}</span>}
      </div>

      {status && (
        <div role="status" className="space-y-1.5" data-testid="ocr-status" data-status={video.ocr.status ?? undefined}>
          <p className={`text-xs ${status.tone}`}>{status.text}</p>
          {status.progress !== null && (
            <ProgressBar value={status.progress} label="Reading on-screen text" tone="processing" />
          )}
        </div>
      )}
      {error && (
        <p role="alert" className="text-xs text-rose-300" data-testid="transcript-error">
          {error}
        </p>
      )}

      {kind && (
        <>
          {available.length > 1 && (
            <div role="tablist" aria-label="Which text" className="flex gap-1 rounded-lg bg-zinc-950/60 p-1">
              {available.map((k) => (
                <button
                  key={k.id}
                  ref={(el) => {
                    tabRefs.current[k.id] = el;
                  }}
                  type="button"
                  role="tab"
                  id={tabId(k.id)}
                  aria-selected={k.id === kind}
                  aria-controls={panelId}
                  tabIndex={k.id === kind ? 0 : -1}
                  onClick={() => setPicked(k.id)}
                  onKeyDown={onTabKeyDown}
                  data-testid="transcript-tab"
                  data-kind={k.id}
                  className={`min-h-11 flex-1 rounded-md px-2 text-xs font-medium focus-visible:outline-2 focus-visible:outline-indigo-400 sm:min-h-8 ${
                    k.id === kind ? "bg-zinc-800 text-zinc-100" : "text-zinc-400 hover:text-zinc-200"
                  }`}
                >
                  {k.label}
                </button>
              ))}
            </div>
          )}
          <div
            id={panelId}
            role={available.length > 1 ? "tabpanel" : undefined}
            aria-labelledby={available.length > 1 ? tabId(kind) : undefined}
            className="space-y-2"
          >
            <div className="relative">
              <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-zinc-500" />
              <label htmlFor={`${baseId}-filter`} className="sr-only">
                Filter lines
              </label>
              <input
                id={`${baseId}-filter`}
                type="search"
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
                placeholder="Filter lines"
                autoComplete="off"
                data-testid="transcript-filter"
                className="h-11 w-full rounded-lg border border-zinc-700 bg-zinc-950 pr-3 pl-8 text-sm text-zinc-100 placeholder:text-zinc-400 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/40 focus:outline-none sm:h-9"
              />
            </div>
            <p className="text-xs text-zinc-400" aria-live="polite" data-testid="transcript-count">
              {filter.trim()
                ? `${visible.length} of ${cues.length} lines`
                : `${cues.length} ${cues.length === 1 ? "line" : "lines"}`}
            </p>
            {visible.length === 0 ? (
              <p
                className="rounded-lg border border-dashed border-zinc-800 px-3 py-4 text-center text-sm text-zinc-400"
                data-testid="transcript-empty"
              >
                No line contains &ldquo;{filter.trim()}&rdquo;.
              </p>
            ) : (
              <ol
                ref={listRef}
                aria-label={`${kindLabel}, ${cues.length} lines`}
                onWheel={handsOff}
                onTouchMove={handsOff}
                className="relative max-h-96 space-y-0.5 overflow-y-auto overscroll-contain pr-1"
                data-testid="transcript-list"
              >
                {visible.map(({ c, i }) => {
                  const on = active.includes(i);
                  return (
                    <li key={`${kind}-${i}`} data-index={i}>
                      <button
                        type="button"
                        onClick={() => seekTo(c.start)}
                        aria-current={on ? "true" : undefined}
                        data-testid="transcript-cue"
                        data-start={c.start}
                        data-active={on || undefined}
                        title={`Go to ${formatTimeLong(c.start)}`}
                        className={`flex min-h-11 w-full items-baseline gap-2.5 rounded-md px-2 py-1.5 text-left text-sm focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-400 sm:min-h-0 ${
                          on
                            ? "bg-indigo-500/15 text-zinc-50 ring-1 ring-indigo-400/40 ring-inset"
                            : "text-zinc-300 hover:bg-zinc-800 hover:text-zinc-100"
                        }`}
                      >
                        <span className={`shrink-0 text-xs tabular-nums ${on ? "text-indigo-200" : "text-zinc-400"}`}>
                          {formatTime(c.start)}
                        </span>{" "}
                        <span className="min-w-0 break-words">
                          <Highlighted text={c.text} pattern={pattern} />
                        </span>
                      </button>
                    </li>
                  );
                })}
              </ol>
            )}
          </div>
        </>
      )}
      {!kind && !error && status && <p className="text-xs text-zinc-400">Its lines will be listed here once read.</p>}
    </section>
  );
}
