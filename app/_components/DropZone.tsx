"use client";

import { useRef, useState, type DragEvent } from "react";
import { SUBTITLE_ACCEPT } from "@/app/_lib/subtitles";
import { UploadIcon } from "./icons";

/** What the file picker offers (videos, and subtitles to go with them); the server decides what is really a video. */
const ACCEPT = `video/*,.mp4,.m4v,.mov,.mkv,.webm,.avi,.wmv,.flv,.mpg,.mpeg,.ts,.mts,.m2ts,.3gp,.ogv,${SUBTITLE_ACCEPT}`;

function hasFiles(e: DragEvent): boolean {
  return Array.from(e.dataTransfer.types).includes("Files");
}

export function DropZone({ onFiles }: { onFiles: (files: File[]) => void }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const depth = useRef(0); // dragenter/leave fire for every child; count them

  return (
    <div
      onDragEnter={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current++;
        setOver(true);
      }}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = "copy";
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        const files = Array.from(e.dataTransfer.files);
        if (files.length) onFiles(files);
      }}
      data-testid="drop-zone"
      data-dragging={over || undefined}
      className={`flex flex-col items-center justify-center rounded-2xl border-2 border-dashed px-6 py-14 text-center transition ${
        over ? "border-indigo-400 bg-indigo-500/10" : "border-zinc-700 bg-zinc-900/40 hover:border-zinc-600"
      }`}
    >
      <div className={`rounded-full p-3 ${over ? "bg-indigo-500/20 text-indigo-300" : "bg-zinc-800 text-zinc-400"}`}>
        <UploadIcon className="size-7" />
      </div>
      <p className="mt-4 text-base font-medium text-zinc-100">
        {over ? "Drop to upload" : "Drag and drop videos here"}
      </p>
      <p className="mt-1 text-sm text-zinc-400">MP4, MOV, MKV, WebM and most other formats ffmpeg can read</p>
      <p className="mt-1 text-sm text-zinc-400" data-testid="drop-zone-subtitles">
        Subtitles: add an .srt or .vtt file with the video&rsquo;s name (talk.mp4 + talk.srt)
      </p>
      <button
        type="button"
        onClick={() => inputRef.current?.click()}
        className="mt-5 min-h-11 rounded-lg bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400 sm:min-h-0"
      >
        Choose files
      </button>
      <input
        ref={inputRef}
        type="file"
        multiple
        accept={ACCEPT}
        className="sr-only"
        tabIndex={-1}
        aria-label="Choose video files (and their .srt or .vtt subtitles) to upload"
        data-testid="upload-input"
        onChange={(e) => {
          const files = Array.from(e.currentTarget.files ?? []);
          e.currentTarget.value = ""; // choosing the same file again still fires change
          if (files.length) onFiles(files);
        }}
      />
    </div>
  );
}
