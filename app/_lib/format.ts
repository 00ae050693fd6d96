/** Display formatting shared by every page. Pure functions, safe on server and client. */

/** Seconds → "m:ss" (or "h:mm:ss" from one hour on). Negative and non-finite values read as 0. */
export function formatTime(seconds: number | null | undefined): string {
  const total = Number.isFinite(seconds) && (seconds as number) > 0 ? Math.floor(seconds as number) : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** Spoken form of a duration for screen readers: "1 minute 5 seconds". */
export function formatTimeLong(seconds: number | null | undefined): string {
  const total = Number.isFinite(seconds) && (seconds as number) > 0 ? Math.floor(seconds as number) : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts: string[] = [];
  if (h) parts.push(`${h} hour${h === 1 ? "" : "s"}`);
  if (m) parts.push(`${m} minute${m === 1 ? "" : "s"}`);
  if (s || parts.length === 0) parts.push(`${s} second${s === 1 ? "" : "s"}`);
  return parts.join(" ");
}

export function formatBytes(n: number | null | undefined): string {
  if (!Number.isFinite(n) || (n as number) < 0) return "—";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = n as number;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export function formatResolution(width: number | null, height: number | null): string | null {
  if (!width || !height) return null;
  return `${width}×${height}`;
}

export function formatFps(fps: number | null): string | null {
  if (!fps) return null;
  return `${Math.round(fps * 100) / 100} fps`;
}

export function formatPercent(progress: number): string {
  const p = Math.max(0, Math.min(100, progress));
  return `${Math.floor(p)}%`;
}

export function formatDate(iso: string | null): string | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** ffprobe's format_name lists a demuxer family ("mov,mp4,m4a,3gp,3g2,mj2"); name it. */
export function formatContainer(formatName: string | null): string | null {
  if (!formatName) return null;
  const names = formatName.split(",");
  if (names.includes("mp4") || names.includes("mov")) return "MP4 / QuickTime";
  if (names.includes("matroska") || names.includes("webm")) return "Matroska / WebM";
  const known: Record<string, string> = {
    avi: "AVI",
    mpegts: "MPEG-TS",
    flv: "FLV",
    asf: "ASF / WMV",
    ogg: "Ogg",
    mpeg: "MPEG-PS",
  };
  return known[names[0]] ?? names[0].toUpperCase();
}

/** Length of a moment: "3 s", "2.5 s", "42 s", then "1:05" from a minute on. */
export function formatSpanLength(seconds: number | null | undefined): string {
  const s = Number.isFinite(seconds) && (seconds as number) > 0 ? (seconds as number) : 0;
  if (s >= 59.5) return formatTime(s);
  if (s < 9.95) return `${Math.round(s * 10) / 10} s`;
  return `${Math.round(s)} s`;
}

/** A 0..1 relevance score as two decimals: "0.97". */
export function formatScore(score: number): string {
  return (Number.isFinite(score) ? Math.max(0, Math.min(1, score)) : 0).toFixed(2);
}

/** Milliseconds, rounded: "48 ms", "1.2 s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * How long ago an instant was, in words: "just now", "5 minutes ago", "yesterday",
 * "3 days ago"; older than a month, the date. `now` is a parameter so tests can pin it.
 */
export function formatRelative(iso: string | null, now: number = Date.now()): string | null {
  if (!iso) return null;
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return null;
  const s = Math.round((now - t) / 1000);
  if (s < 45) return "just now";
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  const m = Math.round(s / 60);
  if (m < 60) return rtf.format(-m, "minute");
  const h = Math.round(m / 60);
  if (h < 24) return rtf.format(-h, "hour");
  const d = Math.round(h / 24);
  if (d < 30) return rtf.format(-d, "day");
  return new Date(t).toLocaleDateString(undefined, { dateStyle: "medium" });
}

/**
 * A processing estimate in words: "about 5 s left", "about 40 s left", "about 3 min left",
 * "about 1 h 20 min left". Null while the estimate is unknown. Coarse on purpose: the
 * estimate itself is rough, and a number that jumps by one every poll reads as noise.
 */
export function formatEta(seconds: number | null | undefined): string | null {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return null;
  const s = Math.max(1, Math.round(seconds));
  if (s < 10) return `about ${s} s left`;
  if (s < 60) return `about ${Math.min(55, Math.round(s / 5) * 5)} s left`;
  if (s < 3600) return `about ${Math.max(1, Math.round(s / 60))} min left`;
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  return m > 0 && m < 60 ? `about ${h} h ${m} min left` : `about ${m === 60 ? h + 1 : h} h left`;
}

/** An instant in full, for a tooltip: "Tuesday, 4 March 2025 at 14:03:27". */
export function formatDateFull(iso: string | null): string | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  return d.toLocaleString(undefined, { dateStyle: "full", timeStyle: "medium" });
}
