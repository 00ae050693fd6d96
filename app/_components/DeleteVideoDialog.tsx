"use client";

import { useState } from "react";
import { ApiError, deleteVideo } from "@/app/_lib/api";
import { ConfirmDialog } from "./ConfirmDialog";

interface DeleteVideoDialogProps {
  /** `title` is what people see; `name`, the file's name, is shown beside a title someone gave */
  video: { id: string; title: string; titled?: boolean; name: string };
  open: boolean;
  onClose: () => void;
  /** called after the server confirmed the delete (a 404 counts: it is gone either way) */
  onDeleted: (id: string) => void;
}

export function DeleteVideoDialog({ video, open, onClose, onDeleted }: DeleteVideoDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteVideo(video.id);
      onDeleted(video.id);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        onDeleted(video.id);
      } else {
        setError(err instanceof ApiError ? err.message : "The video could not be deleted.");
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      open={open}
      title="Delete this video?"
      confirmLabel="Delete"
      busyLabel="Deleting…"
      busy={busy}
      error={error}
      confirmTestId="confirm-delete"
      onConfirm={() => void confirm()}
      onClose={() => {
        setError(null);
        onClose();
      }}
    >
      <p>
        <span className="font-medium break-words text-zinc-100">{video.title}</span>
        {video.titled && <span className="break-all"> (file {video.name})</span>} and everything derived from it
        (poster, thumbnails, search index) will be removed. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
