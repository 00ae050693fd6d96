"use client";

import { useState } from "react";
import { ApiError, deleteVideo, errorMessage } from "@/app/_lib/api";
import { ConfirmDialog } from "./ConfirmDialog";

interface BulkDeleteDialogProps {
  videos: readonly { id: string; title: string }[];
  open: boolean;
  onClose: () => void;
  /**
   * After every delete was answered: the ids now gone (a 404 counts: gone either way) and
   * those that failed. The dialog stays open when some failed, listing why.
   */
  onDone: (deleted: string[], failed: string[]) => void;
}

/** Deletes running at once: a few, so a long selection neither crawls nor floods the server. */
const CONCURRENCY = 3;
/** titles named in the dialog; the rest are counted */
const LISTED = 5;

interface Failure {
  id: string;
  title: string;
  message: string;
}

function plural(n: number, one: string, many: string = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** One confirmation for the selected videos, then DELETE /api/videos/:id for each, reporting failures. */
export function BulkDeleteDialog({ videos, open, onClose, onDone }: BulkDeleteDialogProps) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(0);
  const [failures, setFailures] = useState<Failure[]>([]);
  const [deletedCount, setDeletedCount] = useState(0);

  const confirm = async () => {
    setBusy(true);
    setDone(0);
    setFailures([]);
    const deleted: string[] = [];
    const failed: Failure[] = [];
    const todo = [...videos];
    const worker = async () => {
      for (let v = todo.shift(); v; v = todo.shift()) {
        try {
          await deleteVideo(v.id);
          deleted.push(v.id);
        } catch (err) {
          if (err instanceof ApiError && err.status === 404) deleted.push(v.id);
          else failed.push({ id: v.id, title: v.title, message: errorMessage(err, "The video could not be deleted.") });
        }
        setDone((d) => d + 1);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, todo.length) }, worker));
    setBusy(false);
    setDeletedCount(deleted.length);
    setFailures(failed);
    onDone(
      deleted,
      failed.map((f) => f.id),
    );
  };

  const n = videos.length;
  const listed = videos.slice(0, LISTED);
  const error =
    failures.length > 0
      ? `${plural(deletedCount, "video")} deleted; ${plural(failures.length, "video")} could not be deleted.`
      : null;

  return (
    <ConfirmDialog
      open={open}
      title={`Delete ${plural(n, "video")}?`}
      confirmLabel={failures.length > 0 ? "Try again" : `Delete ${plural(n, "video")}`}
      busyLabel={`Deleting ${Math.min(done + 1, n)} of ${n}…`}
      busy={busy}
      error={error}
      confirmTestId="confirm-bulk-delete"
      onConfirm={() => void confirm()}
      onClose={() => {
        setFailures([]);
        onClose();
      }}
    >
      {failures.length > 0 ? (
        <ul className="space-y-1" data-testid="bulk-delete-failures">
          {failures.map((f) => (
            <li key={f.id}>
              <span className="font-medium break-words text-zinc-100">{f.title}</span>: {f.message}
            </li>
          ))}
        </ul>
      ) : (
        <>
          <p>
            These {plural(n, "video")} and everything derived from them (posters, thumbnails, search index) will be
            removed. This cannot be undone.
          </p>
          <ul className="mt-2 list-disc space-y-0.5 pl-5">
            {listed.map((v) => (
              <li key={v.id} className="break-words text-zinc-100">
                {v.title}
              </li>
            ))}
            {n > LISTED && <li className="list-none text-zinc-400">and {plural(n - LISTED, "more video")}</li>}
          </ul>
        </>
      )}
    </ConfirmDialog>
  );
}
