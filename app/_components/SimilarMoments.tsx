"use client";

import { useModalDialog } from "@/app/_lib/useModalDialog";
import Link from "next/link";
import { useEffect, useId, useState } from "react";
import { ApiError, similarMoments, type Moment, type SimilarMoment } from "@/app/_lib/api";
import { formatConfidence } from "@/app/_lib/confidence";
import { formatSpanLength, formatTime } from "@/app/_lib/format";
import { momentHref } from "@/app/_lib/moments";
import { CloseIcon } from "./icons";
import { MomentBar } from "./MomentBar";
import { PosterImage } from "./PosterImage";
import { SpriteTile } from "./SpriteTile";

/** How many similar moments are asked for. */
const SIMILAR_LIMIT = 12;

type State = { kind: "loading" } | { kind: "done"; moments: SimilarMoment[] } | { kind: "error"; message: string };

interface SimilarMomentsProps {
  /** the moment to find others like; null: closed */
  moment: Moment | null;
  onClose: () => void;
}

/**
 * "More like this": a modal <dialog> listing the moments nearest to one result by clip
 * embeddings (GET /api/moments/similar), each linking to its moment on its video page.
 * showModal() traps focus and makes the page inert; Escape or the close button close it,
 * and the caller puts focus back on the button that opened it.
 */
export function SimilarMoments({ moment, onClose }: SimilarMomentsProps) {
  const titleId = useId();
  const open = moment !== null;
  const ref = useModalDialog(open);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      data-testid="similar-dialog"
      onCancel={(e) => {
        e.preventDefault(); // Escape: the parent closes it (and restores focus)
        onClose();
      }}
      onClose={() => {
        // closed by the browser itself (e.g. a second Escape): the state follows
        if (open) onClose();
      }}
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose(); // backdrop click
      }}
      className="m-auto max-h-[min(44rem,calc(100dvh-2rem))] w-[min(40rem,calc(100vw-2rem))] rounded-xl border border-zinc-700 bg-zinc-900 p-0 text-zinc-100 shadow-2xl backdrop:bg-black/70 backdrop:backdrop-blur-sm"
    >
      {moment && (
        <div className="flex max-h-[inherit] flex-col">
          <div className="flex items-start justify-between gap-3 border-b border-zinc-800 px-5 py-4">
            <div className="min-w-0">
              <h2 id={titleId} className="text-lg font-semibold">
                More like this
              </h2>
              <p className="mt-0.5 truncate text-sm text-zinc-400">
                Moments that look like {formatTime(moment.start)}–{formatTime(moment.end)} of{" "}
                <span className="text-zinc-200">{moment.video.name}</span>
              </p>
            </div>
            <button
              type="button"
              onClick={onClose}
              aria-label="Close"
              data-testid="similar-close"
              className="-mr-2 inline-flex size-11 shrink-0 items-center justify-center rounded-lg text-zinc-300 hover:bg-zinc-800 hover:text-white focus-visible:outline-2 focus-visible:outline-indigo-400 sm:size-9"
            >
              <CloseIcon className="size-5" />
            </button>
          </div>
          {/* keyed: another moment starts from its loading state */}
          <SimilarList key={`${moment.videoId}:${moment.start}:${moment.end}`} moment={moment} />
        </div>
      )}
    </dialog>
  );
}

function SimilarList({ moment }: { moment: Moment }) {
  const [state, setState] = useState<State>({ kind: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    similarMoments(
      { video: moment.videoId, start: moment.start, end: moment.end, limit: SIMILAR_LIMIT },
      ctrl.signal,
    ).then(
      (moments) => setState({ kind: "done", moments }),
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        const message =
          err instanceof ApiError && err.status === 404 && err.code !== "not_found"
            ? "Finding similar moments is not available on this server yet."
            : err instanceof ApiError
              ? err.message
              : "The similar moments could not be loaded.";
        setState({ kind: "error", message });
      },
    );
    return () => ctrl.abort();
  }, [moment.videoId, moment.start, moment.end, attempt]);

  return (
    <div className="min-h-0 overflow-y-auto px-5 py-4" aria-busy={state.kind === "loading" || undefined}>
      <p role="status" className="sr-only">
        {state.kind === "done" ? `${state.moments.length} similar moment${state.moments.length === 1 ? "" : "s"}` : ""}
      </p>
      {state.kind === "loading" ? (
        <ul className="space-y-3" aria-label="Loading similar moments" data-testid="similar-loading">
          {Array.from({ length: 3 }, (_, i) => (
            <li key={i} className="flex gap-3">
              <div className="aspect-video w-28 shrink-0 animate-pulse rounded-md bg-zinc-800" />
              <div className="flex-1 space-y-2 py-1">
                <div className="h-3.5 w-2/3 animate-pulse rounded bg-zinc-800" />
                <div className="h-3 w-1/3 animate-pulse rounded bg-zinc-800" />
              </div>
            </li>
          ))}
        </ul>
      ) : state.kind === "error" ? (
        <div role="alert" className="space-y-2 text-sm" data-testid="similar-error">
          <p className="text-rose-300">{state.message}</p>
          <button
            type="button"
            onClick={() => {
              setState({ kind: "loading" });
              setAttempt((a) => a + 1);
            }}
            className="inline-flex min-h-11 items-center font-medium text-indigo-300 underline underline-offset-2 hover:text-indigo-200 sm:min-h-0"
          >
            Retry
          </button>
        </div>
      ) : state.moments.length === 0 ? (
        <p className="text-sm text-zinc-400" data-testid="similar-empty">
          No other moment in the library looks like this one.
        </p>
      ) : (
        <ol className="space-y-2" aria-label="Similar moments">
          {state.moments.map((m) => (
            <li key={`${m.videoId}:${m.start}:${m.end}`}>
              <SimilarRow moment={m} />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function SimilarRow({ moment: m }: { moment: SimilarMoment }) {
  const { video } = m;
  return (
    <Link
      href={momentHref(m.videoId, m.start, m.end)}
      data-testid="similar-moment"
      data-video-id={m.videoId}
      data-start={m.start}
      data-end={m.end}
      className="group flex gap-3 rounded-lg p-2 ring-1 ring-transparent hover:bg-zinc-800/60 hover:ring-zinc-700 focus-visible:outline-2 focus-visible:outline-indigo-400"
    >
      <div className="relative aspect-video w-28 shrink-0 overflow-hidden rounded-md bg-zinc-800">
        {video.sprite && video.urls.sprite ? (
          <SpriteTile sprite={video.sprite} url={video.urls.sprite} time={m.start} width="fill" pick="nearest" />
        ) : (
          <PosterImage url={video.urls.poster} sizes="7rem" />
        )}
      </div>
      <div className="min-w-0 flex-1 space-y-1.5">
        <div className="flex items-baseline justify-between gap-3">
          <span className="truncate text-sm font-medium text-zinc-100 group-hover:text-white" title={video.name}>
            {video.name}
          </span>
          <span className="shrink-0 text-xs tabular-nums text-zinc-300" data-testid="similar-similarity">
            {formatConfidence(m.similarity)}
            <span className="text-zinc-400"> alike</span>
          </span>
        </div>
        <p className="text-xs tabular-nums text-zinc-300">
          {formatTime(m.start)}–{formatTime(m.end)}
          <span className="text-zinc-400"> · {formatSpanLength(m.end - m.start)}</span>
        </p>
        <MomentBar duration={video.duration} span={m} />
      </div>
    </Link>
  );
}
