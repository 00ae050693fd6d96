"use client";

import { HelpDialog } from "./HelpDialog";
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
  return (
    <HelpDialog
      title="Player keyboard shortcuts"
      titleId="player-help-title"
      testId="player-help"
      closeTestId="player-help-close"
      onClose={onClose}
      ownKeys
    >
      <KeyList keys={PLAYER_KEYS} notes={{ ", / .": <>one frame is {frameWords(fps)}</> }} testId="player-help-keys" />
      <h3 className="mt-4 mb-2 text-sm font-semibold text-zinc-200">On the seek bar</h3>
      <KeyList keys={SEEK_BAR_KEYS} />
      <p className="mt-4 text-xs text-zinc-400">
        The keys work while the player has focus (click the picture or Tab to it), and anywhere on the page while
        nothing else has focus, except the arrows and Space, which scroll the page there.
      </p>
    </HelpDialog>
  );
}
