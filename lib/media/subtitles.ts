/**
 * Subtitles and captions as timed text: parsing .srt/.vtt (sidecar files) and
 * extracting a subtitle stream embedded in a video.
 */
import { spawn } from "node:child_process";
import { parse } from "@plussub/srt-vtt-parser";
import type { Cue } from "@/db/repositories/cues";
import { ffmpegBinaries } from "./ffmpeg";

export const SUBTITLE_EXTENSIONS = [".srt", ".vtt"];

/** Cues from SRT or WebVTT text; markup stripped, empty cues dropped, time-ordered. */
export function parseSubtitles(raw: string): Cue[] {
  // NUL is never part of real subtitles, and Postgres text cannot hold it.
  const text = raw
    .replace(/^\uFEFF/, "")
    .replace(/\u0000/g, "")
    .replace(/\r\n?/g, "\n");
  let entries;
  try {
    entries = parse(text).entries;
  } catch {
    return [];
  }
  return entries
    .map((e) => ({
      start: e.from / 1000,
      end: e.to / 1000,
      text: e.text
        .replace(/<[^>]+>/g, "")
        .replace(/\{\\[^}]*\}/g, "")
        .replace(/\s+/g, " ")
        .trim(),
    }))
    .filter((c) => c.text && Number.isFinite(c.start) && c.end > c.start)
    .sort((a, b) => a.start - b.start);
}

/** The first subtitle stream of `file` as cues ([] when it has none or it is image-based). */
export function extractEmbeddedSubtitles(file: string): Promise<Cue[]> {
  const { ffmpeg } = ffmpegBinaries();
  return new Promise((resolve) => {
    const child = spawn(
      ffmpeg,
      ["-hide_banner", "-nostdin", "-loglevel", "error", "-i", file, "-map", "0:s:0", "-f", "webvtt", "pipe:1"],
      {
        stdio: ["ignore", "pipe", "ignore"],
      },
    );
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d: string) => {
      if (out.length < 20_000_000) out += d;
    });
    child.on("error", () => resolve([]));
    child.on("close", (code) => resolve(code === 0 ? parseSubtitles(out) : []));
  });
}

function vttTime(seconds: number): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

/**
 * Cues as a WebVTT file for the player's text tracks. Text that would end a cue early
 * (a blank line) or be read as markup (`<`, `&`) is escaped; "-->" cannot appear in text.
 */
export function toWebVtt(cues: readonly Cue[]): string {
  const body = cues
    .filter((c) => c.end > c.start && c.text.trim())
    .map((c, i) => {
      const text = c.text
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean)
        .join("\n");
      return `${i + 1}\n${vttTime(c.start)} --> ${vttTime(c.end)}\n${text}`;
    });
  return `WEBVTT\n\n${body.join("\n\n")}${body.length ? "\n" : ""}`;
}
