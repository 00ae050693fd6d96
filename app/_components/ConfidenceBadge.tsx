import { formatConfidence, LEVELS, type Level } from "@/app/_lib/confidence";

const STYLES: Record<Level, string> = {
  strong: "bg-emerald-500/15 text-emerald-200 ring-emerald-400/40",
  possible: "bg-amber-500/15 text-amber-100 ring-amber-400/40",
  weak: "bg-zinc-800 text-zinc-300 ring-zinc-500/60",
};
const BARS: Record<Level, number> = { strong: 3, possible: 2, weak: 1 };
const BAR_ON: Record<Level, string> = { strong: "bg-emerald-300", possible: "bg-amber-300", weak: "bg-zinc-300" };

/**
 * "Strong match" / "Possible match" / "Weak match": the words and a three-step meter (so
 * the colour is never the only cue). The number itself shows on hover and while the card
 * has focus (`group` on the card), and is always read by screen readers.
 */
export function ConfidenceBadge({
  level,
  confidence,
  className = "",
}: {
  level: Level;
  confidence: number;
  className?: string;
}) {
  const pct = formatConfidence(confidence);
  return (
    <span
      className={`inline-flex shrink-0 items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ${STYLES[level]} ${className}`}
      title={`Confidence ${pct}`}
      data-testid="search-result-confidence"
      data-level={level}
      data-confidence={confidence}
    >
      <span className="flex h-2.5 items-end gap-px" aria-hidden="true">
        {[1, 2, 3].map((i) => (
          <span
            key={i}
            className={`w-0.5 rounded-full ${i <= BARS[level] ? BAR_ON[level] : "bg-zinc-600"}`}
            style={{ height: `${(i / 3) * 100}%` }}
          />
        ))}
      </span>
      {LEVELS[level].label}
      <span className="sr-only">, confidence </span>
      <span
        className="sr-only tabular-nums group-hover:not-sr-only group-focus-within:not-sr-only"
        data-testid="search-result-score"
      >
        <span aria-hidden="true"> · </span>
        {pct}
      </span>
    </span>
  );
}
