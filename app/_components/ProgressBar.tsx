/** A determinate progress bar (role="progressbar"), 0–100. */
interface ProgressBarProps {
  value: number;
  /** accessible name, e.g. "Processing clip.mp4" */
  label: string;
  tone?: "accent" | "processing" | "success" | "danger";
  size?: "sm" | "md";
  className?: string;
}

const TONES: Record<NonNullable<ProgressBarProps["tone"]>, string> = {
  accent: "bg-indigo-500",
  processing: "bg-sky-500",
  success: "bg-emerald-500",
  danger: "bg-rose-500",
};

export function ProgressBar({ value, label, tone = "accent", size = "sm", className = "" }: ProgressBarProps) {
  const v = Math.max(0, Math.min(100, Number.isFinite(value) ? value : 0));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(v)}
      data-testid="progress-bar"
      data-value={Math.round(v)}
      className={`w-full overflow-hidden rounded-full bg-zinc-800 ${size === "sm" ? "h-1.5" : "h-2.5"} ${className}`}
    >
      <div
        className={`h-full rounded-full transition-[width] duration-500 ease-out ${TONES[tone]}`}
        style={{ width: `${v}%` }}
      />
    </div>
  );
}
