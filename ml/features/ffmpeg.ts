/**
 * Frame sampling for the clip encoder — the one implementation used by training, eval AND
 * the ingestion worker (lib/media/ffmpeg.ts passes its chosen binary), so training
 * features and ingested features come from identical frames: `fps=F,scale=W:H:flags=area`,
 * rgb24. Binaries when none is passed: FFMPEG_PATH / FFPROBE_PATH, else the npm-shipped
 * @ffmpeg-installer / @ffprobe-installer, else PATH.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import type { ClipSpec } from "../types";

const require = createRequire(import.meta.url);

function fromPackage(name: string): string | undefined {
  try {
    const m = require(name) as { path?: string } | string | null;
    const p = typeof m === "string" ? m : m?.path;
    if (p && existsSync(p)) {
      try {
        chmodSync(p, 0o755);
      } catch {
        /* read-only install */
      }
      return p;
    }
  } catch {
    /* not installed */
  }
  return undefined;
}

export function ffmpegPath(): string {
  return process.env.FFMPEG_PATH ?? fromPackage("ffmpeg-static") ?? fromPackage("@ffmpeg-installer/ffmpeg") ?? "ffmpeg";
}
export function ffprobePath(): string {
  return process.env.FFPROBE_PATH ?? fromPackage("@ffprobe-installer/ffprobe") ?? "ffprobe";
}

/** Container duration in seconds (NaN when ffprobe is unavailable or fails). */
export function probeDuration(file: string): number {
  try {
    const r = spawnSync(ffprobePath(), ["-v", "error", "-show_entries", "format=duration", "-of", "default=nw=1:nk=1", file], { encoding: "utf8", timeout: 30_000 });
    return r.status === 0 ? Number(r.stdout.trim()) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export interface DecodeOptions {
  /** ffmpeg binary (default: ffmpegPath()) */
  ffmpeg?: string;
  /** receives ffmpeg's stderr tail when it complained (e.g. a truncated file) */
  result?: { stderr?: string };
}

/**
 * rgb24 frames at spec.fps and spec.width×spec.height, one buffer per frame. A file that
 * stops decoding part-way (truncated upload) ends the stream early instead of throwing;
 * `result.stderr` then says why.
 */
export async function* decodeFrames(file: string, spec: Pick<ClipSpec, "fps" | "width" | "height">, o: DecodeOptions = {}): AsyncGenerator<Uint8Array> {
  const frameBytes = spec.width * spec.height * 3;
  const child = spawn(
    o.ffmpeg ?? ffmpegPath(),
    ["-hide_banner", "-nostdin", "-loglevel", "error", "-i", file, "-an", "-sn", "-vf", `fps=${spec.fps},scale=${spec.width}:${spec.height}:flags=area`, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-8000);
  });
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  let pending: Buffer = Buffer.alloc(0);
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= frameBytes) {
        yield Buffer.from(pending.subarray(0, frameBytes));
        pending = pending.subarray(frameBytes);
      }
    }
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
  }
  await exited;
  if (o.result && stderr.trim()) o.result.stderr = stderr;
}
