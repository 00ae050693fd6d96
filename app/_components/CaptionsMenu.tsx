"use client";

import { useMenuButton } from "@/app/_lib/useMenuButton";

export interface CaptionChoice {
  id: string;
  label: string;
}

interface CaptionsMenuProps {
  choices: CaptionChoice[];
  /** the id of the track showing, or null (off) */
  active: string | null;
  onSelect: (id: string | null) => void;
  /** the player's button style */
  buttonClassName: string;
}

const ITEM =
  "flex min-h-11 w-full items-center gap-2 px-3 py-2 text-left text-sm text-zinc-200 hover:bg-zinc-800 focus:bg-zinc-800 focus:outline-none sm:min-h-0";

/**
 * The player's "CC" menu button: Off, or one of the text tracks (subtitles, on-screen
 * text). Menu-button keyboard pattern; the player's own keys do nothing inside the menu.
 */
export function CaptionsMenu({ choices, active, onSelect, buttonClassName }: CaptionsMenuProps) {
  // the player's keys (arrows seek, letters play…) stay out of the menu
  const { open, close, rootRef, buttonProps, menuProps } = useMenuButton({ isolateKeys: true });
  const options: { id: string | null; label: string }[] = [{ id: null, label: "Off" }, ...choices];
  const activeLabel = options.find((o) => o.id === active)?.label ?? "Off";

  return (
    <div ref={rootRef} className="relative">
      <button
        {...buttonProps}
        title="Subtitles and on-screen text (C)"
        data-testid="captions-button"
        data-active={active ?? "off"}
        className={`${buttonClassName} relative text-xs font-bold tracking-wide`}
      >
        <span
          className={`rounded-sm px-1 ring-1 ${active ? "bg-zinc-100 text-zinc-950 ring-zinc-100" : "ring-zinc-300"}`}
        >
          CC
        </span>
        <span className="sr-only">: {activeLabel}</span>
      </button>
      {open && (
        <div
          {...menuProps}
          aria-label="Subtitles and on-screen text"
          data-testid="captions-menu"
          className="absolute right-0 bottom-full z-20 mb-2 w-44 overflow-hidden rounded-lg border border-zinc-700 bg-zinc-900 py-1 shadow-xl"
        >
          {options.map((o) => (
            <button
              key={o.id ?? "off"}
              type="button"
              role="menuitemradio"
              aria-checked={o.id === active}
              data-testid="captions-option"
              data-track={o.id ?? "off"}
              className={ITEM}
              onClick={() => {
                onSelect(o.id);
                close(true);
              }}
            >
              <span
                aria-hidden="true"
                className={`size-1.5 shrink-0 rounded-full ${o.id === active ? "bg-indigo-400" : "bg-transparent"}`}
              />
              {o.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
