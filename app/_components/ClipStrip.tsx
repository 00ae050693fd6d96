"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import type { Clip, SpriteInfo } from "@/app/_lib/api";
import { formatTime } from "@/app/_lib/format";
import { SpriteTile } from "./SpriteTile";

interface ClipStripProps {
  clips: Clip[];
  activeIndex: number;
  sprite: SpriteInfo | null;
  spriteUrl: string | null;
  onSeek: (t: number) => void;
}

const CELL_WIDTH = 112;

function prefersReducedMotion(): boolean {
  return typeof window !== "undefined" && window.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
}

/** Scrolls the strip only (scrollIntoView would scroll the page too) so that `cell` is in view. */
function reveal(list: HTMLElement, cell: HTMLElement, center: boolean) {
  const left = cell.offsetLeft; // the list is the offsetParent (position: relative)
  const right = left + cell.offsetWidth;
  if (left >= list.scrollLeft && right <= list.scrollLeft + list.clientWidth) return;
  const to = center
    ? left - (list.clientWidth - cell.offsetWidth) / 2
    : left < list.scrollLeft
      ? left - 4
      : right - list.clientWidth + 4;
  list.scrollTo({ left: to, behavior: prefersReducedMotion() ? "auto" : "smooth" });
}

/**
 * One cell per indexed clip; click to jump there. The playing clip is highlighted and kept
 * in view. The strip is one Tab stop (a roving tabindex): ←/→ move between the clips,
 * Home/End to the first/last, Enter or Space jumps to the focused one.
 */
export function ClipStrip({ clips, activeIndex, sprite, spriteUrl, onSeek }: ClipStripProps) {
  const listRef = useRef<HTMLOListElement>(null);
  const hintId = useId();
  // the cell that has (or last had) focus while focus is in the strip; null: follow the playing clip
  const [focused, setFocused] = useState<number | null>(null);
  // moving through the strip with the keys: the playing clip does not pull the strip away meanwhile
  const [browsing, setBrowsing] = useState(false);
  const last = clips.length - 1;
  const tabStop = Math.min(last, Math.max(0, focused ?? (activeIndex >= 0 ? activeIndex : 0)));

  const cellAt = (i: number): HTMLButtonElement | null => {
    const li = listRef.current?.children[i];
    return li?.firstElementChild instanceof HTMLButtonElement ? li.firstElementChild : null;
  };

  useEffect(() => {
    const list = listRef.current;
    const cell = activeIndex >= 0 ? list?.children[activeIndex] : undefined;
    if (!list || !(cell instanceof HTMLElement) || browsing) return;
    reveal(list, cell, true);
  }, [activeIndex, browsing]);

  const move = (to: number) => {
    const i = Math.max(0, Math.min(last, to));
    const cell = cellAt(i);
    if (!cell) return;
    setFocused(i);
    setBrowsing(true);
    cell.focus({ preventScroll: true });
    if (listRef.current?.children[i] instanceof HTMLElement)
      reveal(listRef.current, listRef.current.children[i] as HTMLElement, false);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLOListElement>) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const i = focused ?? tabStop;
    const page = Math.max(1, Math.floor((listRef.current?.clientWidth ?? CELL_WIDTH) / (CELL_WIDTH + 8)));
    switch (e.key) {
      case "ArrowRight":
        move(i + 1);
        break;
      case "ArrowLeft":
        move(i - 1);
        break;
      case "PageDown":
        move(i + page);
        break;
      case "PageUp":
        move(i - page);
        break;
      case "Home":
        move(0);
        break;
      case "End":
        move(last);
        break;
      default:
        return; // Enter and Space: the focused button's own click
    }
    e.preventDefault();
  };

  return (
    <>
      <p id={hintId} className="sr-only">
        {clips.length} clips. Use the left and right arrow keys to move between them, Home and End for the first and
        last, and Enter to jump to one.
      </p>
      <ol
        ref={listRef}
        aria-label="Clips"
        aria-describedby={hintId}
        data-testid="clip-strip"
        onKeyDown={onKeyDown}
        onFocus={(e) => {
          const i = Number((e.target as HTMLElement).dataset.index);
          if (Number.isInteger(i)) setFocused(i);
        }}
        onBlur={(e) => {
          if (e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget)) return;
          setFocused(null);
          setBrowsing(false);
        }}
        className="relative flex gap-2 overflow-x-auto px-1 pt-1 pb-2 [scrollbar-color:var(--color-zinc-700)_transparent]"
      >
        {clips.map((clip, i) => {
          const active = i === activeIndex;
          return (
            <li key={clip.idx} className="shrink-0">
              <button
                type="button"
                data-testid="clip-cell"
                data-index={i}
                data-active={active || undefined}
                data-start={clip.start}
                tabIndex={i === tabStop ? 0 : -1}
                aria-current={active ? "true" : undefined}
                onClick={() => {
                  setFocused(i);
                  setBrowsing(false);
                  onSeek(clip.start);
                }}
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
                <span className={`px-2 py-1 text-xs tabular-nums ${active ? "text-indigo-100" : "text-zinc-300"}`}>
                  <span className="sr-only">Clip {i + 1}: </span>
                  {formatTime(clip.start)}–{formatTime(clip.end)}
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </>
  );
}
