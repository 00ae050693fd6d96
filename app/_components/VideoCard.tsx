"use client";

import Link from "next/link";
import { useState } from "react";
import type { VideoDto } from "@/app/_lib/api";
import { formatBytes, formatPercent, formatResolution, formatTime, formatTimeLong } from "@/app/_lib/format";
import { CardMenu } from "./CardMenu";
import { DeleteVideoDialog } from "./DeleteVideoDialog";
import { ErrorIcon, WarningIcon } from "./icons";
import { PosterImage } from "./PosterImage";
import { ProgressBar } from "./ProgressBar";
import { useCan } from "./SessionProvider";
import { StatusBadge } from "./StatusBadge";

interface VideoCardProps {
  video: VideoDto;
  onDeleted: (id: string) => void;
}

export function VideoCard({ video, onDeleted }: VideoCardProps) {
  const [confirming, setConfirming] = useState(false);
  const canDelete = useCan("videos:delete");
  const href = `/videos/${video.id}`;
  const busy = video.status === "queued" || video.status === "processing";
  const resolution = formatResolution(video.width, video.height);

  return (
    <article
      data-testid="video-card"
      data-status={video.status}
      data-video-id={video.id}
      className="group relative flex w-full flex-col rounded-xl border border-zinc-800 bg-zinc-900/60 transition hover:border-zinc-700 focus-within:border-zinc-600"
    >
      <Link href={href} className="flex flex-1 flex-col rounded-xl focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400" aria-describedby={`${video.id}-meta`}>
        <div className="relative aspect-video overflow-hidden rounded-t-xl bg-zinc-800">
          <PosterImage
            url={video.urls.poster}
            sizes="(min-width: 1280px) 25vw, (min-width: 768px) 33vw, (min-width: 640px) 50vw, 100vw"
            className="object-cover transition duration-300 group-hover:scale-[1.02]"
          />
          {video.duration != null && (
            <span className="absolute right-2 bottom-2 rounded bg-black/75 px-1.5 py-0.5 text-xs font-medium tabular-nums text-white">
              <span aria-hidden="true">{formatTime(video.duration)}</span>
              <span className="sr-only">{formatTimeLong(video.duration)}</span>
            </span>
          )}
        </div>
        <div className="flex flex-1 flex-col gap-2 p-3">
          <h3 className="truncate text-sm font-medium text-zinc-100 group-hover:text-white" title={video.name}>
            {video.name}
          </h3>
          <div id={`${video.id}-meta`} className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-zinc-400">
            <StatusBadge status={video.status} />
            {resolution && <span>{resolution}</span>}
            <span>{formatBytes(video.bytes)}</span>
          </div>
          {busy && (
            <div className="flex items-center gap-2">
              <ProgressBar
                value={video.progress}
                label={`${video.status === "queued" ? "Queued" : "Processing"} ${video.name}`}
                tone="processing"
              />
              <span className="w-9 text-right text-xs tabular-nums text-zinc-400">{formatPercent(video.progress)}</span>
            </div>
          )}
          {video.status === "failed" && video.error && (
            <p className="flex gap-1.5 text-xs text-rose-300" data-testid="video-error">
              <ErrorIcon className="mt-px size-3.5 shrink-0" />
              <span className="line-clamp-2" title={video.error}>
                {video.error}
              </span>
            </p>
          )}
          {video.warning && (
            <p className="flex gap-1.5 text-xs text-amber-300" data-testid="video-warning">
              <WarningIcon className="mt-px size-3.5 shrink-0" />
              <span className="line-clamp-2" title={video.warning}>
                {video.warning}
              </span>
            </p>
          )}
        </div>
      </Link>
      <div className="absolute top-2 right-2 opacity-100 transition sm:opacity-0 sm:group-hover:opacity-100 sm:group-focus-within:opacity-100 sm:has-[[aria-expanded=true]]:opacity-100">
        <CardMenu
          videoName={video.name}
          href={href}
          fileUrl={video.urls.file}
          onDelete={canDelete ? () => setConfirming(true) : undefined}
        />
      </div>
      {canDelete && (
        <DeleteVideoDialog
          video={video}
          open={confirming}
          onClose={() => setConfirming(false)}
          onDeleted={(id) => {
            setConfirming(false);
            onDeleted(id);
          }}
        />
      )}
    </article>
  );
}
