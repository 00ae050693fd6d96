"use client";

import { HelpDialog } from "./HelpDialog";
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
  return (
    <HelpDialog title="Keyboard shortcuts" titleId="review-help-title" testId="review-help" onClose={onClose}>
      <KeyList keys={REVIEW_KEYS} />
      <p className="mt-4 text-xs text-zinc-400">
        Keys do nothing while you type in the sentence. Every decision is saved at once; a skipped item comes back after
        the rest of the queue.
      </p>
    </HelpDialog>
  );
}
