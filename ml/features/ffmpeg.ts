/**
 * ffmpeg for the whole project: which binaries (the one resolver, used by the app through
 * lib/media/ffmpeg.ts and by training, evaluation and the Shapes generator directly), and frame
 * sampling for the clip encoder — the one implementation used by training, eval AND the
 * ingestion worker, so training features and ingested features come from identical frames:
 * `fps=F,scale=W:H:flags=area`, rgb24.
 */
import { spawn, spawnSync } from "node:child_process";
import { accessSync, chmodSync, constants, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { ClipSpec } from "../types";

// Resolved from the project root at run time: inside a Next.js server bundle,
// import.meta.url points into .next/ and bundlers rewrite plain require().
const requireFromRoot = createRequire(path.join(/* turbopackIgnore: true */ process.cwd(), "package.json"));

export interface FfmpegBinaries {
  ffmpeg: string;
  ffprobe: string;
  /** which rule chose them, for logs and /api/health */
  source: string;
  /** ffmpeg's first -version line */
  version: string;
}

/** Binaries named by the configuration (lib/config.ts: FFMPEG_PATH, FFPROBE_PATH). */
export interface FfmpegOverrides {
  ffmpegPath?: string | null;
  ffprobePath?: string | null;
}

function runs(bin: string): string | undefined {
  try {
    const r = spawnSync(bin, ["-version"], { encoding: "utf8", timeout: 10_000 });
    if (r.status !== 0) return undefined;
    return r.stdout.split("\n")[0]?.trim() ?? "";
  } catch {
    return undefined;
  }
}

/** npm 11 skips install scripts, and @ffprobe-installer's only script is a chmod. */
function ensureExecutable(file: string): void {
  try {
    accessSync(file, constants.X_OK);
  } catch {
    try {
      chmodSync(file, 0o755);
    } catch {
      /* read-only install: runs() will report it unusable */
    }
  }
}

function fromPackage(name: string): string | undefined {
  try {
    const mod = requireFromRoot(name) as string | { path?: string } | null;
    const p = typeof mod === "string" ? mod : mod?.path;
    if (p && existsSync(p)) {
      ensureExecutable(p);
      return p;
    }
  } catch {
    /* not installed */
  }
  return undefined;
}

function candidates(o: FfmpegOverrides): { source: string; ffmpeg?: string; ffprobe?: string }[] {
  const installerProbe = fromPackage("@ffprobe-installer/ffprobe");
  return [
    { source: "FFMPEG_PATH", ffmpeg: o.ffmpegPath ?? undefined, ffprobe: o.ffprobePath ?? installerProbe ?? "ffprobe" },
    // ffmpeg-static ships no ffprobe; pair it with the installer's.
    { source: "ffmpeg-static", ffmpeg: fromPackage("ffmpeg-static"), ffprobe: installerProbe },
    { source: "@ffmpeg-installer", ffmpeg: fromPackage("@ffmpeg-installer/ffmpeg"), ffprobe: installerProbe },
    { source: "PATH", ffmpeg: "ffmpeg", ffprobe: "ffprobe" },
  ];
}

const resolved = new Map<string, FfmpegBinaries>();

/**
 * The first pair that exists and runs: the configured binaries, then ffmpeg-static, then
 * @ffmpeg-installer + @ffprobe-installer (binaries shipped inside npm packages, so they work
 * without network), then `ffmpeg` on PATH. Once per process and overrides.
 */
export function resolveFfmpeg(o: FfmpegOverrides = {}): FfmpegBinaries {
  const key = `${o.ffmpegPath ?? ""}\u0000${o.ffprobePath ?? ""}`;
  const hit = resolved.get(key);
  if (hit) return hit;
  const tried: string[] = [];
  for (const c of candidates(o)) {
    if (!c.ffmpeg || !c.ffprobe) continue;
    const version = runs(c.ffmpeg);
    if (version === undefined || runs(c.ffprobe) === undefined) {
      tried.push(`${c.source} (${c.ffmpeg})`);
      continue;
    }
    const found = { ffmpeg: c.ffmpeg, ffprobe: c.ffprobe, source: c.source, version };
    resolved.set(key, found);
    return found;
  }
  throw new Error(
    `No usable ffmpeg/ffprobe found (tried: ${tried.join(", ") || "none"}). Set FFMPEG_PATH and FFPROBE_PATH.`,
  );
}

/** Container duration in seconds (NaN when ffprobe is unavailable or fails). */
export function probeDuration(file: string, ffprobe?: string): number {
  try {
    const r = spawnSync(
      ffprobe ?? resolveFfmpeg().ffprobe,
      ["-v", "error", "-show_entries", "format=duration", "-of", "default=nw=1:nk=1", file],
      { encoding: "utf8", timeout: 30_000 },
    );
    return r.status === 0 ? Number(r.stdout.trim()) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export interface DecodeOptions {
  /** ffmpeg binary (default: resolveFfmpeg()'s) */
  ffmpeg?: string;
  /** receives ffmpeg's stderr tail when it complained (e.g. a truncated file) */
  result?: { stderr?: string };
  /** "rgb24" (default: what the clip encoder reads) or "gray" (one byte a pixel: what OCR reads) */
  pixFmt?: "rgb24" | "gray";
}

/**
 * rgb24 (or grey) frames at spec.fps and spec.width×spec.height, one buffer per frame. A file that
 * stops decoding part-way (truncated upload) ends the stream early instead of throwing;
 * `result.stderr` then says why.
 */
export async function* decodeFrames(
  file: string,
  spec: Pick<ClipSpec, "fps" | "width" | "height">,
  o: DecodeOptions = {},
): AsyncGenerator<Uint8Array> {
  const pixFmt = o.pixFmt ?? "rgb24";
  const frameBytes = spec.width * spec.height * (pixFmt === "gray" ? 1 : 3);
  const child = spawn(
    o.ffmpeg ?? resolveFfmpeg().ffmpeg,
    [
      "-hide_banner",
      "-nostdin",
      "-loglevel",
      "error",
      "-i",
      file,
      "-an",
      "-sn",
      "-vf",
      `fps=${spec.fps},scale=${spec.width}:${spec.height}:flags=area`,
      "-f",
      "rawvideo",
      "-pix_fmt",
      pixFmt,
      "pipe:1",
    ],
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
