"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";

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
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const options: { id: string | null; label: string }[] = [{ id: null, label: "Off" }, ...choices];
  const activeLabel = options.find((o) => o.id === active)?.label ?? "Off";

  useEffect(() => {
    if (!open) return;
    // the checked item takes the focus
    (
      menuRef.current?.querySelector<HTMLElement>("[aria-checked=true]") ??
      menuRef.current?.querySelector<HTMLElement>("[role=menuitemradio]")
    )?.focus();
    const onPointerDown = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open]);

  const close = (restoreFocus: boolean) => {
    setOpen(false);
    if (restoreFocus) buttonRef.current?.focus();
  };

  const onMenuKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // the player's keys (arrows seek, letters play…) stay out of the menu
    e.stopPropagation();
    const items = Array.from(menuRef.current?.querySelectorAll<HTMLElement>("[role=menuitemradio]") ?? []);
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === "Escape") {
      e.preventDefault();
      close(true);
    } else if (e.key === "ArrowDown") {
      e.preventDefault();
      items[(i + 1) % items.length]?.focus();
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      items[(i - 1 + items.length) % items.length]?.focus();
    } else if (e.key === "Home") {
      e.preventDefault();
      items[0]?.focus();
    } else if (e.key === "End") {
      e.preventDefault();
      items[items.length - 1]?.focus();
    } else if (e.key === "Tab") {
      setOpen(false);
    }
  };

  return (
    <div ref={rootRef} className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        title="Subtitles and on-screen text (C)"
        data-testid="captions-button"
        data-active={active ?? "off"}
        onClick={() => setOpen((o) => !o)}
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
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label="Subtitles and on-screen text"
          onKeyDown={onMenuKeyDown}
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
