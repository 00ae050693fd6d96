"use client";

import Link from "next/link";
import { useVideoList } from "@/app/_lib/useVideoList";
import { Alert } from "./Alert";
import { CardSkeletons } from "./CardSkeletons";
import { FilmIcon, UploadIcon } from "./icons";
import { useCan } from "./SessionProvider";
import { VideoCard } from "./VideoCard";

const GRID = "grid grid-cols-1 gap-4 sm:grid-cols-2 md:grid-cols-3 xl:grid-cols-4";

export function LibraryGrid() {
  const { videos, total, loading, error, hasMore, loadingMore, loadMore, reload, remove } = useVideoList();
  const canUpload = useCan("videos:upload");
  const processing = videos.filter((v) => v.status === "queued" || v.status === "processing").length;

  if (loading) return <CardSkeletons grid={GRID} count={8} label="Loading the library" />;

  if (error && videos.length === 0) {
    return (
      <Alert
        tone="error"
        title="The library could not be loaded"
        action={
          <button type="button" onClick={() => void reload()} className="text-sm font-medium underline underline-offset-2">
            Retry
          </button>
        }
      >
        {error}
      </Alert>
    );
  }

  if (videos.length === 0) {
    return (
      <div className="flex flex-col items-center rounded-2xl border border-dashed border-zinc-700 px-6 py-20 text-center" data-testid="library-empty">
        <FilmIcon className="size-12 text-zinc-600" />
        <h2 className="mt-4 text-lg font-semibold">No videos yet</h2>
        {canUpload ? (
          <>
            <p className="mt-1 max-w-sm text-sm text-zinc-400">
              Upload videos and Moments indexes them, so you can later find any moment by describing it.
            </p>
            <Link
              href="/upload"
              className="mt-6 inline-flex items-center gap-2 rounded-lg bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500"
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

  return (
    <div className="space-y-4">
      <p className="text-sm text-zinc-400" aria-live="polite">
        {total} video{total === 1 ? "" : "s"}
        {processing > 0 && ` · ${processing} processing`}
      </p>
      {error && <Alert tone="error">{error}</Alert>}
      <ul className={GRID} aria-label="Videos">
        {videos.map((v) => (
          <li key={v.id} className="flex">
            <VideoCard video={v} onDeleted={remove} />
          </li>
        ))}
      </ul>
      {hasMore && (
        <div className="flex justify-center pt-2">
          <button
            type="button"
            onClick={loadMore}
            disabled={loadingMore}
            className="rounded-lg px-4 py-2 text-sm font-medium ring-1 ring-zinc-700 hover:bg-zinc-800 disabled:opacity-60"
          >
            {loadingMore ? "Loading…" : `Show more (${total - videos.length} left)`}
          </button>
        </div>
      )}
    </div>
  );
}
