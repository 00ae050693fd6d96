/**
 * A moment's confidence in words, and what found it. Pure functions, safe on server and
 * client.
 */
import type { Moment } from "./api";

export type Level = Moment["level"];

export const LEVELS: Record<Level, { label: string; short: string }> = {
  strong: { label: "Strong match", short: "Strong" },
  possible: { label: "Possible match", short: "Possible" },
  weak: { label: "Weak match", short: "Weak" },
};

/**
 * The level to show: the server's (it is relative to the default threshold, also when the
 * page asked for weaker matches); a moment below `threshold` is weak in any case.
 */
export function levelOf(m: Pick<Moment, "level" | "confidence">, threshold: number): Level {
  if (m.level === "weak" || m.confidence < threshold) return "weak";
  return m.level === "strong" || m.level === "possible" ? m.level : m.confidence >= 0.75 ? "strong" : "possible";
}

/** A 0..1 probability as a whole percentage: "82 %". */
export function formatConfidence(c: number): string {
  const p = Number.isFinite(c) ? Math.round(Math.max(0, Math.min(1, c)) * 100) : 0;
  return `${p}\u00a0%`;
}

export type MatchSource = "visual" | "subtitles" | "ocr" | "both-subtitles" | "both-ocr";

/** What found the moment: the pictures, the subtitles, the on-screen text, or pictures and text. */
export function matchSource(m: Pick<Moment, "source" | "textSource" | "text">): MatchSource {
  const hasText = !!m.text?.trim();
  const text = m.textSource === "ocr" ? "ocr" : "subtitles";
  if (m.source === "both") return hasText || m.textSource ? `both-${text}` : "visual";
  if (m.source === "text") return text;
  if (m.source === "visual") return "visual";
  // a server from before `source`: the text says
  return hasText ? text : "visual";
}

export const MATCH_SOURCE_LABELS: Record<MatchSource, string> = {
  visual: "Visual match",
  subtitles: "Subtitles",
  ocr: "On-screen text",
  "both-subtitles": "Pictures and subtitles",
  "both-ocr": "Pictures and on-screen text",
};
