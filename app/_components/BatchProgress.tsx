import Link from "next/link";
import type { BatchDto, BatchStatus } from "@/app/_lib/datasets-api";
import { formatRelative } from "@/app/_lib/format";
import { ProgressBar } from "./ProgressBar";

const STATUS: Record<BatchStatus, { label: string; className: string }> = {
  queued: { label: "Queued", className: "bg-zinc-700/60 text-zinc-200 ring-zinc-500/40" },
  running: { label: "Running", className: "bg-sky-500/15 text-sky-300 ring-sky-400/30" },
  done: { label: "Done", className: "bg-emerald-500/15 text-emerald-300 ring-emerald-400/30" },
  failed: { label: "Failed", className: "bg-rose-500/15 text-rose-300 ring-rose-400/30" },
};

export function BatchStatusBadge({ status }: { status: BatchStatus }) {
  const s = STATUS[status];
  return (
    <span
      data-testid="batch-status"
      className={`inline-flex shrink-0 items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${s.className}`}
    >
      {status === "running" && <span className="size-1.5 animate-pulse rounded-full bg-sky-400" aria-hidden="true" />}
      {s.label}
    </span>
  );
}

interface BatchProgressProps {
  batch: BatchDto;
  /** show the batch's name and age above the bar (lists); off where the context names it */
  showName?: boolean;
  className?: string;
}

/**
 * A batch of predictions: status, a bar of the pairs settled (done + failed) out of the
 * total, the failures with their first errors, and the way to the review queue once done.
 */
export function BatchProgress({ batch, showName = true, className = "" }: BatchProgressProps) {
  const settled = batch.done + batch.failed;
  const percent = batch.total > 0 ? (settled / batch.total) * 100 : batch.status === "done" ? 100 : 0;
  const tone = batch.status === "failed" ? "danger" : batch.status === "done" ? "success" : "accent";
  const age = formatRelative(batch.createdAt);
  return (
    <div
      data-testid="batch-progress"
      data-batch-id={batch.id}
      data-status={batch.status}
      data-done={batch.done}
      data-failed={batch.failed}
      data-total={batch.total}
      className={`space-y-2 ${className}`}
    >
      <div className="flex items-start justify-between gap-3">
        {showName ? (
          <p className="min-w-0 text-sm">
            <span className="block truncate font-medium text-zinc-100" title={batch.name} data-testid="batch-name">
              {batch.name}
            </span>
            {age && <span className="text-xs text-zinc-400">added {age}</span>}
          </p>
        ) : (
          <p className="text-xs font-medium text-zinc-300">Predictions</p>
        )}
        <BatchStatusBadge status={batch.status} />
      </div>
      <ProgressBar value={percent} label={`Predictions for ${batch.name}`} tone={tone} />
      <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 text-xs">
        <p className="tabular-nums text-zinc-300" data-testid="batch-counts">
          {settled} of {batch.total} predicted
          {batch.failed > 0 && <span className="text-rose-300"> · {batch.failed} failed</span>}
          {batch.status === "queued" && (
            <span className="text-zinc-400"> · waiting for a worker (and for videos still processing)</span>
          )}
        </p>
        {batch.status === "done" && batch.done > 0 && (
          <Link
            href="/review"
            className="inline-flex items-center font-medium text-indigo-300 underline-offset-2 hover:text-indigo-200 hover:underline max-sm:min-h-11"
            data-testid="batch-review-link"
          >
            Review the predictions
          </Link>
        )}
      </div>
      {batch.error && (
        <p className="text-xs text-rose-300" role="alert">
          {batch.error}
        </p>
      )}
      {batch.failed > 0 && batch.errors.length > 0 && (
        <details className="group rounded-lg border border-zinc-800 bg-zinc-950/60 text-xs" data-testid="batch-errors">
          <summary className="cursor-pointer rounded-lg px-3 py-2 font-medium text-zinc-300 hover:text-zinc-100 max-sm:min-h-11 max-sm:py-3">
            {batch.failed === batch.errors.length
              ? "Why they failed"
              : `The first ${batch.errors.length} of ${batch.failed} failures`}
          </summary>
          <ul className="space-y-1.5 border-t border-zinc-800 px-3 py-2">
            {batch.errors.map((e, i) => (
              <li key={i} className="break-words text-zinc-400">
                <span className="text-zinc-200">&ldquo;{e.sentence}&rdquo;</span>:{" "}
                <span className="text-rose-300">{e.message}</span>{" "}
                <Link
                  href={`/videos/${e.videoId}`}
                  className="whitespace-nowrap font-medium text-indigo-300 hover:text-indigo-200"
                >
                  Open video
                </Link>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
