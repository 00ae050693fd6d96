"use client";

import { useRef, useState, type PointerEvent } from "react";
import type { SpriteInfo } from "@/app/_lib/api";
import { formatTime } from "@/app/_lib/format";
import { ZoomInIcon, ZoomOutIcon } from "./icons";
import { SeekPreview } from "./SpriteTile";

export type Edge = "start" | "end";

/** A time span in seconds. */
export interface Span {
  start: number;
  end: number;
}

/** The shortest span an edit may leave, seconds. */
export const MIN_SPAN = 0.1;

interface SpanEditorProps {
  duration: number;
  currentTime: number;
  span: Span;
  /** the model's other candidates, drawn faint and numbered (keys 1–5) */
  alternatives: Span[];
  selectedEdge: Edge;
  sprite: SpriteInfo | null;
  spriteUrl: string | null;
  onSeek: (t: number) => void;
  onChange: (span: Span) => void;
  onSelectEdge: (edge: Edge) => void;
  /** 0: the whole video; each level halves the window shown (see windowLength) */
  zoom?: number;
  onZoom?: (zoom: number) => void;
}

/** "m:ss.s": span edges need tenths. */
export function formatPrecise(t: number): string {
  const total = Math.round((Number.isFinite(t) ? Math.max(0, t) : 0) * 10);
  return `${formatTime(Math.floor(total / 10))}.${total % 10}`;
}

/** Moves one edge to `t`, keeping at least MIN_SPAN between the edges and both inside the video. */
export function moveEdge(span: Span, edge: Edge, t: number, duration: number): Span {
  const d = duration > 0 ? duration : Math.max(span.end, t);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  if (edge === "start") return { start: r(Math.max(0, Math.min(t, span.end - MIN_SPAN))), end: span.end };
  return { start: span.start, end: r(Math.min(d, Math.max(t, span.start + MIN_SPAN))) };
}

/** The narrowest window zooming goes down to, seconds: 0.1 s is then well over a pixel. */
export const MIN_WINDOW = 2;

/** The deepest zoom level for a video of `d` seconds (0: the whole video is all there is). */
export function maxZoom(d: number): number {
  return d > MIN_WINDOW ? Math.ceil(Math.log2(d / MIN_WINDOW)) : 0;
}

/** Seconds shown at zoom level `zoom`: the whole video halved `zoom` times, at least MIN_WINDOW. */
export function windowLength(d: number, zoom: number): number {
  return Math.min(d, Math.max(MIN_WINDOW, d / 2 ** Math.max(0, zoom)));
}

/** The window of `len` seconds centred on `center`, moved inside the video. */
export function viewAround(center: number, len: number, d: number): Span {
  const start = Math.max(0, Math.min(d - len, center - len / 2));
  return { start, end: start + len };
}

/** Where a zoomed window centres: on the span while it fits with room to spare, else on the selected edge. */
export function focusOf(span: Span, edge: Edge, len: number): number {
  return span.end - span.start <= len * 0.8 ? (span.start + span.end) / 2 : span[edge];
}

/**
 * The video as a wide track for editing one span: drag either edge with the pointer,
 * click elsewhere to seek; the alternatives are faint numbered marks and the sprite
 * thumbnail follows the pointer. Zoomed in, the track shows a window around the span
 * (following the selected edge when it leaves the window), with the whole video as a
 * thin overview underneath. Keys are the review page's own (ReviewWorkspace).
 */
export function SpanEditor({
  duration,
  currentTime,
  span,
  alternatives,
  selectedEdge,
  sprite,
  spriteUrl,
  onSeek,
  onChange,
  onSelectEdge,
  zoom = 0,
  onZoom,
}: SpanEditorProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<Edge | "seek" | null>(null);
  const [hover, setHover] = useState<{ x: number; width: number; time: number } | null>(null);
  const d = duration > 0 ? duration : Math.max(span.end, 1);
  const deepest = maxZoom(d);
  const level = Math.min(Math.max(0, zoom), deepest);
  const len = windowLength(d, level);

  // the window's centre: set on zooming, and moved when the selected edge moves out of the
  // window or another edge is selected out of it (a nudge, I/O, an alternative, Tab); never
  // while dragging, so the track holds still under the pointer, and not when the overview
  // moved the window away on purpose
  const [center, setCenter] = useState(() => focusOf(span, selectedEdge, len));
  const [seenLevel, setSeenLevel] = useState(level);
  const focus = `${selectedEdge}:${span[selectedEdge]}`;
  const [seenFocus, setSeenFocus] = useState(focus);
  let view = viewAround(center, len, d);
  if (seenLevel !== level) {
    setSeenLevel(level);
    setSeenFocus(focus);
    const c = focusOf(span, selectedEdge, len);
    setCenter(c);
    view = viewAround(c, len, d);
  } else if (seenFocus !== focus) {
    setSeenFocus(focus);
    if (!drag && level > 0 && (span[selectedEdge] < view.start || span[selectedEdge] > view.end)) {
      const c = focusOf(span, selectedEdge, len);
      setCenter(c);
      view = viewAround(c, len, d);
    }
  }

  const inView = (t: number) => t >= view.start - 1e-9 && t <= view.end + 1e-9;
  const pct = (t: number) => `${Math.max(0, Math.min(100, ((t - view.start) / len) * 100))}%`;
  const box = (s: Span) => ({ left: pct(s.start), width: `max(calc(${pct(s.end)} - ${pct(s.start)}), 3px)` });
  const visible = (s: Span) => s.end >= view.start && s.start <= view.end;

  const locate = (e: PointerEvent<HTMLElement>) => {
    const rect = ref.current!.getBoundingClientRect();
    const x = Math.max(0, Math.min(rect.width, e.clientX - rect.left));
    return { x, width: rect.width, time: view.start + (rect.width ? (x / rect.width) * len : 0) };
  };

  const startDrag = (edge: Edge) => (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.stopPropagation();
    ref.current?.setPointerCapture(e.pointerId);
    setDrag(edge);
    onSelectEdge(edge);
  };

  const zoomed = level > 0;
  const label = (t: number) => (zoomed ? formatPrecise(t) : formatTime(t));

  return (
    <div className="space-y-1">
      <div
        ref={ref}
        data-testid="span-editor"
        data-start={span.start}
        data-end={span.end}
        data-selected-edge={selectedEdge}
        data-zoom={level}
        data-view-start={Math.round(view.start * 1000) / 1000}
        data-view-end={Math.round(view.end * 1000) / 1000}
        className="relative h-14 cursor-pointer touch-none rounded-lg bg-zinc-800/80 ring-1 ring-zinc-700 select-none"
        onPointerDown={(e) => {
          if (e.button !== 0) return;
          e.currentTarget.setPointerCapture(e.pointerId);
          setDrag("seek");
          onSeek(locate(e).time);
        }}
        onPointerMove={(e) => {
          const at = locate(e);
          setHover(at);
          if (drag === "seek") onSeek(at.time);
          else if (drag) onChange(moveEdge(span, drag, at.time, d));
        }}
        onPointerUp={() => setDrag(null)}
        onPointerCancel={() => {
          setDrag(null);
          setHover(null);
        }}
        onPointerLeave={() => {
          if (!drag) setHover(null);
        }}
      >
        {/* marks clipped to the window; the edges, playhead and preview sit outside the clip */}
        <div className="pointer-events-none absolute inset-0 overflow-hidden rounded-lg" aria-hidden="true">
          {alternatives.slice(0, 5).map((a, i) => (
            <div
              key={i}
              data-testid="review-alternative"
              data-start={a.start}
              data-end={a.end}
              className={`absolute inset-y-2 rounded-sm bg-indigo-300/15 ring-1 ring-indigo-300/30 ${visible(a) ? "" : "hidden"}`}
              style={box(a)}
            >
              <span className="absolute top-0.5 left-1 text-[10px] font-semibold text-indigo-200/70">{i + 1}</span>
            </div>
          ))}
          <div
            data-testid="review-span"
            className={`absolute inset-y-1 rounded-sm bg-amber-400/25 ring-1 ring-amber-300/80 ${visible(span) ? "" : "hidden"}`}
            style={box(span)}
          />
        </div>
        {(["start", "end"] as const).map((edge) => (
          <div
            key={edge}
            role="slider"
            aria-label={edge === "start" ? "In point" : "Out point"}
            aria-valuemin={0}
            aria-valuemax={Math.round(d * 10) / 10}
            aria-valuenow={span[edge]}
            aria-valuetext={formatPrecise(span[edge])}
            data-testid={`edge-${edge}`}
            data-selected={selectedEdge === edge || undefined}
            data-in-view={inView(span[edge])}
            onPointerDown={startDrag(edge)}
            className={`absolute inset-y-0 z-10 flex w-4 -translate-x-1/2 cursor-ew-resize justify-center ${inView(span[edge]) ? "" : "invisible"}`}
            style={{ left: pct(span[edge]) }}
          >
            <div
              className={`h-full w-1.5 rounded-full ${selectedEdge === edge ? "bg-amber-200 ring-2 ring-amber-400" : "bg-amber-400/90"}`}
            />
          </div>
        ))}
        <div
          data-testid="review-playhead"
          aria-hidden="true"
          className={`pointer-events-none absolute -inset-y-1 z-20 w-0.5 -translate-x-1/2 bg-white shadow ${inView(currentTime) ? "" : "invisible"}`}
          style={{ left: pct(currentTime) }}
        />
        {hover && (
          <SeekPreview
            hover={hover}
            sprite={sprite}
            spriteUrl={spriteUrl}
            label={formatPrecise(hover.time)}
            className="mb-2"
            thumbTestId="review-thumb"
          />
        )}
      </div>
      <div className="flex justify-between text-xs tabular-nums text-zinc-400" aria-hidden="true">
        <span data-testid="span-editor-view-start">{label(view.start)}</span>
        <span data-testid="span-editor-view-end">{label(view.end)}</span>
      </div>
      {zoomed && (
        <div
          data-testid="span-editor-overview"
          aria-hidden="true"
          title="The whole video: click to move the zoomed window there"
          className="relative h-2 cursor-pointer touch-none rounded-full bg-zinc-800 ring-1 ring-zinc-700"
          onPointerDown={(e) => {
            if (e.button !== 0) return;
            const rect = e.currentTarget.getBoundingClientRect();
            const x = Math.max(0, Math.min(rect.width, e.clientX - rect.left));
            setCenter(rect.width ? (x / rect.width) * d : 0);
          }}
        >
          <div
            className="absolute inset-y-0 rounded-full bg-amber-400"
            style={{ left: `${(span.start / d) * 100}%`, width: `max(${((span.end - span.start) / d) * 100}%, 2px)` }}
          />
          <div
            className="absolute -inset-y-0.5 rounded-sm ring-2 ring-indigo-300"
            style={{ left: `${(view.start / d) * 100}%`, width: `max(${(len / d) * 100}%, 4px)` }}
          />
        </div>
      )}
      {onZoom && (
        <div className="flex flex-wrap items-center gap-2 pt-1">
          <button
            type="button"
            onClick={() => onZoom(level - 1)}
            disabled={level === 0}
            aria-keyshortcuts="-"
            data-testid="zoom-out"
            className="inline-flex items-center gap-1.5 rounded-md px-2 py-1 text-xs font-medium text-zinc-200 ring-1 ring-zinc-700 hover:bg-zinc-800 disabled:cursor-not-allowed disabled:opacity-50"
          >
            <ZoomOutIcon className="size-4" />
            Zoom out
          </button>
          <button
            type="button"
            onClick={() => onZoom(level + 1)}
            disabled={level >= deepest}
            aria-keyshortcuts="+"
            data-testid="zoom-in"
            className="inline-flex items-center gap-1.5 rounded-md px-2 py-1 text-xs font-medium text-zinc-200 ring-1 ring-zinc-700 hover:bg-zinc-800 disabled:cursor-not-allowed disabled:opacity-50"
          >
            <ZoomInIcon className="size-4" />
            Zoom in
          </button>
          {zoomed && (
            <button
              type="button"
              onClick={() => onZoom(0)}
              aria-keyshortcuts="0"
              data-testid="zoom-reset"
              className="rounded-md px-2 py-1 text-xs font-medium text-indigo-300 hover:bg-zinc-800 hover:text-indigo-200"
            >
              Whole video
            </button>
          )}
          <span className="ml-auto text-xs tabular-nums text-zinc-400" role="status" data-testid="span-editor-range">
            {zoomed ? (
              <>
                Showing {formatPrecise(view.start)}–{formatPrecise(view.end)} of {formatTime(d)} (×
                {Math.round((d / len) * 10) / 10})
              </>
            ) : (
              <>Showing the whole video</>
            )}
          </span>
        </div>
      )}
    </div>
  );
}
