/**
 * From what OCR read on sampled frames to timed cues: low-confidence words are dropped,
 * each frame's text is normalised, and consecutive frames that read the same text (or
 * nearly: OCR misreads a letter here and there) merge into one cue spanning them. Pure.
 */
import type { Cue } from "@/db/repositories/cues";

export interface OcrWord {
  text: string;
  /** 0–100, as tesseract reports it */
  confidence: number;
}

/** A sampled frame and the lines read on it (empty: nothing confident enough). */
export interface FrameText {
  /** seconds */
  time: number;
  lines: OcrWord[][];
}

/** Words below this confidence are dropped: tesseract's guesses on texture and edges sit far lower. */
export const MIN_WORD_CONFIDENCE = 60;

/** Letters and digits must make up most of a kept word: "|", "—", "©" alone are artefacts. */
function plausible(word: string): boolean {
  const alnum = word.replace(/[^\p{L}\p{N}]/gu, "").length;
  return (
    alnum >= 1 && alnum >= word.length / 2 && !(alnum === 1 && !/^[aAI0-9]$/.test(word.replace(/[^\p{L}\p{N}]/gu, "")))
  );
}

/**
 * Lines with fewer letters and digits than this are dropped: shapes and edges read as "A",
 * "4" or "oy" (seen on the demo library's animations), while real text lines are longer.
 */
export const MIN_LINE_CHARACTERS = 4;

/** The frame's text: confident, plausible words, one line per OCR line, whitespace collapsed; short lines dropped. */
export function frameTextOf(lines: OcrWord[][], minConfidence = MIN_WORD_CONFIDENCE): string {
  return lines
    .map((line) =>
      line
        .filter((w) => w.confidence >= minConfidence && plausible(w.text.trim()))
        .map((w) => w.text.trim())
        .join(" "),
    )
    .filter((line) => line.replace(/[^\p{L}\p{N}]/gu, "").length >= MIN_LINE_CHARACTERS)
    .join("\n");
}

const normalise = (t: string) =>
  t
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

/**
 * How much two readings look like the same line (0–1), word-level after normalisation:
 * the share of the shorter reading's words found in the other (OCR often reads part of
 * a line: "nue grew by twelve percent" continues "Quarterly revenue grew by twelve
 * percent"); readings of one word must match exactly, so "5" never continues "5 apples".
 */
export function textSimilarity(a: string, b: string): number {
  const wa = new Set(normalise(a).split(" ").filter(Boolean));
  const wb = new Set(normalise(b).split(" ").filter(Boolean));
  if (wa.size === 0 && wb.size === 0) return 1;
  let inter = 0;
  for (const w of wa) if (wb.has(w)) inter++;
  if (Math.min(wa.size, wb.size) < 2) return inter / (wa.size + wb.size - inter);
  return inter / Math.min(wa.size, wb.size);
}

/**
 * Lines of text followed across frames: a line read on a frame continues the open run
 * whose latest line it resembles (at least `sameAbove`, word-level), else starts a run;
 * a run not continued for more than `maxGap` frames (a misread, a fragment) ends. Each
 * run becomes a cue from its first frame to its last plus one sampling interval, with the reading seen most often (ties: the
 * longest). Following lines, not whole frames, keeps a caption one cue while a clock or
 * a slide beside it changes every second.
 */
export function mergeFrameTexts(
  frames: readonly { time: number; text: string }[],
  interval: number,
  o: { sameAbove?: number; duration?: number; maxGap?: number } = {},
): Cue[] {
  const sameAbove = o.sameAbove ?? 0.6;
  const maxGap = o.maxGap ?? 2;
  const cues: Cue[] = [];
  type Run = { start: number; last: number; texts: string[]; missed: number };
  let open: Run[] = [];
  const close = (run: Run) => {
    const counts = new Map<string, number>();
    for (const t of run.texts) counts.set(t, (counts.get(t) ?? 0) + 1);
    const text = [...counts].sort((a, b) => b[1] - a[1] || b[0].length - a[0].length)[0][0];
    const end = Math.min(run.last + interval, o.duration ?? Number.POSITIVE_INFINITY);
    if (end > run.start) cues.push({ start: run.start, end, text });
  };
  for (const f of frames) {
    const lines = f.text
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    const next: Run[] = [];
    for (const line of lines) {
      const i = open.findIndex((r) => textSimilarity(r.texts[r.texts.length - 1], line) >= sameAbove);
      if (i >= 0) {
        const [run] = open.splice(i, 1);
        run.last = f.time;
        run.missed = 0;
        run.texts.push(line);
        next.push(run);
      } else next.push({ start: f.time, last: f.time, texts: [line], missed: 0 });
    }
    for (const run of open) {
      if (++run.missed > maxGap) close(run);
      else next.push(run);
    }
    open = next;
  }
  open.forEach(close);
  return cues.sort((a, b) => a.start - b.start || a.end - b.end);
}
