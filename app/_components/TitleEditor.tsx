"use client";

import { useId, useState, type FormEvent, type KeyboardEvent } from "react";
import { errorMessage, renameVideo, type VideoDto } from "@/app/_lib/api";

interface TitleEditorProps {
  video: Pick<VideoDto, "id" | "title" | "titled" | "name">;
  /** after the server saved it; may return a promise (the editor stays busy until it settles) */
  onSaved: (video: VideoDto) => void | Promise<void>;
  onCancel: () => void;
  /** classes of the text field (the size of the title it stands in for) */
  inputClassName?: string;
  className?: string;
}

const BUTTON =
  "inline-flex min-h-11 items-center rounded-lg px-3 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400 disabled:opacity-60 sm:min-h-8";

/**
 * Renames a video in place: Enter saves, Escape cancels. An empty title goes back to the
 * file name (without its extension). Errors stay in the editor, with the text as typed.
 */
export function TitleEditor({ video, onSaved, onCancel, inputClassName = "", className = "" }: TitleEditorProps) {
  const [value, setValue] = useState(video.title);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();
  const hintId = useId();

  const save = async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy) return;
    const next = value.replace(/\s+/g, " ").trim();
    if (next === video.title || (next === "" && !video.titled)) {
      onCancel(); // nothing changed
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = await renameVideo(video.id, next === "" ? null : next);
      await onSaved(saved);
    } catch (err) {
      setError(errorMessage(err, "The title could not be saved."));
      setBusy(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      if (!busy) onCancel();
    }
  };

  return (
    <form onSubmit={(e) => void save(e)} className={`space-y-2 ${className}`} data-testid="title-editor">
      <input
        type="text"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={onKeyDown}
        // the editor opens on request: its field takes the focus
        autoFocus
        onFocus={(e) => e.currentTarget.select()}
        maxLength={255}
        disabled={busy}
        aria-label="Title"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${errorId} ${hintId}` : hintId}
        placeholder={video.name}
        data-testid="title-input"
        className={`w-full min-w-0 rounded-md border border-zinc-600 bg-zinc-950 px-2 py-1 text-zinc-100 placeholder:text-zinc-400 focus:border-indigo-400 focus:ring-2 focus:ring-indigo-500/40 focus:outline-none disabled:opacity-70 ${inputClassName}`}
      />
      <p id={hintId} className="text-xs text-zinc-400">
        Enter saves, Escape cancels. Empty: the file name.
      </p>
      {error && (
        <p id={errorId} role="alert" className="text-xs text-rose-300" data-testid="title-error">
          {error}
        </p>
      )}
      <div className="flex gap-2">
        <button type="submit" disabled={busy} className={`${BUTTON} bg-indigo-600 text-white hover:bg-indigo-500`}>
          {busy ? "Saving…" : "Save"}
        </button>
        <button
          type="button"
          onClick={onCancel}
          disabled={busy}
          className={`${BUTTON} text-zinc-200 ring-1 ring-zinc-600 hover:bg-zinc-800`}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}
