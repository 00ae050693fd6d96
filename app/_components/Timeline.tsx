"use client";

import { useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import type { SpriteInfo } from "@/app/_lib/api";
import { formatTime, formatTimeLong } from "@/app/_lib/format";
import type { MomentSpan } from "@/app/_lib/moments";
import { SeekPreview } from "./SpriteTile";

interface TimelineProps {
  duration: number;
  currentTime: number;
  bufferedEnd: number;
  sprite: SpriteInfo | null;
  spriteUrl: string | null;
  onSeek: (t: number) => void;
  /** a moment to highlight (e.g. the search result being watched) */
  span?: MomentSpan | null;
  /** other spans, faint (e.g. each annotator's span of a review item) */
  marks?: MomentSpan[];
}

/**
 * The seek bar: click or drag to seek, arrow keys step 5 s, and hovering shows the
 * sprite thumbnail for the time under the pointer. A highlighted moment shows as a filled
 * amber band drawn over everything else on the track (the progress and the playhead too),
 * at least a few pixels wide, so a short moment of a long video stays visible on a phone.
 */
export function Timeline({
  duration,
  currentTime,
  bufferedEnd,
  sprite,
  spriteUrl,
  onSeek,
  span,
  marks = [],
}: TimelineProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<{ x: number; width: number; time: number } | null>(null);
  const [dragging, setDragging] = useState(false);
  const d = duration > 0 ? duration : 0;
  const pct = (t: number) => (d ? `${Math.max(0, Math.min(100, (t / d) * 100))}%` : "0%");
  const box = (s: MomentSpan, min = 3) => ({
    left: pct(s.start),
    width: `max(calc(${pct(s.end)} - ${pct(s.start)}), ${min}px)`,
  });
  const spanBox = span && d ? box(span, 4) : null;

  const locate = (e: PointerEvent<HTMLDivElement>) => {
    const rect = ref.current!.getBoundingClientRect();
    const x = Math.max(0, Math.min(rect.width, e.clientX - rect.left));
    return { x, width: rect.width, time: rect.width ? (x / rect.width) * d : 0 };
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const steps: Record<string, number> = {
      ArrowLeft: -5,
      ArrowRight: 5,
      ArrowDown: -5,
      ArrowUp: 5,
      PageDown: -d / 10,
      PageUp: d / 10,
    };
    if (e.key in steps) onSeek(currentTime + steps[e.key]);
    else if (e.key === "Home") onSeek(0);
    else if (e.key === "End") onSeek(d);
    else return;
    e.preventDefault();
    e.stopPropagation(); // the player's own shortcuts must not act twice
  };

  return (
    <div
      ref={ref}
      role="slider"
      tabIndex={d ? 0 : -1}
      aria-label="Seek"
      aria-valuemin={0}
      aria-valuemax={Math.round(d)}
      aria-valuenow={Math.round(currentTime)}
      aria-valuetext={`${formatTimeLong(currentTime)} of ${formatTimeLong(d)}`}
      aria-disabled={!d || undefined}
      data-testid="timeline"
      className="group/timeline relative flex h-11 cursor-pointer touch-none items-center select-none sm:h-6"
      onKeyDown={onKeyDown}
      onPointerDown={(e) => {
        if (!d || e.button !== 0) return;
        e.currentTarget.setPointerCapture(e.pointerId);
        setDragging(true);
        const at = locate(e);
        setHover(at);
        onSeek(at.time);
      }}
      onPointerMove={(e) => {
        if (!d) return;
        const at = locate(e);
        setHover(at);
        if (dragging) onSeek(at.time);
      }}
      onPointerUp={(e) => {
        setDragging(false);
        if (e.pointerType !== "mouse") setHover(null);
      }}
      onPointerCancel={() => {
        setDragging(false);
        setHover(null);
      }}
      onPointerLeave={() => {
        if (!dragging) setHover(null);
      }}
    >
      <div
        className={`relative w-full overflow-hidden rounded-full bg-white/20 transition-[height] ${
          hover || dragging ? "h-2" : "h-1"
        } group-focus-visible/timeline:h-2`}
      >
        <div className="absolute inset-y-0 left-0 bg-white/30" style={{ width: pct(bufferedEnd) }} />
        {d > 0 &&
          marks.map((m, i) => (
            <div
              key={i}
              data-testid="timeline-mark"
              data-start={m.start}
              data-end={m.end}
              className="absolute inset-y-0 bg-sky-300/40"
              style={box(m)}
            />
          ))}
        {hover && (
          <div
            className="absolute inset-y-0 left-0 bg-white/25"
            style={{ width: `${(hover.x / hover.width) * 100}%` }}
          />
        )}
        <div className="absolute inset-y-0 left-0 bg-indigo-500" style={{ width: pct(currentTime) }} />
      </div>
      <div
        data-testid="playhead"
        aria-hidden="true"
        className={`absolute top-1/2 z-10 size-3.5 -translate-x-1/2 -translate-y-1/2 rounded-full bg-white shadow ring-2 ring-indigo-500 transition-transform ${
          hover || dragging ? "scale-100" : "scale-75"
        }`}
        style={{ left: pct(currentTime) }}
      />
      {span && spanBox && (
        // above the progress and the playhead: the moment never disappears under them
        <div
          data-testid="player-span"
          data-start={span.start}
          data-end={span.end}
          aria-hidden="true"
          className="pointer-events-none absolute top-1/2 z-20 h-2 -translate-y-1/2 rounded-[2px] bg-amber-400 shadow-[0_0_0_1px_rgb(0_0_0/0.6)]"
          style={spanBox}
        />
      )}
      {hover && (
        <SeekPreview
          hover={hover}
          sprite={sprite}
          spriteUrl={spriteUrl}
          label={formatTime(hover.time)}
          className="mb-3"
          testId="timeline-preview"
          thumbTestId="timeline-thumb"
          labelTestId="timeline-hover-time"
        />
      )}
    </div>
  );
}
