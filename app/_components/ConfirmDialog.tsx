"use client";

import { useModalDialog } from "@/app/_lib/useModalDialog";
import { useId, type ReactNode } from "react";

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** the safe choice's label (default "Cancel"; another when the action itself is a cancellation) */
  cancelLabel?: string;
  /** label while onConfirm runs */
  busyLabel?: string;
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onClose: () => void;
  /** test id of the confirm button */
  confirmTestId?: string;
  /** "danger" (default): the confirm button is red; "primary": a change that destroys nothing */
  tone?: "danger" | "primary";
}

/**
 * A modal confirmation built on <dialog>.showModal(): the browser traps focus, makes the
 * page inert, closes on Escape and restores focus to the opener on close. The safe
 * choice (Cancel) gets the initial focus.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  cancelLabel = "Cancel",
  busyLabel,
  busy = false,
  error,
  onConfirm,
  onClose,
  confirmTestId,
  tone = "danger",
}: ConfirmDialogProps) {
  const ref = useModalDialog(open);
  const titleId = useId();
  const bodyId = useId();

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      data-testid="confirm-dialog"
      onCancel={(e) => {
        e.preventDefault(); // Escape: let the parent decide (keeps `open` the single source of truth)
        if (!busy) onClose();
      }}
      onClick={(e) => {
        if (e.target === e.currentTarget && !busy) onClose(); // backdrop click
      }}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl border border-zinc-700 bg-zinc-900 p-0 text-zinc-100 shadow-2xl backdrop:bg-black/70 backdrop:backdrop-blur-sm"
    >
      {open && (
        <div className="p-6">
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          <div id={bodyId} className="mt-2 text-sm text-zinc-300">
            {children}
          </div>
          {error && (
            <p role="alert" className="mt-3 rounded-md bg-rose-500/10 px-3 py-2 text-sm text-rose-300">
              {error}
            </p>
          )}
          <div className="mt-6 flex justify-end gap-3">
            <button
              type="button"
              autoFocus
              onClick={onClose}
              disabled={busy}
              className="min-h-11 rounded-lg px-4 py-2 text-sm font-medium text-zinc-200 ring-1 ring-zinc-600 hover:bg-zinc-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400 disabled:opacity-50 sm:min-h-0"
            >
              {cancelLabel}
            </button>
            <button
              type="button"
              onClick={onConfirm}
              disabled={busy}
              data-testid={confirmTestId}
              className={`min-h-11 rounded-lg px-4 py-2 text-sm font-medium text-white focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400 disabled:opacity-60 sm:min-h-0 ${
                tone === "danger" ? "bg-rose-600 hover:bg-rose-500" : "bg-indigo-600 hover:bg-indigo-500"
              }`}
            >
              {busy ? (busyLabel ?? confirmLabel) : confirmLabel}
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}
