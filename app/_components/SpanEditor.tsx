"use client";

import { useRef, useState, type PointerEvent } from "react";
import type { SpriteInfo } from "@/app/_lib/api";
import { formatTime } from "@/app/_lib/format";
import { SpriteTile } from "./SpriteTile";

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
}

const THUMB_WIDTH = 160;

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

/**
 * The whole video as a wide track for editing one span: drag either edge with the
 * pointer, click elsewhere to seek; the alternatives are faint numbered marks and the
 * sprite thumbnail follows the pointer. Keys are the review page's own (ReviewQueue).
 */
export function SpanEditor({ duration, currentTime, span, alternatives, selectedEdge, sprite, spriteUrl, onSeek, onChange, onSelectEdge }: SpanEditorProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<Edge | "seek" | null>(null);
  const [hover, setHover] = useState<{ x: number; width: number; time: number } | null>(null);
  const d = duration > 0 ? duration : Math.max(span.end, 1);
  const pct = (t: number) => `${Math.max(0, Math.min(100, (t / d) * 100))}%`;
  const box = (s: Span) => ({ left: pct(s.start), width: `max(calc(${pct(s.end)} - ${pct(s.start)}), 3px)` });

  const locate = (e: PointerEvent<HTMLElement>) => {
    const rect = ref.current!.getBoundingClientRect();
    const x = Math.max(0, Math.min(rect.width, e.clientX - rect.left));
    return { x, width: rect.width, time: rect.width ? (x / rect.width) * d : 0 };
  };

  const startDrag = (edge: Edge) => (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.stopPropagation();
    ref.current?.setPointerCapture(e.pointerId);
    setDrag(edge);
    onSelectEdge(edge);
  };

  const thumbHalf = (sprite && spriteUrl ? THUMB_WIDTH : 56) / 2 + 4;

  return (
    <div className="space-y-1">
      <div
        ref={ref}
        data-testid="span-editor"
        data-start={span.start}
        data-end={span.end}
        data-selected-edge={selectedEdge}
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
        {alternatives.slice(0, 5).map((a, i) => (
          <div
            key={i}
            data-testid="review-alternative"
            data-start={a.start}
            data-end={a.end}
            aria-hidden="true"
            className="pointer-events-none absolute inset-y-2 rounded-sm bg-indigo-300/15 ring-1 ring-indigo-300/30"
            style={box(a)}
          >
            <span className="absolute top-0.5 left-1 text-[10px] font-semibold text-indigo-200/70">{i + 1}</span>
          </div>
        ))}
        <div
          data-testid="review-span"
          aria-hidden="true"
          className="pointer-events-none absolute inset-y-1 rounded-sm bg-amber-400/25 ring-1 ring-amber-300/80"
          style={box(span)}
        />
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
            onPointerDown={startDrag(edge)}
            className={`absolute inset-y-0 z-10 flex w-4 -translate-x-1/2 cursor-ew-resize justify-center`}
            style={{ left: pct(span[edge]) }}
          >
            <div className={`h-full w-1.5 rounded-full ${selectedEdge === edge ? "bg-amber-200 ring-2 ring-amber-400" : "bg-amber-400/90"}`} />
          </div>
        ))}
        <div
          data-testid="review-playhead"
          aria-hidden="true"
          className="pointer-events-none absolute -inset-y-1 z-20 w-0.5 -translate-x-1/2 bg-white shadow"
          style={{ left: pct(currentTime) }}
        />
        {hover && (
          <div
            aria-hidden="true"
            className="pointer-events-none absolute bottom-full z-30 mb-2 flex -translate-x-1/2 flex-col items-center gap-1"
            style={{ left: Math.max(thumbHalf, Math.min(hover.width - thumbHalf, hover.x)) }}
          >
            {sprite && spriteUrl && (
              <SpriteTile sprite={sprite} url={spriteUrl} time={hover.time} width={THUMB_WIDTH} testId="review-thumb" className="rounded-md shadow-lg ring-1 ring-white/30" />
            )}
            <span className="rounded bg-black/85 px-1.5 py-0.5 text-xs font-medium tabular-nums text-white">{formatPrecise(hover.time)}</span>
          </div>
        )}
      </div>
      <div className="flex justify-between text-xs tabular-nums text-zinc-500" aria-hidden="true">
        <span>0:00</span>
        <span>{formatTime(d)}</span>
      </div>
    </div>
  );
}
