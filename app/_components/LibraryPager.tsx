"use client";

interface LibraryPagerProps {
  /** 1-based */
  page: number;
  pages: number;
  onPage: (page: number) => void;
}

const BUTTON =
  "inline-flex min-h-11 min-w-11 items-center justify-center rounded-lg px-3 text-sm font-medium text-zinc-200 ring-1 ring-zinc-700 hover:bg-zinc-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400 disabled:cursor-not-allowed disabled:opacity-50 disabled:hover:bg-transparent sm:min-h-9";

/** First / Previous / "Page 3 of 209" / Next / Last: the library one server page at a time. */
export function LibraryPager({ page, pages, onPage }: LibraryPagerProps) {
  const go = (p: number) => {
    onPage(Math.max(1, Math.min(pages, p)));
    // the new page starts at the top of the list
    document.getElementById("main")?.scrollIntoView({ block: "start" });
  };
  return (
    <nav
      aria-label="Library pages"
      className="flex flex-wrap items-center justify-center gap-2 pt-2"
      data-testid="library-pager"
    >
      <button type="button" onClick={() => go(1)} disabled={page <= 1} className={BUTTON} data-testid="page-first">
        First
      </button>
      <button
        type="button"
        onClick={() => go(page - 1)}
        disabled={page <= 1}
        className={BUTTON}
        data-testid="page-prev"
      >
        Previous
      </button>
      <p className="px-2 text-sm text-zinc-300 tabular-nums" data-testid="page-status">
        Page {page.toLocaleString()} of {pages.toLocaleString()}
      </p>
      <button
        type="button"
        onClick={() => go(page + 1)}
        disabled={page >= pages}
        className={BUTTON}
        data-testid="page-next"
      >
        Next
      </button>
      <button
        type="button"
        onClick={() => go(pages)}
        disabled={page >= pages}
        className={BUTTON}
        data-testid="page-last"
      >
        Last
      </button>
    </nav>
  );
}
