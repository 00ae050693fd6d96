import { STATUS_INFO, type ShownStatus } from "@/app/_lib/models-format";

/** A model version's status in words and colour (the words carry it; the colour only helps). */
export function ModelStatusBadge({ status, className = "" }: { status: ShownStatus; className?: string }) {
  const s = STATUS_INFO[status];
  return (
    <span
      data-testid="model-status"
      data-status={status}
      className={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${s.className} ${className}`}
    >
      {s.busy && <span className="size-1.5 animate-pulse rounded-full bg-current" aria-hidden="true" />}
      {s.label}
    </span>
  );
}
