/** What the "CC" mark says to a screen reader and on hover. */
export const CC_LABEL = "Has subtitles or on-screen text";

/**
 * The "CC" mark of a video that has subtitles or on-screen text (`hasText`). Its
 * accessible name starts with the visible "CC".
 */
export function CcBadge({ className = "" }: { className?: string }) {
  return (
    <span
      role="img"
      aria-label={`CC: ${CC_LABEL}`}
      title={CC_LABEL}
      data-testid="cc-badge"
      className={`inline-flex items-center rounded border border-zinc-400/70 px-1 text-[0.625rem] leading-4 font-bold tracking-wide text-zinc-100 ${className}`}
    >
      CC
    </span>
  );
}
