import { splitMatches } from "@/app/_lib/highlight";

/** `text` with what `pattern` matches in <mark> (from app/_lib/highlight.ts: wordsPattern, substringPattern). */
export function Highlighted({
  text,
  pattern,
  markClassName = "rounded-sm bg-amber-300/25 px-px text-amber-50",
}: {
  text: string;
  pattern: RegExp | null;
  markClassName?: string;
}) {
  return (
    <>
      {splitMatches(text, pattern).map((s, i) =>
        s.match ? (
          <mark key={i} className={markClassName}>
            {s.text}
          </mark>
        ) : (
          s.text
        ),
      )}
    </>
  );
}
