import Link from "next/link";
import { canRetry, type SubtitleAttachment, type UploadItem } from "@/app/_lib/useUploads";
import { cueCount } from "@/app/_lib/subtitles";
import { formatBytes, formatEta, formatPercent, formatTime } from "@/app/_lib/format";
import { CaptionsIcon, CheckIcon, CloseIcon, ErrorIcon, FilmIcon, WarningIcon } from "./icons";
import { ProgressBar } from "./ProgressBar";

interface UploadRowProps {
  item: UploadItem;
  onCancel: (key: string) => void;
  onRetry: (key: string) => void;
  onDismiss: (key: string) => void;
}

const CLOSE =
  "flex min-h-11 min-w-11 shrink-0 items-center justify-center rounded-md text-zinc-400 hover:bg-zinc-800 hover:text-zinc-200 focus-visible:outline-2 focus-visible:outline-indigo-400 sm:min-h-7 sm:min-w-7";

const ACTION =
  "inline-flex min-h-11 items-center rounded-md px-2 text-xs font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-400 sm:min-h-7";

function describe(item: UploadItem): { text: string; tone: string } {
  const v = item.video;
  switch (item.status) {
    case "pending":
      return { text: "Waiting to upload…", tone: "text-zinc-400" };
    case "uploading":
      return {
        text: `Uploading… ${formatPercent((item.loaded / Math.max(1, item.file.size)) * 100)}`,
        tone: "text-zinc-300",
      };
    case "processing": {
      const eta = v?.status === "processing" ? formatEta(v.etaSeconds) : null;
      return {
        text: `${item.outcome === "duplicate" ? "Already in the library · " : "Added · "}${
          v?.status === "queued" ? "Queued for processing" : `Processing ${formatPercent(v?.progress ?? 0)}`
        }${eta ? ` · ${eta}` : ""}`,
        tone: "text-sky-300",
      };
    }
    case "ready":
      return {
        text: item.outcome === "duplicate" ? "Already in the library · Ready" : "Ready",
        tone: "text-emerald-300",
      };
    case "failed":
      return {
        text: `Processing failed${v?.error || item.error ? `: ${v?.error ?? item.error}` : ""}`,
        tone: "text-rose-300",
      };
    case "error":
      return { text: item.error ?? "The upload failed.", tone: "text-rose-300" };
  }
}

/** What became of the subtitle file that goes with the video. */
function describeSubtitle(sub: SubtitleAttachment, item: UploadItem): { text: string; tone: string } {
  const name = sub.file.name;
  switch (sub.status) {
    case "waiting":
      return {
        text:
          item.status === "error"
            ? `Subtitles ${name} wait for the video: retry its upload to attach them.`
            : `Subtitles ${name} will be attached once the upload is done.`,
        tone: "text-zinc-400",
      };
    case "sending":
      return { text: `Attaching subtitles ${name}…`, tone: "text-zinc-300" };
    case "attached":
      return { text: `Subtitles attached (${cueCount(sub.cues ?? 0)}) from ${name}`, tone: "text-emerald-300" };
    case "error":
      return {
        text: `Subtitles ${name} not attached: ${sub.error ?? "the server refused them."} Drop a corrected file to try again.`,
        tone: "text-rose-300",
      };
  }
}

export function UploadRow({ item, onCancel, onRetry, onDismiss }: UploadRowProps) {
  const { text, tone } = describe(item);
  const v = item.video;
  const uploading = item.status === "uploading" || item.status === "pending";
  const showBar = uploading || item.status === "processing";
  // processing failed on a video that still exists: run it again rather than upload it again
  const reprocesses = item.status === "failed" && v !== null;

  return (
    <li
      data-testid="upload-row"
      data-status={item.status}
      data-outcome={item.outcome ?? undefined}
      data-http-status={item.httpStatus ?? undefined}
      data-video-id={v?.id}
      className="flex items-start gap-3 rounded-xl border border-zinc-800 bg-zinc-900/60 p-3"
    >
      <div className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-zinc-800 text-zinc-400">
        {item.status === "ready" ? (
          <CheckIcon className="size-5 text-emerald-400" />
        ) : item.status === "error" || item.status === "failed" ? (
          <ErrorIcon className="size-5 text-rose-400" />
        ) : (
          <FilmIcon className="size-5" />
        )}
      </div>
      <div className="min-w-0 flex-1 space-y-1.5">
        <div className="flex items-baseline justify-between gap-3">
          <p className="truncate text-sm font-medium text-zinc-100" title={item.file.name}>
            {item.file.name}
          </p>
          <span className="shrink-0 text-xs tabular-nums text-zinc-400">
            {formatBytes(item.file.size)}
            {v?.duration != null && ` · ${formatTime(v.duration)}`}
          </span>
        </div>
        {showBar && (
          <ProgressBar
            value={uploading ? (item.loaded / Math.max(1, item.file.size)) * 100 : (v?.progress ?? 0)}
            label={`${uploading ? "Uploading" : "Processing"} ${item.file.name}`}
            tone={uploading ? "accent" : "processing"}
          />
        )}
        <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1">
          <p className={`text-xs ${tone}`} data-testid="upload-message">
            {item.httpStatus && item.status === "error" ? (
              <span className="sr-only">HTTP {item.httpStatus}: </span>
            ) : null}
            {text}
          </p>
          <div className="flex flex-wrap items-center gap-1">
            {canRetry(item) && (
              <button
                type="button"
                onClick={() => onRetry(item.key)}
                aria-label={`${reprocesses ? "Reprocess" : "Retry"} ${item.file.name}`}
                data-testid="upload-retry"
                className={`${ACTION} text-indigo-300 ring-1 ring-indigo-400/40 hover:bg-indigo-500/10 hover:text-indigo-200`}
              >
                {reprocesses ? "Reprocess" : "Retry"}
              </button>
            )}
            {v && item.status !== "error" && (
              <Link
                href={`/videos/${v.id}`}
                className={`${ACTION} text-indigo-300 hover:text-indigo-200`}
                data-testid="upload-link"
              >
                {item.status === "ready" ? "Open video" : "View"}
              </Link>
            )}
          </div>
        </div>
        {item.retryError && (
          <p role="alert" className="text-xs text-rose-300" data-testid="upload-retry-error">
            {item.retryError}
          </p>
        )}
        {item.subtitle && <SubtitleLine item={item} sub={item.subtitle} />}
        {v?.warning && item.status === "ready" && (
          <p className="flex gap-1.5 text-xs text-amber-300">
            <WarningIcon className="mt-px size-3.5 shrink-0" />
            {v.warning}
          </p>
        )}
      </div>
      {uploading && (
        <button
          type="button"
          onClick={() => onCancel(item.key)}
          aria-label={`Cancel upload of ${item.file.name}`}
          className={CLOSE}
        >
          <CloseIcon className="size-4" />
        </button>
      )}
      {canRetry(item) && (
        <button
          type="button"
          onClick={() => onDismiss(item.key)}
          aria-label={`Dismiss ${item.file.name}`}
          data-testid="upload-dismiss"
          className={CLOSE}
        >
          <CloseIcon className="size-4" />
        </button>
      )}
    </li>
  );
}

function SubtitleLine({ item, sub }: { item: UploadItem; sub: SubtitleAttachment }) {
  const { text, tone } = describeSubtitle(sub, item);
  return (
    <p
      role="status"
      className={`flex gap-1.5 text-xs ${tone}`}
      data-testid="upload-subtitles"
      data-status={sub.status}
      data-cues={sub.cues ?? undefined}
    >
      {sub.status === "error" ? (
        <ErrorIcon className="mt-px size-3.5 shrink-0" />
      ) : (
        <CaptionsIcon className="mt-px size-3.5 shrink-0" />
      )}
      <span className="min-w-0 break-words">{text}</span>
    </p>
  );
}
