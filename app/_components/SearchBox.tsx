"use client";

import { useSearchParams } from "next/navigation";
import { Suspense, useEffect, useRef, type RefObject } from "react";
import { ownsKeys } from "@/app/_lib/keys";
import { SearchIcon } from "./icons";

/**
 * The header's search box: a plain GET form to /search, so it works without JavaScript.
 * It shows the current ?q=. Only that value waits for the URL (useSearchParams suspends
 * on statically rendered pages): the input itself is server-rendered and hydrated in
 * place, so what is typed before the page is interactive is kept.
 */
export function SearchBox() {
  const ref = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (ownsKeys(e.target) || document.querySelector("dialog[open], [aria-modal='true']")) return;
      e.preventDefault();
      ref.current?.focus();
      ref.current?.select();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);

  return (
    <form action="/search" method="get" role="search" className="relative w-full">
      <label htmlFor="site-search" className="sr-only">
        Search moments
      </label>
      <SearchIcon className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-zinc-500" />
      <input
        ref={ref}
        id="site-search"
        name="q"
        type="search"
        defaultValue=""
        placeholder="Search moments…"
        autoComplete="off"
        enterKeyHint="search"
        aria-keyshortcuts="/"
        data-testid="search-input"
        className="h-11 w-full rounded-lg border border-zinc-700 bg-zinc-900 pr-9 pl-9 sm:h-9 text-sm text-zinc-100 placeholder:text-zinc-400 focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/40 focus:outline-none"
      />
      <kbd
        aria-hidden="true"
        className="pointer-events-none absolute top-1/2 right-2.5 hidden -translate-y-1/2 rounded border border-zinc-700 px-1.5 text-[11px] text-zinc-400 sm:block"
      >
        /
      </kbd>
      <Suspense fallback={null}>
        <QueryFromUrl inputRef={ref} />
      </Suspense>
    </form>
  );
}

/** Puts the URL's ?q= in the field, and again whenever the URL changes. */
function QueryFromUrl({ inputRef }: { inputRef: RefObject<HTMLInputElement | null> }) {
  const q = useSearchParams().get("q") ?? "";
  const first = useRef(true);
  useEffect(() => {
    const input = inputRef.current;
    // on the first run, keep anything typed before the page became interactive
    if (input && !(first.current && input.value !== "")) input.value = q;
    first.current = false;
  }, [q, inputRef]);
  return null;
}
