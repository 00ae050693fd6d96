/** Placeholder cards while a grid loads: a poster block and a few text lines. */
export function CardSkeletons({
  grid,
  count,
  label,
  testId,
  bar = false,
}: {
  grid: string;
  count: number;
  label: string;
  testId?: string;
  bar?: boolean;
}) {
  return (
    <div className={grid} role="status" aria-busy="true" aria-label={label} data-testid={testId}>
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="overflow-hidden rounded-xl border border-zinc-800 bg-zinc-900/60">
          <div className="aspect-video animate-pulse bg-zinc-800" />
          <div className="space-y-2.5 p-3">
            <div className="h-4 w-2/3 animate-pulse rounded bg-zinc-800" />
            <div className="h-3 w-1/3 animate-pulse rounded bg-zinc-800" />
            {bar && <div className="h-1.5 w-full animate-pulse rounded-full bg-zinc-800" />}
          </div>
        </div>
      ))}
    </div>
  );
}
