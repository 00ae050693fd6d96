"use client";

import { useState, type ReactNode } from "react";
import { errorMessage, reprocessVideo, type VideoDto } from "@/app/_lib/api";
import { can, type Role } from "@/lib/auth/roles";
import { ConfirmDialog } from "./ConfirmDialog";
import { useSession } from "./SessionProvider";

/**
 * Who may reprocess what (the server's rule, POST /api/videos/:id/reprocess): a failed
 * video, anyone who may upload; any video that is not already being processed, an admin.
 */
export function mayReprocess(role: Role | null, status: VideoDto["status"]): boolean {
  if (status === "queued" || status === "processing") return false;
  if (status === "failed") return can(role, "videos:upload");
  return can(role, "system:admin");
}

export interface Reprocess {
  /** whether this user may reprocess this video now */
  allowed: boolean;
  /** a ready video asks first (its clips are made again); a failed one starts at once */
  needsConfirm: boolean;
  /** starts it, or opens the confirmation */
  request: () => void;
  busy: boolean;
  /** what went wrong, outside the dialog (null when fine) */
  error: string | null;
  /** the confirmation dialog: render it once, anywhere */
  dialog: ReactNode;
}

/** The "Reprocess" action of a card or the video page. */
export function useReprocess(
  video: Pick<VideoDto, "id" | "title" | "status">,
  onReprocessed: (video: VideoDto) => void,
): Reprocess {
  const { role } = useSession();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const allowed = mayReprocess(role, video.status);
  const needsConfirm = video.status === "ready";

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const next = await reprocessVideo(video.id);
      setConfirming(false);
      onReprocessed(next);
    } catch (err) {
      setError(errorMessage(err, "The video could not be reprocessed."));
    } finally {
      setBusy(false);
    }
  };

  const request = () => {
    setError(null);
    if (needsConfirm) setConfirming(true);
    else void run();
  };

  const dialog =
    allowed || confirming ? (
      <ConfirmDialog
        open={confirming}
        title="Reprocess this video?"
        confirmLabel="Reprocess"
        busyLabel="Starting…"
        busy={busy}
        error={confirming ? error : null}
        tone="primary"
        confirmTestId="confirm-reprocess"
        onConfirm={() => void run()}
        onClose={() => {
          setConfirming(false);
          setError(null);
        }}
      >
        <p>
          <span className="font-medium break-words text-zinc-100">{video.title}</span> is processed again from its file:
          its thumbnails, clips and search index are made anew. Its moments are left out of search until it is ready
          again.
        </p>
      </ConfirmDialog>
    ) : null;

  return { allowed, needsConfirm, request, busy, error: confirming ? null : error, dialog };
}
