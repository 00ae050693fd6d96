"use client";

import { useEffect, useId, useRef, useState } from "react";
import type { SortOrder, VideoSort, VideoStatus } from "@/app/_lib/api";
import { defaultOrder, orderLabel, SORTS, STATUSES, type LibraryQuery } from "@/app/_lib/libraryQuery";
import { SearchIcon } from "./icons";

/** How long typing pauses before the name filter applies. */
const DEBOUNCE_MS = 300;

const FIELD =
  "h-11 rounded-lg border border-zinc-700 bg-zinc-900 text-sm text-zinc-100 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/40 focus:outline-none sm:h-9";
const LABEL = "mb-1 block text-xs font-medium text-zinc-300";

/** A labelled drop-down of the toolbar (`width`: from the sm breakpoint on). */
function ToolbarSelect({
  label,
  value,
  onChange,
  options,
  testId,
  width,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
  testId: string;
  width: string;
}) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className={LABEL}>
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
        className={`${FIELD} w-full px-2 ${width}`}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

interface LibraryToolbarProps {
  query: LibraryQuery;
  /** a change of view; `replace` while typing, so Back does not step through every letter */
  onChange: (next: Partial<LibraryQuery>, mode?: "push" | "replace") => void;
}

/**
 * Filter by name (the library's own box: the header's box searches moments), filter by
 * status, sort and direction. Every control writes the URL; the URL is the state.
 */
export function LibraryToolbar({ query, onChange }: LibraryToolbarProps) {
  const nameId = useId();

  // what is typed; it follows the URL when the URL changes by other means (Back, a link)
  const [draft, setDraft] = useState(query.name);
  const [sent, setSent] = useState(query.name);
  const [seen, setSeen] = useState(query.name);
  if (seen !== query.name) {
    setSeen(query.name);
    if (query.name !== sent) {
      setDraft(query.name);
      setSent(query.name);
    }
  }

  const apply = (value: string) => {
    setSent(value);
    // the first letters of a filter add a step to the history; the rest refine it
    onChange({ name: value }, query.name.trim() === "" ? "push" : "replace");
  };

  const applyRef = useRef(apply);
  useEffect(() => {
    applyRef.current = apply;
  });
  const inUrl = query.name;
  useEffect(() => {
    if (draft.trim() === inUrl.trim()) return;
    const timer = setTimeout(() => applyRef.current(draft), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [draft, inUrl]);

  return (
    <div className="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-end" data-testid="library-toolbar">
      <form
        role="search"
        aria-label="Filter the library"
        className="min-w-0 sm:w-72"
        onSubmit={(e) => {
          e.preventDefault();
          if (draft.trim() !== query.name.trim()) apply(draft);
        }}
      >
        <label htmlFor={nameId} className={LABEL}>
          Filter by name
        </label>
        <div className="relative">
          <SearchIcon className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-zinc-400" />
          <input
            id={nameId}
            type="search"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            maxLength={255}
            autoComplete="off"
            enterKeyHint="search"
            placeholder="Part of a title"
            data-testid="library-name-filter"
            className={`${FIELD} w-full pr-3 pl-9 placeholder:text-zinc-400`}
          />
        </div>
      </form>
      <div className="grid grid-cols-3 gap-3 sm:flex">
        <ToolbarSelect
          label="Status"
          value={query.status ?? ""}
          onChange={(v) => onChange({ status: (v || null) as VideoStatus | null })}
          options={[{ value: "", label: "Any status" }, ...STATUSES]}
          testId="library-status-filter"
          width="sm:w-36"
        />
        <ToolbarSelect
          label="Sort by"
          value={query.sort}
          onChange={(v) => {
            const sort = v as VideoSort;
            onChange({ sort, order: defaultOrder(sort) });
          }}
          options={SORTS}
          testId="library-sort"
          width="sm:w-36"
        />
        <ToolbarSelect
          label="Order"
          value={query.order}
          onChange={(v) => onChange({ order: v as SortOrder })}
          options={(query.sort === "added" ? (["desc", "asc"] as const) : (["asc", "desc"] as const)).map((o) => ({
            value: o,
            label: orderLabel(query.sort, o),
          }))}
          testId="library-order"
          width="sm:w-40"
        />
      </div>
    </div>
  );
}
