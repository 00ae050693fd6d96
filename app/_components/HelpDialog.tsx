"use client";

import { useEffect, useRef, type KeyboardEvent, type ReactNode } from "react";
import { CloseIcon } from "./icons";

interface HelpDialogProps {
  /** the dialog's heading, and the id it is named by */
  title: string;
  titleId: string;
  testId: string;
  closeTestId?: string;
  onClose: () => void;
  /**
   * The dialog keeps the keys to itself: none reach the page under it, Escape or ? closes
   * it, Tab stays on the close button, and the focus goes back where it was afterwards.
   * Without it the page's own key handler closes it.
   */
  ownKeys?: boolean;
  children: ReactNode;
}

/** A list of keyboard shortcuts over the page; a click beside it or the close button closes it. */
export function HelpDialog({
  title,
  titleId,
  testId,
  closeTestId,
  onClose,
  ownKeys = false,
  children,
}: HelpDialogProps) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement;
    closeRef.current?.focus();
    return () => {
      if (ownKeys && before instanceof HTMLElement && before.isConnected) before.focus();
    };
  }, [ownKeys]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    e.stopPropagation();
    if (e.key === "Escape" || e.key === "?") {
      e.preventDefault();
      onClose();
    } else if (e.key === "Tab") {
      // the close button is the only thing to focus in here
      e.preventDefault();
      closeRef.current?.focus();
    }
  };

  return (
    <div
      className="fixed inset-0 z-50 flex items-center justify-center bg-black/70 p-4"
      onClick={onClose}
      onKeyDown={ownKeys ? onKeyDown : undefined}
    >
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid={testId}
        onClick={(e) => e.stopPropagation()}
        className="max-h-full w-full max-w-md overflow-y-auto rounded-xl border border-zinc-700 bg-zinc-900 p-5 text-left shadow-2xl"
      >
        <div className="mb-3 flex items-center justify-between gap-4">
          <h2 id={titleId} className="text-lg font-semibold text-zinc-100">
            {title}
          </h2>
          <button
            ref={closeRef}
            type="button"
            onClick={onClose}
            aria-label="Close"
            data-testid={closeTestId}
            className="inline-flex min-h-11 min-w-11 items-center justify-center rounded-md p-1 text-zinc-300 hover:bg-zinc-800 hover:text-zinc-100 sm:min-h-0 sm:min-w-0"
          >
            <CloseIcon className="size-4" />
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}
