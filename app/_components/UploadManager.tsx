"use client";

import { formatBytes } from "@/app/_lib/format";
import { useBlockStrayDrops, useConfirmLeave } from "@/app/_lib/usePageGuards";
import { UPLOAD_ACTIVE, useUploads, type LooseSubtitle, type UploadStatus } from "@/app/_lib/useUploads";
import { DropZone } from "./DropZone";
import { CaptionsIcon, CloseIcon } from "./icons";
import { UploadRow } from "./UploadRow";

const LABELS: Record<UploadStatus, string> = {
  pending: "waiting",
  uploading: "uploading",
  processing: "processing",
  ready: "ready",
  failed: "failed",
  error: "refused",
};

/** "2 uploading, 1 ready": what the live region announces when a row changes state. */
function summarize(statuses: UploadStatus[]): string {
  const counts = new Map<UploadStatus, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return Array.from(counts, ([s, n]) => `${n} ${LABELS[s]}`).join(", ");
}

export function UploadManager() {
  const { items, loose, add, cancel, retry, dismiss, clearFinished, dismissLoose } = useUploads();
  const active = items.filter((i) => UPLOAD_ACTIVE.has(i.status)).length;
  // what "Clear finished" removes: failures stay until retried or dismissed
  const finished = items.filter((i) => i.status === "ready" || (i.status === "error" && i.cancelled)).length;

  // leaving the page would abort running uploads: ask first
  useConfirmLeave(active > 0);

  useBlockStrayDrops();

  return (
    <div className="space-y-6">
      <DropZone onFiles={add} />
      {loose.length > 0 && (
        <section aria-labelledby="loose-subtitles-heading" className="space-y-3">
          <h2 id="loose-subtitles-heading" className="text-sm font-semibold text-zinc-300">
            Subtitles without a video <span className="font-normal text-zinc-400">({loose.length})</span>
          </h2>
          <ul className="space-y-2">
            {loose.map((l) => (
              <LooseSubtitleRow key={l.key} loose={l} onDismiss={dismissLoose} />
            ))}
          </ul>
        </section>
      )}
      {items.length > 0 && (
        <section aria-labelledby="uploads-heading" className="space-y-3">
          <div className="flex items-center justify-between">
            <h2 id="uploads-heading" className="text-sm font-semibold text-zinc-300">
              Uploads <span className="font-normal text-zinc-400">({items.length})</span>
            </h2>
            {finished > 0 && (
              <button
                type="button"
                onClick={clearFinished}
                data-testid="clear-finished"
                className="inline-flex min-h-11 items-center rounded-md px-2 text-xs font-medium text-zinc-300 hover:bg-zinc-800 hover:text-zinc-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400 sm:min-h-7"
              >
                Clear finished
              </button>
            )}
          </div>
          <p className="sr-only" aria-live="polite">
            {summarize(items.map((i) => i.status))}
          </p>
          <ul className="space-y-2">
            {items.map((item) => (
              <UploadRow key={item.key} item={item} onCancel={cancel} onRetry={retry} onDismiss={dismiss} />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

/** A subtitle file that no video of the same name came with: what to do about it. */
function LooseSubtitleRow({ loose, onDismiss }: { loose: LooseSubtitle; onDismiss: (key: string) => void }) {
  const { file } = loose;
  const stem = file.name.replace(/\.[^.\s]{1,8}$/, "") || file.name;
  return (
    <li
      data-testid="upload-subtitle-orphan"
      className="flex items-start gap-3 rounded-xl border border-amber-500/30 bg-zinc-900/60 p-3"
    >
      <div className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-zinc-800 text-amber-300">
        <CaptionsIcon className="size-5" />
      </div>
      <div className="min-w-0 flex-1 space-y-1">
        <div className="flex items-baseline justify-between gap-3">
          <p className="truncate text-sm font-medium text-zinc-100" title={file.name}>
            {file.name}
          </p>
          <span className="shrink-0 text-xs tabular-nums text-zinc-400">{formatBytes(file.size)}</span>
        </div>
        <p className="text-xs text-amber-200" data-testid="upload-subtitle-message">
          No video named &ldquo;{stem}&rdquo; is among these uploads, so these subtitles were not attached. Add the
          video with the same name (e.g. {stem}.mp4) and they go with it, or attach them from the video&rsquo;s page.
        </p>
      </div>
      <button
        type="button"
        onClick={() => onDismiss(loose.key)}
        aria-label={`Dismiss ${file.name}`}
        className="flex min-h-11 min-w-11 shrink-0 items-center justify-center rounded-md text-zinc-400 hover:bg-zinc-800 hover:text-zinc-200 focus-visible:outline-2 focus-visible:outline-indigo-400 sm:min-h-7 sm:min-w-7"
      >
        <CloseIcon className="size-4" />
      </button>
    </li>
  );
}
