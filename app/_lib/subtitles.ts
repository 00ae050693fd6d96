/**
 * Subtitle files beside videos on the upload page: which dropped file is subtitles, and
 * which video it belongs to (the same name: talk.mp4 + talk.srt, or talk.en.srt). Pure
 * functions, safe on server and client.
 */

export const SUBTITLE_EXTENSIONS = [".srt", ".vtt"] as const;

/** What a file picker offers for subtitles. */
export const SUBTITLE_ACCEPT = SUBTITLE_EXTENSIONS.join(",");

export function isSubtitleFile(name: string): boolean {
  const lower = name.toLowerCase();
  return SUBTITLE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** The name without its last extension, lower-cased ("Talk.MP4" → "talk"). */
export function nameStem(name: string): string {
  const stem = name.replace(/\.[^.\s]{1,8}$/, "");
  return (stem || name).toLowerCase();
}

/**
 * How well a subtitle file's name fits a video's: 2 for the same stem (talk.srt, talk.mp4),
 * 1 for the stem and a language (talk.en.srt), 0 for no match.
 */
export function subtitleFit(subtitleName: string, videoName: string): 0 | 1 | 2 {
  const sub = nameStem(subtitleName);
  const video = nameStem(videoName);
  if (sub === video) return 2;
  if (sub.startsWith(`${video}.`) && /^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})?$/.test(sub.slice(video.length + 1))) return 1;
  return 0;
}

/** The best-fitting candidate for a subtitle file (the first of equals), or null. */
export function bestFit<T>(subtitleName: string, candidates: T[], nameOf: (c: T) => string): T | null {
  let best: T | null = null;
  let score = 0;
  for (const c of candidates) {
    const s = subtitleFit(subtitleName, nameOf(c));
    if (s > score) {
      best = c;
      score = s;
    }
  }
  return best;
}

/** "12 cues" / "1 cue". */
export function cueCount(n: number): string {
  return `${n} ${n === 1 ? "cue" : "cues"}`;
}
