"use client";

import { useEffect, useRef } from "react";
import { TrashIcon } from "./icons";

interface SelectionBarProps {
  /** videos on this page */
  onPage: number;
  /** of them, selected */
  selected: number;
  onSelectAll: (on: boolean) => void;
  onDelete: () => void;
}

const BUTTON =
  "inline-flex min-h-11 items-center gap-1.5 rounded-lg px-3 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400 sm:min-h-8";

/** "Select all on this page" (checked, mixed or not), how many are selected, and what to do with them. */
export function SelectionBar({ onPage, selected, onSelectAll, onDelete }: SelectionBarProps) {
  const allRef = useRef<HTMLInputElement>(null);
  const all = selected > 0 && selected === onPage;
  const some = selected > 0 && !all;

  useEffect(() => {
    if (allRef.current) allRef.current.indeterminate = some;
  }, [some]);

  return (
    <div
      className={`flex flex-wrap items-center gap-x-3 gap-y-2 rounded-lg ${selected > 0 ? "bg-indigo-500/10 px-2 ring-1 ring-indigo-400/40" : ""}`}
      data-testid="selection-bar"
    >
      <label className="inline-flex min-h-11 cursor-pointer items-center gap-2 text-sm text-zinc-300 sm:min-h-8">
        <input
          ref={allRef}
          type="checkbox"
          checked={all}
          onChange={(e) => onSelectAll(e.currentTarget.checked)}
          data-testid="select-all"
          className="size-4 cursor-pointer accent-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400"
        />
        Select all on this page
      </label>
      {selected > 0 && (
        <>
          <span className="text-sm font-medium text-zinc-100" aria-live="polite" data-testid="selected-count">
            {selected} selected
          </span>
          <button
            type="button"
            onClick={onDelete}
            data-testid="delete-selected"
            className={`${BUTTON} text-rose-300 ring-1 ring-rose-500/40 hover:bg-rose-500/10`}
          >
            <TrashIcon className="size-4" />
            Delete selected…
          </button>
          <button
            type="button"
            onClick={() => onSelectAll(false)}
            className={`${BUTTON} text-zinc-300 hover:bg-zinc-800 hover:text-zinc-100`}
          >
            Clear selection
          </button>
        </>
      )}
    </div>
  );
}
