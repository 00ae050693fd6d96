import { formatTimeLong } from "@/app/_lib/format";
import type { MomentSpan } from "@/app/_lib/moments";

interface MomentBarProps {
  /** the whole video, seconds (falls back to the latest span end when unknown) */
  duration: number | null;
  span: MomentSpan;
  /** other candidate spans, drawn faint */
  alternatives?: MomentSpan[];
  /** test id of the highlighted span */
  spanTestId?: string;
  className?: string;
}

/** The whole video as a thin bar: the moment highlighted, the alternatives faint behind it. */
export function MomentBar({ duration, span, alternatives = [], spanTestId, className = "" }: MomentBarProps) {
  const d = Math.max(duration ?? 0, span.end, ...alternatives.map((a) => a.end)) || 1;
  const box = (s: { start: number; end: number }) => {
    const left = Math.max(0, Math.min(100, (s.start / d) * 100));
    const width = Math.max(0, Math.min(100 - left, ((s.end - s.start) / d) * 100));
    return { left: `${left}%`, width: `max(${width}%, 3px)` };
  };
  return (
    <div
      role="img"
      aria-label={`Moment from ${formatTimeLong(span.start)} to ${formatTimeLong(span.end)} of ${formatTimeLong(d)}`}
      className={`relative h-1.5 w-full overflow-hidden rounded-full bg-zinc-700/60 ${className}`}
    >
      {alternatives.map((a, i) => (
        <div key={i} data-testid="moment-alternative" className="absolute inset-y-0 bg-indigo-300/20" style={box(a)} />
      ))}
      <div data-testid={spanTestId} className="absolute inset-y-0 rounded-full bg-amber-400" style={box(span)} />
    </div>
  );
}
