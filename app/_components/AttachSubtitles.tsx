"use client";

import { useRef, useState } from "react";
import { attachSubtitles, errorMessage } from "@/app/_lib/api";
import { cueCount, isSubtitleFile, SUBTITLE_ACCEPT } from "@/app/_lib/subtitles";
import { CaptionsIcon } from "./icons";

/** The server's own limit (lib/videos/service.ts): checked here first, to say so without sending 10 MiB. */
const MAX_BYTES = 10 * 1024 * 1024;

type Result = { ok: true; text: string } | { ok: false; text: string } | null;

/**
 * "Attach subtitles" on a video's page (annotators and admins): a file picker for an
 * .srt/.vtt that replaces the video's subtitles (its on-screen text stays). Says how many
 * cues were kept, or why the file was refused.
 */
export function AttachSubtitles({ videoId, onAttached }: { videoId: string; onAttached: (cues: number) => void }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result>(null);

  const send = async (file: File) => {
    if (!isSubtitleFile(file.name)) {
      setResult({ ok: false, text: `${file.name} is not a subtitle file: choose an .srt or .vtt file.` });
      return;
    }
    if (file.size > MAX_BYTES) {
      setResult({ ok: false, text: `${file.name} is larger than the 10 MiB subtitle files may be.` });
      return;
    }
    setBusy(true);
    setResult(null);
    try {
      const cues = await attachSubtitles(videoId, file);
      setResult({ ok: true, text: `Subtitles attached (${cueCount(cues)}) from ${file.name}` });
      onAttached(cues);
    } catch (err) {
      setResult({
        ok: false,
        text: `${file.name} was not attached: ${errorMessage(err, "the server could not be reached.")}`,
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        onClick={() => inputRef.current?.click()}
        disabled={busy}
        title="An .srt or .vtt file; it replaces the video's subtitles, if it has any"
        data-testid="attach-subtitles-button"
        className="inline-flex min-h-11 items-center gap-2 rounded-lg px-3 py-2 text-sm font-medium text-zinc-100 ring-1 ring-zinc-600 hover:bg-zinc-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400 disabled:opacity-60 sm:min-h-0"
      >
        <CaptionsIcon className="size-4" />
        {busy ? "Attaching subtitles…" : "Attach subtitles"}
      </button>
      <input
        ref={inputRef}
        type="file"
        accept={SUBTITLE_ACCEPT}
        className="sr-only"
        tabIndex={-1}
        aria-label="Choose a subtitle file (.srt or .vtt) to attach"
        data-testid="attach-subtitles-input"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = ""; // the same file again still fires change
          if (file) void send(file);
        }}
      />
      {result && (
        <p
          role={result.ok ? "status" : "alert"}
          data-testid="attach-subtitles-result"
          data-ok={result.ok}
          className={`basis-full text-right text-xs ${result.ok ? "text-emerald-300" : "text-rose-300"}`}
        >
          {result.text}
        </p>
      )}
    </>
  );
}
