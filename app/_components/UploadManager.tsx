"use client";

import { useEffect } from "react";
import { UPLOAD_ACTIVE, useUploads, type UploadStatus } from "@/app/_lib/useUploads";
import { DropZone } from "./DropZone";
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
  const { items, add, cancel, retry, dismiss, clearFinished } = useUploads();
  const active = items.filter((i) => UPLOAD_ACTIVE.has(i.status)).length;
  // what "Clear finished" removes: failures stay until retried or dismissed
  const finished = items.filter((i) => i.status === "ready" || (i.status === "error" && i.cancelled)).length;

  // leaving the page would abort running uploads: ask first
  useEffect(() => {
    if (active === 0) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [active]);

  // a file dropped beside the zone must not navigate away to it
  useEffect(() => {
    const block = (e: DragEvent) => {
      if (e.dataTransfer && Array.from(e.dataTransfer.types).includes("Files")) e.preventDefault();
    };
    window.addEventListener("dragover", block);
    window.addEventListener("drop", block);
    return () => {
      window.removeEventListener("dragover", block);
      window.removeEventListener("drop", block);
    };
  }, []);

  return (
    <div className="space-y-6">
      <DropZone onFiles={add} />
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
