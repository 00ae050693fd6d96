"use client";

import { useEffect, useRef, type KeyboardEvent } from "react";
import { CloseIcon } from "./icons";
import { KeyList } from "./KeyList";

/** The player's keys, as the overlay lists them (the player acts on each). */
export const PLAYER_KEYS: [keys: string, what: string][] = [
  ["Space / K", "play / pause"],
  ["J / ←", "back 5 s"],
  ["L / →", "forward 5 s"],
  [", / .", "pause and step one frame back / forward"],
  ["< / >", "slower / faster (0.25× to 2×)"],
  ["↑ / ↓", "volume up / down"],
  ["M", "mute / unmute"],
  ["F", "full screen (again to leave)"],
  ["C", "captions on / off: subtitles or on-screen text, when the video has them (the CC button picks which)"],
  ["?", "this list"],
  ["Esc", "close this list"],
];

/** On the seek bar itself (the slider under the picture). */
export const SEEK_BAR_KEYS: [keys: string, what: string][] = [
  ["← / →", "5 s back / forward"],
  ["Page Up / Page Down", "a tenth of the video forward / back"],
  ["Home / End", "the start / the end"],
];

/** One frame, in words: "1/25 s (this video has 25 fps)". */
function frameWords(fps: number | null): string {
  if (!fps || !(fps > 0)) return "1/30 s (the frame rate is unknown)";
  const rounded = Math.round(fps * 100) / 100;
  return `1/${rounded} s (this video has ${rounded} fps)`;
}

/**
 * The player's keyboard shortcuts over the page (inside the player's frame, so it shows
 * in full screen too). Escape, ? or the close button closes it; focus goes back where it was.
 */
export function PlayerHelp({ onClose, fps }: { onClose: () => void; fps: number | null }) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement;
    closeRef.current?.focus();
    return () => {
      if (before instanceof HTMLElement && before.isConnected) before.focus();
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // the player's keys do nothing while the list is open
    e.stopPropagation();
    if (e.key === "Escape" || e.key === "?") {
      e.preventDefault();
      onClose();
    } else if (e.key === "Tab") {
      // the close button is the only thing to focus in here
      e.preventDefault();
      closeRef.current?.focus();
    }
  };

  return (
    <div
      className="fixed inset-0 z-50 flex items-center justify-center bg-black/70 p-4"
      onClick={onClose}
      onKeyDown={onKeyDown}
    >
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="player-help-title"
        data-testid="player-help"
        onClick={(e) => e.stopPropagation()}
        className="max-h-full w-full max-w-md overflow-y-auto rounded-xl border border-zinc-700 bg-zinc-900 p-5 text-left shadow-2xl"
      >
        <div className="mb-3 flex items-center justify-between gap-4">
          <h2 id="player-help-title" className="text-lg font-semibold text-zinc-100">
            Player keyboard shortcuts
          </h2>
          <button
            ref={closeRef}
            type="button"
            onClick={onClose}
            aria-label="Close"
            data-testid="player-help-close"
            className="inline-flex min-h-11 min-w-11 items-center justify-center rounded-md p-1 text-zinc-300 hover:bg-zinc-800 hover:text-zinc-100 sm:min-h-0 sm:min-w-0"
          >
            <CloseIcon className="size-4" />
          </button>
        </div>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm" data-testid="player-help-keys">
          {PLAYER_KEYS.map(([keys, what]) => (
            <div key={keys} className="contents">
              <dt>
                <kbd className="rounded bg-zinc-800 px-1.5 py-0.5 text-xs font-medium whitespace-nowrap text-zinc-200 ring-1 ring-zinc-700">
                  {keys}
                </kbd>
              </dt>
              <dd className="text-zinc-300">
                {what}
                {keys === ", / ." && (
                  <span className="block text-xs text-zinc-400">one frame is {frameWords(fps)}</span>
                )}
              </dd>
            </div>
          ))}
        </dl>
        <h3 className="mt-4 mb-2 text-sm font-semibold text-zinc-200">On the seek bar</h3>
        <KeyList keys={SEEK_BAR_KEYS} />
        <p className="mt-4 text-xs text-zinc-400">
          The keys work while the player has focus (click the picture or Tab to it), and anywhere on the page while
          nothing else has focus, except the arrows and Space, which scroll the page there.
        </p>
      </div>
    </div>
  );
}
