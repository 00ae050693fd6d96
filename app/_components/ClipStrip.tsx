"use client";

import { useEffect, useRef } from "react";
import type { Clip, SpriteInfo } from "@/app/_lib/api";
import { formatTime, formatTimeLong } from "@/app/_lib/format";
import { SpriteTile } from "./SpriteTile";

interface ClipStripProps {
  clips: Clip[];
  activeIndex: number;
  sprite: SpriteInfo | null;
  spriteUrl: string | null;
  onSeek: (t: number) => void;
}

const CELL_WIDTH = 112;

/** One cell per indexed clip; click to jump there. The playing clip is highlighted and kept in view. */
export function ClipStrip({ clips, activeIndex, sprite, spriteUrl, onSeek }: ClipStripProps) {
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    const list = listRef.current;
    const cell = activeIndex >= 0 ? list?.children[activeIndex] : undefined;
    if (!list || !(cell instanceof HTMLElement)) return;
    const left = cell.offsetLeft; // the list is the offsetParent (position: relative)
    const right = left + cell.offsetWidth;
    // scroll the strip only (scrollIntoView would scroll the page too)
    if (left < list.scrollLeft || right > list.scrollLeft + list.clientWidth) {
      list.scrollTo({ left: left - (list.clientWidth - cell.offsetWidth) / 2, behavior: "smooth" });
    }
  }, [activeIndex]);

  return (
    <ol
      ref={listRef}
      aria-label="Clips"
      data-testid="clip-strip"
      className="relative flex gap-2 overflow-x-auto pb-2 [scrollbar-color:var(--color-zinc-700)_transparent]"
    >
      {clips.map((clip, i) => {
        const active = i === activeIndex;
        return (
          <li key={clip.idx} className="shrink-0">
            <button
              type="button"
              data-testid="clip-cell"
              data-active={active || undefined}
              data-start={clip.start}
              aria-current={active ? "true" : undefined}
              aria-label={`Clip ${i + 1}: ${formatTimeLong(clip.start)} to ${formatTimeLong(clip.end)}`}
              onClick={() => onSeek(clip.start)}
              className={`group/clip flex flex-col overflow-hidden rounded-lg text-left ring-2 transition ${
                active ? "bg-indigo-500/15 ring-indigo-400" : "bg-zinc-900 ring-transparent hover:ring-zinc-600"
              }`}
              style={{ width: CELL_WIDTH }}
            >
              {sprite && spriteUrl ? (
                <SpriteTile sprite={sprite} url={spriteUrl} time={(clip.start + clip.end) / 2} width={CELL_WIDTH} />
              ) : (
                <div className="aspect-video w-full bg-zinc-800" aria-hidden="true" />
              )}
              <span className={`px-2 py-1 text-xs tabular-nums ${active ? "text-indigo-200" : "text-zinc-400"}`}>
                {formatTime(clip.start)}–{formatTime(clip.end)}
              </span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}
