"use client";

import Link from "next/link";
import { modelLabel } from "@/lib/model-names";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { DecisionBody, ReviewItemDto, VideoDto } from "@/app/_lib/api";
import { formatSpanLength } from "@/app/_lib/format";
import { ownsKeys } from "@/app/_lib/keys";
import { sourceLabel } from "@/app/_lib/review";
import { useMediaState } from "@/app/_lib/useMediaState";
import { useVideo } from "@/app/_lib/useVideo";
import { Alert } from "./Alert";
import { DANGER_BUTTON, INPUT, PRIMARY_BUTTON, SECONDARY_BUTTON } from "./forms";
import { MuteIcon, PauseIcon, PlayIcon, VolumeIcon } from "./icons";
import { ReviewHelp } from "./ReviewHelp";
import { formatPrecise, maxZoom, MIN_SPAN, moveEdge, SpanEditor, type Edge, type Span } from "./SpanEditor";
import { playOrMute } from "@/app/_lib/playback";

/** Where editing an item starts: its span and sentence. */
export interface Draft {
  span: Span;
  sentence: string;
}

interface WorkspaceProps {
  item: ReviewItemDto;
  /** e.g. an undone correction: start from what was sent */
  initial: Draft | null;
  busy: boolean;
  onDecide: (body: DecisionBody) => void;
  onUndo: () => void;
  onSkip: () => void;
}

/** Seconds of video shown (and looped) on each side of the span. */
const CONTEXT = 2;

const draftKey = (id: string) => `moments:review-draft:${id}`;

/** A decided item's unsent edit is of no more use. */
export function forgetDraft(id: string): void {
  try {
    window.localStorage.removeItem(draftKey(id));
  } catch {
    /* no storage */
  }
}

/** An unsent edit survives a reload (the server only stores decisions). */
function storedDraft(id: string): Draft | null {
  try {
    const raw = window.localStorage.getItem(draftKey(id));
    if (!raw) return null;
    const d = JSON.parse(raw) as Draft;
    if (typeof d.sentence === "string" && Number.isFinite(d.span?.start) && Number.isFinite(d.span?.end)) return d;
  } catch {
    /* no storage, or garbage: start from the prediction */
  }
  return null;
}

const ZOOM_KEY = "moments:review-zoom";

/** The zoom the annotator last chose in this tab: a long video stays zoomed from item to item. */
function storedZoom(): number {
  try {
    const z = Number(window.sessionStorage.getItem(ZOOM_KEY));
    return Number.isInteger(z) && z > 0 ? z : 0;
  } catch {
    return 0;
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** In at `t`: past the out point, the out point moves along, keeping the span's length. */
export function setIn(span: Span, t: number, d: number): Span {
  const at = Math.max(0, Math.min(d, t));
  if (at <= span.end - MIN_SPAN) return { start: round(at), end: span.end };
  const end = Math.min(d, at + (span.end - span.start));
  return { start: round(Math.min(at, end - MIN_SPAN)), end: round(end) };
}

/** Out at `t`: before the in point, the in point moves along. */
export function setOut(span: Span, t: number, d: number): Span {
  const at = Math.max(0, Math.min(d, t));
  if (at >= span.start + MIN_SPAN) return { start: span.start, end: round(at) };
  const start = Math.max(0, at - (span.end - span.start));
  return { start: round(start), end: round(Math.max(at, start + MIN_SPAN)) };
}

function sameSpan(a: Span, b: Span): boolean {
  return Math.abs(a.start - b.start) < 1e-6 && Math.abs(a.end - b.end) < 1e-6;
}

/** The item's video, then the editor. */
export function ReviewWorkspace(props: WorkspaceProps) {
  const { video, loading, notFound, error } = useVideo(props.item.videoId);
  if (loading)
    return (
      <div
        className="aspect-video w-full animate-pulse rounded-xl bg-zinc-900"
        role="status"
        aria-busy="true"
        aria-label="Loading the video"
      />
    );
  if (!video) {
    return (
      <div className="space-y-4">
        <p className="text-2xl font-semibold">{props.item.sentence}</p>
        <Alert tone="error" title={notFound ? "The video of this item is gone" : "The video could not be loaded"}>
          {notFound ? "It may have been deleted. Reject the item to move on." : error}
        </Alert>
        <button
          type="button"
          className={DANGER_BUTTON}
          disabled={props.busy}
          onClick={() => props.onDecide({ decision: "reject", notInVideo: true })}
        >
          Reject
        </button>
      </div>
    );
  }
  return <ReviewEditor {...props} video={video} />;
}

function ReviewEditor({ item, initial, busy, onDecide, onUndo, onSkip, video }: WorkspaceProps & { video: VideoDto }) {
  const [draft] = useState<Draft>(
    () => initial ?? storedDraft(item.id) ?? { span: item.prediction, sentence: item.sentence },
  );
  const [span, setSpan] = useState<Span>(draft.span);
  const [sentence, setSentence] = useState(draft.sentence);
  const [edge, setEdge] = useState<Edge>("start");
  const [notInVideo, setNotInVideo] = useState(false);
  const [help, setHelp] = useState(false);
  // the timeline's zoom level (0: the whole video), kept for the next item
  const [zoom, setZoom] = useState(storedZoom);
  const videoRef = useRef<HTMLVideoElement>(null);
  const [media, controls] = useMediaState(videoRef, video.duration ?? 0);
  const d = media.duration || video.duration || Math.max(span.end, 1);
  const ctx = { start: Math.max(0, span.start - CONTEXT), end: Math.min(d, span.end + CONTEXT) };
  const changed = !sameSpan(span, item.prediction);
  const sentenceChanged = sentence.trim() !== "" && sentence.trim() !== item.sentence;
  const { seek } = controls;
  // a zoom kept from a longer video goes no deeper than this one allows
  const zoomLevel = Math.min(zoom, maxZoom(d));
  const zoomTo = (z: number) => {
    const next = Math.max(0, Math.min(maxZoom(d), z));
    setZoom(next);
    try {
      window.sessionStorage.setItem(ZOOM_KEY, String(next));
    } catch {
      /* no storage: the zoom lasts for this item */
    }
  };

  // keep unsent edits across a reload
  useEffect(() => {
    try {
      if (sameSpan(span, item.prediction) && sentence === item.sentence)
        window.localStorage.removeItem(draftKey(item.id));
      else window.localStorage.setItem(draftKey(item.id), JSON.stringify({ span, sentence }));
    } catch {
      /* storage full or refused: edits live in the page only */
    }
  }, [span, sentence, item]);

  /** Seek and play; muted if the browser refuses sound without a gesture. */
  const playFrom = useCallback(
    (t: number) => {
      const v = videoRef.current;
      if (!v) return;
      seek(t);
      playOrMute(v);
    },
    [seek],
  );

  // start looping the span with its context once the metadata is in
  const startAt = useRef(ctx.start);
  useEffect(() => {
    const v = videoRef.current;
    if (!v) return;
    const go = () => playFrom(startAt.current);
    if (v.readyState >= HTMLMediaElement.HAVE_METADATA) {
      go();
      return;
    }
    v.addEventListener("loadedmetadata", go, { once: true });
    return () => v.removeEventListener("loadedmetadata", go);
  }, [playFrom]);

  // loop: playback that runs out of the context window goes back to its start (a seek past it does not)
  const lastTime = useRef(media.currentTime);
  useEffect(() => {
    const prev = lastTime.current;
    const now = media.currentTime;
    lastTime.current = now;
    const ended = !!videoRef.current?.ended;
    const fromInside = prev >= ctx.start - 0.25 && prev < ctx.end;
    const crossed = !media.paused && fromInside && now >= ctx.end - 0.02 && now - prev < 1.5;
    const endedInside = ended && fromInside && now >= ctx.end - 0.25;
    if (crossed || endedInside) playFrom(ctx.start);
  }, [media.currentTime, media.paused, ctx.start, ctx.end, playFrom]);

  const playhead = () => videoRef.current?.currentTime ?? media.currentTime;

  const takeSpan = (next: Span) => {
    setSpan(next);
    const v = videoRef.current;
    const from = Math.max(0, next.start - CONTEXT);
    if (v && !v.paused) playFrom(from);
    else seek(from);
  };

  const accept = () => {
    if (busy) return;
    const body: DecisionBody = changed
      ? { decision: "correct", start: span.start, end: span.end }
      : { decision: "accept" };
    if (sentenceChanged) body.sentence = sentence.trim();
    onDecide(body);
  };
  const reject = () => {
    if (busy) return;
    onDecide({ decision: "reject", notInVideo, ...(sentenceChanged ? { sentence: sentence.trim() } : {}) });
  };

  // the page's keys; the latest closure, subscribed once
  const onKey = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.altKey) return;
    if (help) {
      if (e.key === "Escape" || e.key === "?") {
        e.preventDefault();
        setHelp(false);
      }
      return;
    }
    if (ownsKeys(e.target)) return;
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (mod) {
      if (key === "z" && !e.shiftKey) {
        e.preventDefault();
        onUndo();
      }
      return;
    }
    switch (key) {
      case "?":
        setHelp(true);
        break;
      case " ":
        controls.toggle();
        break;
      case "k":
        controls.pause();
        break;
      case "j":
        seek(playhead() - 5);
        break;
      case "l":
        seek(playhead() + 5);
        break;
      case "i":
        {
          const t = playhead();
          setSpan((s) => setIn(s, t, d));
        }
        setEdge("start");
        break;
      case "o":
        {
          const t = playhead();
          setSpan((s) => setOut(s, t, d));
        }
        setEdge("end");
        break;
      case "ArrowLeft":
      case "ArrowRight": {
        const step = (e.shiftKey ? 1 : 0.1) * (key === "ArrowLeft" ? -1 : 1);
        setSpan((s) => moveEdge(s, edge, s[edge] + step, d));
        break;
      }
      case "Tab":
        // only while no control has focus: Tab still moves between the page's controls
        if (
          e.target instanceof HTMLElement &&
          e.target !== document.body &&
          e.target.closest('a, button, input, select, textarea, [tabindex]:not([tabindex="-1"])')
        )
          return;
        setEdge((x) => (x === "start" ? "end" : "start"));
        break;
      case "1":
      case "2":
      case "3":
      case "4":
      case "5": {
        const alt = item.alternatives[Number(key) - 1];
        if (!alt) return;
        takeSpan(alt);
        break;
      }
      case "Enter":
        accept();
        break;
      case "Backspace":
        reject();
        break;
      case "s":
        onSkip();
        break;
      case "+":
      case "=":
        zoomTo(zoomLevel + 1);
        break;
      case "-":
      case "_":
        zoomTo(zoomLevel - 1);
        break;
      case "0":
        zoomTo(0);
        break;
      case "Escape":
        if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
        break;
      default:
        return;
    }
    e.preventDefault();
  };
  const onKeyRef = useRef(onKey);
  useLayoutEffect(() => {
    onKeyRef.current = onKey;
  });
  const rootRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKeyRef.current(e);
    document.addEventListener("keydown", listener);
    // tests (and curious users) can tell when the keys work
    const root = rootRef.current;
    if (root) root.dataset.keys = "on";
    return () => {
      document.removeEventListener("keydown", listener);
      if (root) delete root.dataset.keys;
    };
  }, []);

  return (
    <div ref={rootRef} className="space-y-5" data-testid="review-item" data-item-id={item.id}>
      <div className="space-y-2">
        <label htmlFor="review-sentence" className="block text-xs font-medium tracking-wide text-zinc-400 uppercase">
          Sentence{" "}
          <span className="normal-case">
            (edit it if it does not say what happens; Enter or Esc returns to the keys)
          </span>
        </label>
        <input
          id="review-sentence"
          data-testid="review-sentence"
          value={sentence}
          maxLength={500}
          onChange={(e) => setSentence(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" || e.key === "Escape") {
              e.preventDefault();
              e.currentTarget.blur();
            }
          }}
          className={`${INPUT} h-auto py-2 text-2xl font-semibold sm:text-3xl`}
        />
        <p className="text-xs text-zinc-400">
          <Link
            href={`/videos/${encodeURIComponent(video.id)}`}
            className="text-zinc-200 underline decoration-zinc-500 underline-offset-2 hover:text-white"
          >
            {video.name}
          </Link>{" "}
          · {sourceLabel(item.source).toLowerCase()} · model{" "}
          <span title={item.modelVersion} data-model-version={item.modelVersion}>
            {modelLabel(item.modelVersion)}
          </span>
        </p>
      </div>

      <div className="grid grid-cols-[minmax(0,1fr)] gap-5 lg:grid-cols-[minmax(0,1fr)_17rem]">
        <div className="space-y-3">
          <div className="overflow-hidden rounded-xl bg-black ring-1 ring-zinc-800">
            <video
              ref={videoRef}
              data-testid="review-player"
              data-paused={media.paused}
              src={video.urls.file}
              poster={video.urls.poster ?? undefined}
              preload="auto"
              playsInline
              tabIndex={-1}
              aria-label={`Video: ${video.name}`}
              onClick={controls.toggle}
              className="aspect-video max-h-[45vh] w-full bg-black object-contain"
            />
            <div className="flex items-center gap-2 px-3 py-2">
              <button
                type="button"
                onClick={controls.toggle}
                aria-label={media.paused ? "Play" : "Pause"}
                className="rounded-md p-1.5 text-zinc-200 hover:bg-white/10"
              >
                {media.paused ? <PlayIcon /> : <PauseIcon />}
              </button>
              <span className="text-xs tabular-nums text-zinc-300" data-testid="review-time">
                {formatPrecise(media.currentTime)} <span className="text-zinc-400">/ {formatPrecise(d)}</span>
              </span>
              <span className="ml-auto text-xs text-zinc-400">
                looping {formatPrecise(ctx.start)}–{formatPrecise(ctx.end)} (±{CONTEXT} s)
              </span>
              <button
                type="button"
                onClick={controls.toggleMute}
                aria-label={media.muted ? "Unmute" : "Mute"}
                aria-pressed={media.muted}
                className="rounded-md p-1.5 text-zinc-200 hover:bg-white/10"
              >
                {media.muted ? <MuteIcon /> : <VolumeIcon />}
              </button>
            </div>
          </div>
          <SpanEditor
            duration={d}
            currentTime={media.currentTime}
            span={span}
            alternatives={item.alternatives}
            selectedEdge={edge}
            sprite={video.sprite}
            spriteUrl={video.urls.sprite}
            onSeek={seek}
            onChange={setSpan}
            onSelectEdge={setEdge}
            zoom={zoomLevel}
            onZoom={zoomTo}
          />
        </div>

        <div className="space-y-4">
          <dl className="grid grid-cols-3 gap-2 rounded-xl border border-zinc-800 bg-zinc-900/60 p-3 text-center">
            {(
              [
                ["In", formatPrecise(span.start), "review-in", edge === "start"],
                ["Out", formatPrecise(span.end), "review-out", edge === "end"],
                ["Length", formatSpanLength(span.end - span.start), "review-length", false],
              ] as const
            ).map(([label, value, testId, selected]) => (
              <div
                key={label}
                className={`rounded-md px-1 py-1.5 ${selected ? "bg-amber-400/10 ring-1 ring-amber-400/50" : ""}`}
              >
                <dt className="text-xs text-zinc-400">{label}</dt>
                <dd className="font-medium tabular-nums text-zinc-100" data-testid={testId}>
                  {value}
                </dd>
              </div>
            ))}
          </dl>
          <p className="text-xs text-zinc-400" data-testid="review-changed" data-changed={changed}>
            {changed ? (
              <>
                Changed from the model&rsquo;s {formatPrecise(item.prediction.start)}–
                {formatPrecise(item.prediction.end)}.{" "}
                <button
                  type="button"
                  className="text-indigo-300 hover:text-indigo-200"
                  onClick={() => takeSpan(item.prediction)}
                >
                  Back to the model&rsquo;s span
                </button>
              </>
            ) : (
              "The model's span, unchanged."
            )}
          </p>

          <div className="space-y-2">
            <button
              type="button"
              onClick={accept}
              disabled={busy}
              data-testid="review-accept"
              className={`${PRIMARY_BUTTON} w-full`}
            >
              {changed ? "Save the correction" : "Accept"} <kbd className="text-xs text-indigo-100">Enter</kbd>
            </button>
            <div className="flex items-center gap-2">
              <button
                type="button"
                onClick={reject}
                disabled={busy}
                data-testid="review-reject"
                className={`${DANGER_BUTTON} flex-1`}
              >
                Reject <kbd className="text-xs opacity-70">⌫</kbd>
              </button>
              <label className="flex items-center gap-1.5 text-xs text-zinc-400">
                <input
                  type="checkbox"
                  checked={notInVideo}
                  onChange={(e) => setNotInVideo(e.target.checked)}
                  className="accent-rose-400"
                />
                not in this video
              </label>
            </div>
            <div className="flex gap-2">
              <button type="button" onClick={onSkip} className={`${SECONDARY_BUTTON} flex-1`}>
                Skip <kbd className="text-xs opacity-70">S</kbd>
              </button>
              <button type="button" onClick={onUndo} disabled={busy} className={`${SECONDARY_BUTTON} flex-1`}>
                Undo <kbd className="text-xs opacity-70">Ctrl+Z</kbd>
              </button>
              <button
                type="button"
                onClick={() => setHelp(true)}
                aria-label="Keyboard shortcuts (?)"
                className={SECONDARY_BUTTON}
              >
                ?
              </button>
            </div>
          </div>

          {item.alternatives.length > 0 && (
            <div className="space-y-1.5">
              <h2 className="text-xs font-medium tracking-wide text-zinc-400 uppercase">
                The model&rsquo;s alternatives
              </h2>
              <ol className="space-y-1">
                {item.alternatives.slice(0, 5).map((a, i) => (
                  <li key={i}>
                    <button
                      type="button"
                      onClick={() => takeSpan(a)}
                      className={`flex w-full items-center gap-2 rounded-md px-2 py-1 text-left text-sm hover:bg-zinc-800 ${
                        sameSpan(a, span) ? "bg-zinc-800 text-zinc-100" : "text-zinc-300"
                      }`}
                    >
                      <kbd className="rounded bg-zinc-800 px-1.5 text-xs text-zinc-400 ring-1 ring-zinc-700">
                        {i + 1}
                      </kbd>
                      <span className="tabular-nums">
                        {formatPrecise(a.start)}–{formatPrecise(a.end)}
                      </span>
                    </button>
                  </li>
                ))}
              </ol>
            </div>
          )}
          <p className="text-xs text-zinc-400">
            Press <kbd className="rounded bg-zinc-800 px-1 text-zinc-300">?</kbd> for every key.
          </p>
        </div>
      </div>
      {help && <ReviewHelp onClose={() => setHelp(false)} />}
    </div>
  );
}
