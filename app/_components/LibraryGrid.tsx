"use client";

import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import type { VideoDto } from "@/app/_lib/api";
import {
  LIBRARY_GRID,
  LIBRARY_PAGE_SIZE,
  isFiltered,
  libraryQueryString,
  parseLibraryQuery,
  type LibraryQuery,
} from "@/app/_lib/libraryQuery";
import { useVideoList } from "@/app/_lib/useVideoList";
import { Alert } from "./Alert";
import { BulkDeleteDialog } from "./BulkDeleteDialog";
import { CardSkeletons } from "./CardSkeletons";
import { FilmIcon, UploadIcon } from "./icons";
import { useViewParams } from "@/app/_lib/useViewParams";
import { LibraryPager } from "./LibraryPager";
import { LibraryToolbar } from "./LibraryToolbar";
import { SelectionBar } from "./SelectionBar";
import { useCan } from "./SessionProvider";
import { VideoCard } from "./VideoCard";

/**
 * Puts a view in the address without a server round trip (Next.js keeps useSearchParams
 * in step with the History API). Discrete changes push, so Back returns to the view before.
 */
function showView(q: LibraryQuery, mode: "push" | "replace") {
  const url = `${window.location.pathname}${libraryQueryString(q)}`;
  if (url === `${window.location.pathname}${window.location.search}`) return;
  if (mode === "push") window.history.pushState(null, "", url);
  else window.history.replaceState(null, "", url);
}

export function LibraryGrid() {
  const params = useViewParams().toString();
  const query = useMemo(() => parseLibraryQuery(new URLSearchParams(params)), [params]);
  const { videos, total, loading, stale, error, reload, remove, replace } = useVideoList(query);
  const canUpload = useCan("videos:upload");
  const canDelete = useCan("videos:delete");
  const filtered = isFiltered(query);
  const pages = Math.max(1, Math.ceil(total / LIBRARY_PAGE_SIZE));
  const processing = videos.filter((v) => v.status === "queued" || v.status === "processing").length;

  // a selection belongs to the view it was made in
  const viewKey = libraryQueryString(query);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [selectedIn, setSelectedIn] = useState(viewKey);
  if (selectedIn !== viewKey) {
    setSelectedIn(viewKey);
    setSelected(new Set());
  }
  const [deleting, setDeleting] = useState(false);
  const selectedVideos = videos.filter((v) => selected.has(v.id));

  // past the last page (after deletes, or an old link): the last page instead
  const beyond = !loading && !stale && !error && videos.length === 0 && total > 0 && query.page > pages;
  useEffect(() => {
    if (beyond) showView({ ...query, page: pages }, "replace");
  }, [beyond, query, pages]);

  const change = (next: Partial<LibraryQuery>, mode: "push" | "replace" = "push") =>
    showView({ ...query, page: 1, ...next }, mode);

  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const onChanged = (v: VideoDto) => {
    replace(v);
    // a new title can move it (sorted by name) or out of the view (filtered by name)
    void reload();
  };

  if (loading) return <CardSkeletons grid={LIBRARY_GRID} count={8} label="Loading the library" />;

  if (error && videos.length === 0 && !filtered && total === 0) {
    return (
      <Alert tone="error" title="The library could not be loaded" onRetry={() => void reload()}>
        {error}
      </Alert>
    );
  }

  if (total === 0 && !filtered && !stale && !error) {
    return (
      <div
        className="flex flex-col items-center rounded-2xl border border-dashed border-zinc-700 px-6 py-20 text-center"
        data-testid="library-empty"
      >
        <FilmIcon className="size-12 text-zinc-500" />
        <h2 className="mt-4 text-lg font-semibold">No videos yet</h2>
        {canUpload ? (
          <>
            <p className="mt-1 max-w-sm text-sm text-zinc-400">
              Upload videos and Moments indexes them, so you can later find any moment by describing it.
            </p>
            <Link
              href="/upload"
              className="mt-6 inline-flex min-h-11 items-center gap-2 rounded-lg bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400"
            >
              <UploadIcon className="size-4" />
              Upload videos
            </Link>
          </>
        ) : (
          <p className="mt-1 max-w-sm text-sm text-zinc-400">
            Videos added by an annotator or admin appear here, and you can then find any moment by describing it.
          </p>
        )}
      </div>
    );
  }

  const first = (query.page - 1) * LIBRARY_PAGE_SIZE + 1;
  const last = first + videos.length - 1;

  return (
    <div className="space-y-4">
      <LibraryToolbar query={query} onChange={change} />
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
        <p className="text-sm text-zinc-400" aria-live="polite" data-testid="library-count">
          {filtered
            ? `${total.toLocaleString()} matching video${total === 1 ? "" : "s"}`
            : `${total.toLocaleString()} video${total === 1 ? "" : "s"}`}
          {pages > 1 && videos.length > 0 && ` · showing ${first.toLocaleString()}–${last.toLocaleString()}`}
          {processing > 0 && ` · ${processing} processing`}
        </p>
        {canDelete && videos.length > 0 && (
          <SelectionBar
            onPage={videos.length}
            selected={selectedVideos.length}
            onSelectAll={(on) => setSelected(on ? new Set(videos.map((v) => v.id)) : new Set())}
            onDelete={() => setDeleting(true)}
          />
        )}
      </div>
      {error && <Alert tone="error">{error}</Alert>}
      {total === 0 && videos.length === 0 && !stale && !error ? (
        <div
          className="flex flex-col items-center rounded-2xl border border-dashed border-zinc-700 px-6 py-16 text-center"
          data-testid="library-no-match"
        >
          <h2 className="text-lg font-semibold">No videos match</h2>
          <p className="mt-1 max-w-sm text-sm text-zinc-400">Try another name or status, or show every video.</p>
          <button
            type="button"
            onClick={() => showView({ ...query, status: null, name: "", page: 1 }, "push")}
            className="mt-5 min-h-11 rounded-lg px-4 py-2 text-sm font-medium text-zinc-100 ring-1 ring-zinc-600 hover:bg-zinc-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400 sm:min-h-0"
          >
            Clear filters
          </button>
        </div>
      ) : (
        <ul
          className={`${LIBRARY_GRID} transition-opacity motion-reduce:transition-none ${stale ? "opacity-60" : ""}`}
          aria-label="Videos"
          aria-busy={stale || undefined}
          data-testid="library-grid"
        >
          {videos.map((v) => (
            <li key={v.id} className="flex">
              <VideoCard
                video={v}
                onDeleted={(id) => {
                  remove([id]);
                  void reload();
                }}
                onChanged={onChanged}
                selection={canDelete ? { selected: selected.has(v.id), onChange: toggle } : undefined}
              />
            </li>
          ))}
        </ul>
      )}
      {pages > 1 && (
        <LibraryPager page={Math.min(query.page, pages)} pages={pages} onPage={(page) => change({ page })} />
      )}
      {canDelete && (
        <BulkDeleteDialog
          videos={selectedVideos}
          open={deleting && selectedVideos.length > 0}
          onClose={() => setDeleting(false)}
          onDone={(deleted, failed) => {
            remove(deleted);
            setSelected(new Set(failed));
            if (failed.length === 0) setDeleting(false);
            void reload();
          }}
        />
      )}
    </div>
  );
}
