import type { VideoStatus } from "@/app/_lib/api";

const STYLES: Record<VideoStatus, { label: string; className: string }> = {
  queued: { label: "Queued", className: "bg-zinc-700/60 text-zinc-200 ring-zinc-500/40" },
  processing: { label: "Processing", className: "bg-sky-500/15 text-sky-300 ring-sky-400/30" },
  ready: { label: "Ready", className: "bg-emerald-500/15 text-emerald-300 ring-emerald-400/30" },
  failed: { label: "Failed", className: "bg-rose-500/15 text-rose-300 ring-rose-400/30" },
};

export function StatusBadge({ status, className = "" }: { status: VideoStatus; className?: string }) {
  const s = STYLES[status];
  return (
    <span
      data-testid="status-badge"
      className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${s.className} ${className}`}
    >
      {status === "processing" && (
        <span className="size-1.5 animate-pulse rounded-full bg-sky-400" aria-hidden="true" />
      )}
      {s.label}
    </span>
  );
}
