"use client";

import { useEffect, useRef, useState } from "react";
import type { VideoDto } from "@/app/_lib/api";
import { useCan } from "./SessionProvider";
import { TitleEditor } from "./TitleEditor";

interface VideoTitleProps {
  video: VideoDto;
  /** after a rename was saved: fetch the video again (resolves once it shows) */
  onRenamed: (video: VideoDto) => Promise<void> | void;
}

/** The video page's h1: the title (file name beside a given title), renamed in place by annotators and admins. */
export function VideoTitle({ video, onRenamed }: VideoTitleProps) {
  const canRename = useCan("videos:upload");
  const [editing, setEditing] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const restoreFocus = useRef(false);

  useEffect(() => {
    if (!editing && restoreFocus.current) {
      restoreFocus.current = false;
      buttonRef.current?.focus();
    }
  }, [editing]);

  const stop = () => {
    restoreFocus.current = true;
    setEditing(false);
  };

  if (editing) {
    return (
      <>
        {/* the page keeps its heading while the title is a text field */}
        <h1 className="sr-only">{video.title}</h1>
        <TitleEditor
          video={video}
          inputClassName="text-xl font-semibold sm:text-2xl"
          className="w-full max-w-2xl"
          onCancel={stop}
          onSaved={async (v) => {
            await onRenamed(v);
            stop();
          }}
        />
      </>
    );
  }

  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h1 className="text-2xl font-semibold tracking-tight break-words" data-testid="video-title">
          {video.title}
        </h1>
        {canRename && (
          <button
            ref={buttonRef}
            type="button"
            onClick={() => setEditing(true)}
            data-testid="rename-title"
            className="inline-flex min-h-11 items-center rounded-md px-2 text-sm font-medium text-indigo-300 hover:bg-zinc-800 hover:text-indigo-200 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400 sm:min-h-8"
          >
            Rename
          </button>
        )}
      </div>
      {video.titled && (
        <p className="text-sm break-all text-zinc-400" data-testid="video-file-name">
          File: {video.name}
        </p>
      )}
    </div>
  );
}
