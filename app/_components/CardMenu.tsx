"use client";

import Link from "next/link";
import { useMenuButton } from "@/app/_lib/useMenuButton";
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
  const { open, close, rootRef, buttonProps, menuProps } = useMenuButton();
  /** an item's click: the menu closes, then the action runs */
  const choose = (action: () => void) => () => {
    close(false);
    action();
  };

  return (
    <div ref={rootRef} className="relative">
      <button
        {...buttonProps}
        aria-label={`More actions for ${videoName}`}
        data-testid="card-menu-button"
        className="flex min-h-11 min-w-11 items-center justify-center rounded-full bg-black/60 p-1.5 text-zinc-100 backdrop-blur hover:bg-black/80 focus-visible:outline-2 focus-visible:outline-indigo-400 sm:min-h-0 sm:min-w-0"
      >
        <MoreIcon className="size-4" />
      </button>
      {open && (
        <div
          {...menuProps}
          aria-label={`Actions for ${videoName}`}
          className="absolute right-0 z-20 mt-1 w-44 overflow-hidden rounded-lg border border-zinc-700 bg-zinc-900 py-1 shadow-xl"
        >
          <Link role="menuitem" href={href} className={ITEM} onClick={() => close(false)}>
            Open
          </Link>
          <a role="menuitem" href={fileUrl} download className={ITEM} onClick={() => close(false)}>
            Download original
          </a>
          {onRename && (
            <button
              type="button"
              role="menuitem"
              data-testid="rename-button"
              className={ITEM}
              onClick={choose(onRename)}
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
              onClick={choose(reprocess.onSelect)}
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
              onClick={choose(onDelete)}
            >
              Delete…
            </button>
          )}
        </div>
      )}
    </div>
  );
}
