"use client";

import Link from "next/link";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { MoreIcon } from "./icons";

interface CardMenuProps {
  /** the title people see */
  videoName: string;
  href: string;
  fileUrl: string;
  /** absent: no Rename item (the role cannot rename) */
  onRename?: () => void;
  /** absent: no Reprocess item; `confirm`: the item opens a confirmation ("Reprocess…") */
  reprocess?: { onSelect: () => void; confirm: boolean };
  /** absent: no Delete item (the role cannot delete) */
  onDelete?: () => void;
}

const ITEM =
  "flex min-h-11 w-full items-center px-3 py-2 text-left text-sm hover:bg-zinc-800 focus:bg-zinc-800 focus:outline-none sm:min-h-0";

/** The "⋮" menu of a library card: open, download, rename, reprocess, delete (what the role allows). Menu-button keyboard pattern. */
export function CardMenu({ videoName, href, fileUrl, onRename, reprocess, onDelete }: CardMenuProps) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLElement>("[role=menuitem]")?.focus();
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
    const items = Array.from(menuRef.current?.querySelectorAll<HTMLElement>("[role=menuitem]") ?? []);
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
    } else if (e.key === "Tab") {
      setOpen(false);
    }
  };

  return (
    <div ref={rootRef} className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-label={`More actions for ${videoName}`}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        data-testid="card-menu-button"
        onClick={() => setOpen((o) => !o)}
        className="flex min-h-11 min-w-11 items-center justify-center rounded-full bg-black/60 p-1.5 text-zinc-100 backdrop-blur hover:bg-black/80 focus-visible:outline-2 focus-visible:outline-indigo-400 sm:min-h-0 sm:min-w-0"
      >
        <MoreIcon className="size-4" />
      </button>
      {open && (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label={`Actions for ${videoName}`}
          onKeyDown={onMenuKeyDown}
          className="absolute right-0 z-20 mt-1 w-44 overflow-hidden rounded-lg border border-zinc-700 bg-zinc-900 py-1 shadow-xl"
        >
          <Link role="menuitem" href={href} className={ITEM} onClick={() => setOpen(false)}>
            Open
          </Link>
          <a role="menuitem" href={fileUrl} download className={ITEM} onClick={() => setOpen(false)}>
            Download original
          </a>
          {onRename && (
            <button
              type="button"
              role="menuitem"
              data-testid="rename-button"
              className={ITEM}
              onClick={() => {
                setOpen(false);
                onRename();
              }}
            >
              Rename
            </button>
          )}
          {reprocess && (
            <button
              type="button"
              role="menuitem"
              data-testid="reprocess-button"
              className={ITEM}
              onClick={() => {
                setOpen(false);
                reprocess.onSelect();
              }}
            >
              {reprocess.confirm ? "Reprocess…" : "Reprocess"}
            </button>
          )}
          {onDelete && (
            <button
              type="button"
              role="menuitem"
              data-testid="delete-button"
              className={`${ITEM} text-rose-300`}
              onClick={() => {
                setOpen(false);
                onDelete();
              }}
            >
              Delete…
            </button>
          )}
        </div>
      )}
    </div>
  );
}
