/**
 * The few operations the product needs from ffmpeg/ffprobe. Which binaries: the one resolver
 * (ml/features/ffmpeg.ts), given the configured FFMPEG_PATH/FFPROBE_PATH (lib/config.ts); the
 * choice is logged once and handed to fluent-ffmpeg.
 */
import { spawn } from "node:child_process";
import ffmpegCommand from "fluent-ffmpeg";
import { decodeFrames as sampleFrames, resolveFfmpeg, type FfmpegBinaries } from "@/ml/features/ffmpeg";
import { loadConfig } from "../config";

export type { FfmpegBinaries };

let cached: FfmpegBinaries | undefined;

/** The binaries the product uses (resolved once per process). */
export function ffmpegBinaries(): FfmpegBinaries {
  if (cached) return cached;
  const found = resolveFfmpeg(loadConfig().ffmpeg);
  ffmpegCommand.setFfmpegPath(found.ffmpeg);
  ffmpegCommand.setFfprobePath(found.ffprobe);
  console.log(`[ffmpeg] using ${found.source}: ${found.ffmpeg} (${found.version})`);
  cached = found;
  return found;
}

export interface ProbeResult {
  duration: number;
  fps: number;
  /** as displayed: a rotated video (display matrix or `rotate` tag of ±90°) has width and height swapped */
  width: number;
  height: number;
  /** clockwise degrees the player turns the picture (0, 90, 180, 270) */
  rotation: number;
  codec: string;
  format: string;
  hasAudio: boolean;
  subtitleStreams: number;
}

/** Thrown when a file is not a video ffmpeg can decode; `message` says why. */
export class NotAVideoError extends Error {}

function parseRate(rate: string | undefined): number {
  if (!rate) return 0;
  const [n, d] = rate.split("/").map(Number);
  if (!d) return n || 0;
  return n / d;
}

export function probe(file: string): Promise<ProbeResult> {
  ffmpegBinaries();
  return new Promise((resolve, reject) => {
    ffmpegCommand.ffprobe(file, (err, data) => {
      if (err) {
        reject(new NotAVideoError(explainProbeError(String(err.message ?? err), file)));
        return;
      }
      const video = data.streams.find((s) => s.codec_type === "video" && s.disposition?.attached_pic !== 1);
      if (!video) {
        reject(
          new NotAVideoError(
            `the file is a ${data.format.format_long_name ?? data.format.format_name ?? "file"} with no video stream`,
          ),
        );
        return;
      }
      const duration = Number(data.format.duration ?? video.duration);
      if (!Number.isFinite(duration) || duration <= 0) {
        reject(new NotAVideoError("the video stream has no measurable duration"));
        return;
      }
      const rotation = streamRotation(video as unknown as Record<string, unknown>);
      const turned = rotation === 90 || rotation === 270;
      resolve({
        duration,
        fps: Math.round((parseRate(video.avg_frame_rate) || parseRate(video.r_frame_rate)) * 1000) / 1000,
        width: (turned ? video.height : video.width) ?? 0,
        height: (turned ? video.width : video.height) ?? 0,
        rotation,
        codec: video.codec_name ?? "unknown",
        format: data.format.format_name ?? "unknown",
        hasAudio: data.streams.some((s) => s.codec_type === "audio"),
        subtitleStreams: data.streams.filter((s) => s.codec_type === "subtitle").length,
      });
    });
  });
}

/**
 * How far a player turns a video stream, in degrees 0/90/180/270: from the display
 * matrix (newer ffprobe reports it as side data `rotation`, which fluent-ffmpeg's parser
 * merges into the stream) or from the `rotate` tag of older ones. The direction does not
 * matter here; what matters is whether width and height trade places.
 */
export function streamRotation(stream: Record<string, unknown>): number {
  const tags = (stream.tags ?? {}) as Record<string, unknown>;
  const side = Array.isArray(stream.side_data_list)
    ? (stream.side_data_list as Record<string, unknown>[]).find((d) => d.rotation !== undefined)
    : undefined;
  const raw = [side?.rotation, stream.rotation, tags.rotate].find(
    (v) => v !== undefined && v !== "" && Number.isFinite(Number(v)),
  );
  if (raw === undefined) return 0;
  const quarter = Math.round(Number(raw) / 90) * 90;
  return ((quarter % 360) + 360) % 360;
}

/** ffmpeg's last distinct stderr lines, without file paths and demuxer addresses. */
export function lastLines(stderr: string, n = 2, file?: string): string {
  const lines = stderr
    .split("\n")
    .map((l) => {
      let t = l.replace(/\[[\w,]+ @ 0x[0-9a-f]+\]\s*/g, "").trim();
      if (file) t = t.split(file + ": ").join("");
      return t.replace(/^\/\S+: /, "");
    })
    .filter((l) => l && !/^ffprobe exited|^Error: ffprobe/.test(l));
  return [...new Set(lines)].slice(-n).join("; ");
}

/** A sentence a person can act on, from ffprobe's complaint. */
export function explainProbeError(stderr: string, file?: string): string {
  if (/moov atom not found/.test(stderr)) {
    return "the MP4 is incomplete: its index (the 'moov' atom) is missing, so the upload or recording was probably cut short";
  }
  if (/Invalid data found when processing input/.test(stderr))
    return "ffmpeg does not recognise it as any audio or video format";
  return `ffprobe could not read it (${lastLines(stderr, 2, file) || "unknown error"})`;
}

/** How the demo, the tests and the benches encode the videos they make: H.264, fast, in yuv420p (which every browser plays). */
export const GENERATED_H264 = ["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"];

/** Runs ffmpeg with args; resolves when it exits 0, rejects with its stderr tail. */
export function runFfmpeg(args: string[], opts: { timeoutMs?: number } = {}): Promise<void> {
  const { ffmpeg } = ffmpegBinaries();
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, ["-hide_banner", "-nostdin", "-loglevel", "error", ...args], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-8000);
    });
    const timer = opts.timeoutMs ? setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs) : undefined;
    child.on("error", reject);
    child.on("close", (code) => {
      if (timer) clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`ffmpeg exited with ${code}: ${lastLines(stderr)}`));
    });
  });
}

export interface FrameStreamOptions {
  fps: number;
  width: number;
  height: number;
}

/**
 * Frames sampled for the clip encoder, with the binary chosen here. The sampling itself
 * lives in ml/ffmpeg.ts so that training and ingestion decode identically. Decoding that
 * stops part-way ends the stream early; `result.warning` says why.
 */
export async function* decodeFrames(
  file: string,
  opts: FrameStreamOptions & { pixFmt?: "rgb24" | "gray" },
  result: { warning?: string } = {},
): AsyncGenerator<Uint8Array> {
  const raw: { stderr?: string } = {};
  yield* sampleFrames(file, opts, { ffmpeg: ffmpegBinaries().ffmpeg, result: raw, pixFmt: opts.pixFmt });
  if (raw.stderr) result.warning = lastLines(raw.stderr, 2, file);
}

/** A JPEG poster frame at `atSeconds`, `width` wide. */
export function makePoster(file: string, out: string, atSeconds: number, width = 480): Promise<void> {
  return runFfmpeg(
    ["-y", "-ss", atSeconds.toFixed(3), "-i", file, "-frames:v", "1", "-vf", `scale=${width}:-2`, "-q:v", "4", out],
    { timeoutMs: 60_000 },
  );
}

/**
 * A thumbnail sprite for timeline hover: `count` frames, evenly spaced over `duration`,
 * tiled in a `columns`-wide grid of tileWidth×tileHeight cells.
 */
export function makeSprite(
  file: string,
  out: string,
  o: { duration: number; count: number; columns: number; tileWidth: number; tileHeight: number },
): Promise<void> {
  const rows = Math.ceil(o.count / o.columns);
  const rate = o.count / o.duration;
  return runFfmpeg(
    [
      "-y",
      "-i",
      file,
      "-an",
      "-sn",
      "-vf",
      `fps=${rate.toFixed(6)},scale=${o.tileWidth}:${o.tileHeight}:force_original_aspect_ratio=decrease,pad=${o.tileWidth}:${o.tileHeight}:(ow-iw)/2:(oh-ih)/2,tile=${o.columns}x${rows}`,
      "-frames:v",
      "1",
      "-q:v",
      "5",
      out,
    ],
    { timeoutMs: 300_000 },
  );
}
