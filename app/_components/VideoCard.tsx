"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import type { VideoDto } from "@/app/_lib/api";
import {
  formatBytes,
  formatDateFull,
  formatEta,
  formatPercent,
  formatRelative,
  formatResolution,
  formatTime,
  formatTimeLong,
} from "@/app/_lib/format";
import { CardMenu } from "./CardMenu";
import { CcBadge } from "./CcBadge";
import { DeleteVideoDialog } from "./DeleteVideoDialog";
import { ErrorIcon, WarningIcon } from "./icons";
import { PosterImage } from "./PosterImage";
import { ProgressBar } from "./ProgressBar";
import { useCan } from "./SessionProvider";
import { StatusBadge } from "./StatusBadge";
import { TitleEditor } from "./TitleEditor";
import { useReprocess } from "./useReprocess";

interface VideoCardProps {
  video: VideoDto;
  onDeleted: (id: string) => void;
  /** the server's newer copy after a rename or a reprocess */
  onChanged: (video: VideoDto) => void;
  /** absent: no checkbox (the role has nothing to do with a selection) */
  selection?: { selected: boolean; onChange: (id: string, selected: boolean) => void };
}

/** Text that stays readable and hoverable above the card's whole-card link. */
const ABOVE_LINK = "relative z-10";

export function VideoCard({ video, onDeleted, onChanged, selection }: VideoCardProps) {
  const [confirming, setConfirming] = useState(false);
  const [editing, setEditing] = useState(false);
  const canDelete = useCan("videos:delete");
  const canRename = useCan("videos:upload");
  const reprocess = useReprocess(video, onChanged);
  const linkRef = useRef<HTMLAnchorElement>(null);
  const restoreFocus = useRef(false);
  const href = `/videos/${video.id}`;
  const metaId = `${video.id}-meta`;
  const busy = video.status === "queued" || video.status === "processing";
  const resolution = formatResolution(video.width, video.height);
  const eta = video.status === "processing" ? formatEta(video.etaSeconds) : null;
  const added = formatRelative(video.createdAt);

  // after renaming (or not), the focus goes back to the title it stood in for
  useEffect(() => {
    if (!editing && restoreFocus.current) {
      restoreFocus.current = false;
      linkRef.current?.focus();
    }
  }, [editing]);

  const stopEditing = () => {
    restoreFocus.current = true;
    setEditing(false);
  };

  return (
    <article
      data-testid="video-card"
      data-status={video.status}
      data-video-id={video.id}
      data-selected={selection ? String(selection.selected) : undefined}
      className={`group relative flex w-full flex-col rounded-xl border bg-zinc-900/60 transition focus-within:border-zinc-600 ${
        selection?.selected ? "border-indigo-400 ring-1 ring-indigo-400" : "border-zinc-800 hover:border-zinc-700"
      }`}
    >
      <div className="relative aspect-video overflow-hidden rounded-t-xl bg-zinc-800">
        <PosterImage
          url={video.urls.poster}
          sizes="(min-width: 1280px) 25vw, (min-width: 768px) 33vw, (min-width: 640px) 50vw, 100vw"
          className="object-cover transition duration-300 group-hover:scale-[1.02] motion-reduce:transition-none motion-reduce:group-hover:scale-100"
        />
        {video.duration != null && (
          <span className="absolute right-2 bottom-2 rounded bg-black/75 px-1.5 py-0.5 text-xs font-medium tabular-nums text-white">
            <span aria-hidden="true">{formatTime(video.duration)}</span>
            <span className="sr-only">{formatTimeLong(video.duration)}</span>
          </span>
        )}
      </div>
      <div className="flex flex-1 flex-col gap-2 p-3">
        {editing ? (
          <TitleEditor
            video={video}
            inputClassName="text-sm"
            className={ABOVE_LINK}
            onCancel={stopEditing}
            onSaved={(v) => {
              onChanged(v);
              stopEditing();
            }}
          />
        ) : (
          <h2 className="text-sm leading-snug font-medium text-zinc-100 group-hover:text-white">
            <Link
              ref={linkRef}
              href={href}
              title={video.titled ? `${video.title} (${video.name})` : video.title}
              aria-describedby={metaId}
              data-testid="video-card-title"
              // the whole card is the link (its ::after covers it); controls sit above it
              className="break-words after:absolute after:inset-0 after:rounded-xl after:content-[''] focus:outline-none focus-visible:after:outline-2 focus-visible:after:outline-offset-2 focus-visible:after:outline-indigo-400"
            >
              <span className="line-clamp-2">{video.title}</span>
            </Link>
          </h2>
        )}
        <div id={metaId} className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-zinc-400">
          <StatusBadge status={video.status} />
          {video.hasText && <CcBadge />}
          {resolution && <span>{resolution}</span>}
          <span>{formatBytes(video.bytes)}</span>
          {added && (
            <span className={ABOVE_LINK}>
              Added{" "}
              <time
                dateTime={video.createdAt}
                title={formatDateFull(video.createdAt) ?? undefined}
                data-testid="video-added"
              >
                {added}
              </time>
            </span>
          )}
        </div>
        {busy && (
          <div className="space-y-1">
            <div className="flex items-center gap-2">
              <ProgressBar
                value={video.progress}
                label={`${video.status === "queued" ? "Queued" : "Processing"} ${video.title}`}
                tone="processing"
              />
              <span className="w-9 text-right text-xs tabular-nums text-zinc-400">{formatPercent(video.progress)}</span>
            </div>
            {eta && (
              <p className="text-xs text-zinc-400" data-testid="video-eta">
                {eta}
              </p>
            )}
          </div>
        )}
        {video.status === "failed" && video.error && (
          <p className={`flex gap-1.5 text-xs text-rose-300 ${ABOVE_LINK}`} data-testid="video-error">
            <ErrorIcon className="mt-px size-3.5 shrink-0" />
            <span className="line-clamp-2" title={video.error}>
              {video.error}
            </span>
          </p>
        )}
        {video.warning && (
          <p className={`flex gap-1.5 text-xs text-amber-300 ${ABOVE_LINK}`} data-testid="video-warning">
            <WarningIcon className="mt-px size-3.5 shrink-0" />
            <span className="line-clamp-2" title={video.warning}>
              {video.warning}
            </span>
          </p>
        )}
        {reprocess.error && (
          <p role="alert" className={`text-xs text-rose-300 ${ABOVE_LINK}`} data-testid="card-action-error">
            {reprocess.error}
          </p>
        )}
      </div>
      {selection && (
        <label
          className="absolute top-2 left-2 z-10 flex min-h-11 min-w-11 cursor-pointer items-center justify-center rounded-lg bg-black/60 backdrop-blur has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-indigo-400 sm:min-h-8 sm:min-w-8"
          data-testid="select-video-label"
        >
          <input
            type="checkbox"
            checked={selection.selected}
            onChange={(e) => selection.onChange(video.id, e.currentTarget.checked)}
            aria-label={`Select ${video.title}`}
            data-testid="select-video"
            className="size-4 cursor-pointer accent-indigo-500 focus:outline-none"
          />
        </label>
      )}
      <div className="absolute top-2 right-2 z-10 opacity-100 transition sm:opacity-0 sm:group-hover:opacity-100 sm:group-focus-within:opacity-100 sm:has-[[aria-expanded=true]]:opacity-100">
        <CardMenu
          videoName={video.title}
          href={href}
          fileUrl={video.urls.file}
          onRename={canRename ? () => setEditing(true) : undefined}
          reprocess={reprocess.allowed ? { onSelect: reprocess.request, confirm: reprocess.needsConfirm } : undefined}
          onDelete={canDelete ? () => setConfirming(true) : undefined}
        />
      </div>
      {reprocess.dialog}
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
