"use client";

import { useEffect, useRef } from "react";
import { CloseIcon } from "./icons";
import { KeyList } from "./KeyList";

export const REVIEW_KEYS: [string, string][] = [
  ["Space", "play / pause"],
  ["J / K / L", "back 5 s / pause / forward 5 s"],
  ["I / O", "set the in / out point at the playhead"],
  ["← / →", "nudge the selected edge 0.1 s (with Shift: 1 s)"],
  ["Tab", "switch the selected edge"],
  ["1 – 5", "take the model's alternative n"],
  ["+ / −", "zoom the timeline in / out around the span"],
  ["0", "show the whole video on the timeline"],
  ["Enter", "accept (saves a correction when the span was changed)"],
  ["Backspace", "reject"],
  ["S", "skip"],
  ["Ctrl + Z", "undo your last decision"],
  ["Esc", "leave a text field or button, back to the keys"],
  ["?", "this help"],
];

/** The review page's keys, over the page; Escape, ? or the close button closes it. */
export function ReviewHelp({ onClose }: { onClose: () => void }) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    closeRef.current?.focus();
  }, []);
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-black/70 p-4" onClick={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="review-help-title"
        data-testid="review-help"
        onClick={(e) => e.stopPropagation()}
        className="w-full max-w-md rounded-xl border border-zinc-700 bg-zinc-900 p-5 shadow-2xl"
      >
        <div className="mb-3 flex items-center justify-between">
          <h2 id="review-help-title" className="text-lg font-semibold">
            Keyboard shortcuts
          </h2>
          <button
            ref={closeRef}
            type="button"
            onClick={onClose}
            aria-label="Close"
            className="inline-flex min-h-11 min-w-11 items-center justify-center rounded-md p-1 text-zinc-300 hover:bg-zinc-800 hover:text-zinc-100 sm:min-h-0 sm:min-w-0"
          >
            <CloseIcon className="size-4" />
          </button>
        </div>
        <KeyList keys={REVIEW_KEYS} />
        <p className="mt-4 text-xs text-zinc-400">
          Keys do nothing while you type in the sentence. Every decision is saved at once; a skipped item comes back
          after the rest of the queue.
        </p>
      </div>
    </div>
  );
}
