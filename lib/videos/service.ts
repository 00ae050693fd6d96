/**
 * The video library: adding files (uploads, CLI imports, demo seeding), reading and
 * deleting. Every way in goes through `registerFile`, so de-duplication, validation and
 * queueing behave the same everywhere.
 */
import { randomUUID, createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import * as clipsRepo from "@/db/repositories/clips";
import { replaceCues, type CueSource } from "@/db/repositories/cues";
import * as videos from "@/db/repositories/videos";
import type { Video } from "@/db/repositories/videos";
import type { Context } from "../context";
import {
  AppError,
  forbidden,
  insufficientStorage,
  isDiskFull,
  notFound,
  payloadTooLarge,
  unsupportedMedia,
} from "../errors";
import { NotAVideoError, probe } from "../media/ffmpeg";
import { parseSubtitles, SUBTITLE_EXTENSIONS } from "../media/subtitles";
import { limitError } from "./limits";
import { ensureDirs, fromStored, originalPath, removeVideoFiles, toStored } from "../storage";

export interface AddResult {
  video: Video;
  /** false when the same bytes were already in the library */
  created: boolean;
}

/** Streams `source` into a temporary file, hashing as it goes; enforces the size limit. */
export async function receiveStream(
  ctx: Context,
  source: Readable,
  opts: { isTruncated?: () => boolean } = {},
): Promise<{ tmpPath: string; sha256: string; bytes: number }> {
  await ensureDirs(ctx.config);
  const tmpPath = path.join(ctx.config.tmpDir, `${randomUUID()}.part`);
  const hash = createHash("sha256");
  let bytes = 0;
  const limit = ctx.config.maxUploadBytes;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (bytes > limit) {
        cb(payloadTooLarge(`The file is larger than the ${formatBytes(limit)} upload limit (MAX_UPLOAD_BYTES).`));
        return;
      }
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(source, meter, createWriteStream(tmpPath));
    if (opts.isTruncated?.())
      throw payloadTooLarge(`The file is larger than the ${formatBytes(limit)} upload limit (MAX_UPLOAD_BYTES).`);
    if (bytes === 0) throw new AppError(400, "empty_file", "The file is empty.");
  } catch (err) {
    await rm(tmpPath, { force: true });
    if (isDiskFull(err))
      throw insufficientStorage(
        "The server's disk is full; nothing was stored. Free some space (or ask an admin) and upload again.",
      );
    throw err;
  }
  return { tmpPath, sha256: hash.digest("hex"), bytes };
}

/**
 * Takes ownership of `tmpPath` (moved into the library or deleted). Same bytes as an
 * existing video → that video, nothing stored twice. Not decodable → 415.
 */
export async function registerFile(
  ctx: Context,
  f: { tmpPath: string; sha256: string; bytes: number; originalName: string; addedBy: string | null },
): Promise<AddResult> {
  const name = sanitizeName(f.originalName);
  try {
    const existing = await videos.findVideoBySha256(ctx.db, f.sha256);
    if (existing) {
      await rm(f.tmpPath, { force: true });
      return { video: existing, created: false };
    }
    let info;
    try {
      info = await probe(f.tmpPath);
    } catch (err) {
      if (err instanceof NotAVideoError)
        throw unsupportedMedia(`"${name}" is not a video that can be decoded: ${err.message}.`);
      throw err;
    }
    const over = limitError(info, ctx.config);
    if (over) throw new AppError(over.status, over.code, `"${name}" is refused: ${over.message}.`);
    const id = randomUUID();
    const dest = originalPath(ctx.config, id, name);
    await mkdir(path.dirname(dest), { recursive: true });
    await rename(f.tmpPath, dest);
    const result = await videos.insertVideo(ctx.db, {
      id,
      originalName: name,
      storedPath: toStored(ctx.config, dest),
      sha256: f.sha256,
      bytes: f.bytes,
      duration: info.duration,
      fps: info.fps,
      width: info.width,
      height: info.height,
      codec: info.codec,
      container: info.format,
      addedBy: f.addedBy,
    });
    if (!result.created) {
      // Lost a race with a concurrent upload of the same bytes.
      await removeVideoFiles(ctx.config, id);
      return result;
    }
    try {
      const queue = await ctx.queue();
      await queue.enqueueIngest(id);
    } catch (err) {
      await videos.markFailed(ctx.db, id, `could not queue for processing: ${(err as Error).message}`);
      throw err;
    }
    return result;
  } finally {
    await rm(f.tmpPath, { force: true });
  }
}

/** Adds a file already on this machine (CLI, demo seeding); the original is copied. */
export async function addLocalFile(
  ctx: Context,
  file: string,
  o: { name?: string; addedBy?: string | null } = {},
): Promise<AddResult> {
  const s = await stat(file).catch(() => null);
  if (!s?.isFile()) throw new AppError(400, "not_a_file", `${file} is not a file.`);
  if (s.size > ctx.config.maxUploadBytes)
    throw payloadTooLarge(`${path.basename(file)} is larger than the ${formatBytes(ctx.config.maxUploadBytes)} limit.`);
  const received = await receiveStream(ctx, createReadStream(file));
  const result = await registerFile(ctx, {
    ...received,
    originalName: o.name ?? path.basename(file),
    addedBy: o.addedBy ?? null,
  });
  const sidecar = await findSidecar(file);
  if (sidecar && ((await stat(sidecar).catch(() => null))?.size ?? Infinity) <= MAX_SUBTITLE_BYTES)
    await attachSubtitles(ctx, result.video.id, await readFile(sidecar, "utf8")).catch(() => undefined);
  return result;
}

export async function getVideo(ctx: Context, id: string): Promise<Video> {
  const v = await videos.findVideo(ctx.db, id);
  if (!v) throw notFound(`No video with id ${id}.`);
  return v;
}

export async function listVideos(ctx: Context, o: Partial<videos.VideoQuery> = {}) {
  return videos.listVideos(ctx.db, { ...o, limit: o.limit ?? 100, offset: o.offset ?? 0 });
}

/** A title of 1–255 characters (trimmed); empty or null goes back to the file name. */
export async function renameVideo(ctx: Context, id: string, title: string | null): Promise<Video> {
  const clean = title?.replace(/\s+/g, " ").trim() || null;
  if (clean && clean.length > MAX_NAME_LENGTH)
    throw new AppError(400, "invalid_title", `A title is at most ${MAX_NAME_LENGTH} characters.`);
  const v = await videos.setTitle(ctx.db, id, clean);
  if (!v) throw notFound(`No video with id ${id}.`);
  return v;
}

/**
 * Processes a video again from its stored file: a failed one (after its cause was fixed),
 * or any video for an admin (`any`). A video already waiting or being processed is left
 * as it is (409).
 */
export async function reprocessVideo(ctx: Context, id: string, o: { any: boolean }): Promise<Video> {
  const v = await getVideo(ctx, id);
  if (v.status === "queued" || v.status === "processing")
    throw new AppError(409, "already_processing", "The video is already being processed.");
  if (v.status !== "failed" && !o.any)
    throw forbidden("Only failed videos can be reprocessed by annotators; an admin can reprocess any video.");
  await videos.markRequeued(ctx.db, id);
  await (await ctx.queue()).enqueueIngest(id);
  return getVideo(ctx, id);
}

/** Removes the rows (clips cascade) first, then the files: a crash in between leaves only orphan files. */
export async function deleteVideo(ctx: Context, id: string): Promise<Video> {
  const v = await videos.deleteVideo(ctx.db, id);
  if (!v) throw notFound(`No video with id ${id}.`);
  await removeVideoFiles(ctx.config, id);
  return v;
}

export function absolutePath(ctx: Context, stored: string): string {
  return fromStored(ctx.config, stored);
}

/** Longest name kept, in characters (a common file-system limit). */
export const MAX_NAME_LENGTH = 255;

export function sanitizeName(name: string): string {
  // Keep what a person recognises; drop path parts and control characters.
  const base =
    path
      .basename(name.replace(/\\/g, "/"))
      .replace(/[\u0000-\u001f\u007f]/g, "")
      .trim() || "video";
  const chars = Array.from(base); // never cut a surrogate pair in half
  if (chars.length <= MAX_NAME_LENGTH) return base;
  // Shorten the stem, not the extension: the extension says what the file is.
  const ext = path.extname(base);
  const keep = ext.length > 0 && ext.length <= 16 ? Array.from(ext) : [];
  return (
    chars
      .slice(0, MAX_NAME_LENGTH - keep.length)
      .join("")
      .trimEnd() + keep.join("")
  );
}

export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}

export async function getClipSpans(ctx: Context, id: string) {
  const video = await getVideo(ctx, id);
  return clipsRepo.listClipSpans(ctx.db, video.id);
}

/** Largest subtitle file accepted (PUT …/subtitles, sidecar files). */
export const MAX_SUBTITLE_BYTES = 10 * 1024 * 1024;
/** Most cues one video's subtitles may have (a 6-hour film has ≈ 6,000). */
export const MAX_CUES = 20_000;

/** Attaches subtitles (SRT or WebVTT text) to a video; they replace any earlier ones. */
export async function attachSubtitles(
  ctx: Context,
  id: string,
  raw: string,
  source: CueSource = "sidecar",
): Promise<number> {
  const video = await getVideo(ctx, id);
  const cues = parseSubtitles(raw);
  if (cues.length === 0) throw unsupportedMedia("No subtitle cues found: send SRT or WebVTT text.");
  if (cues.length > MAX_CUES) {
    throw payloadTooLarge(`The subtitles have ${cues.length} cues; at most ${MAX_CUES} are stored per video.`);
  }
  await replaceCues(ctx.db, video.id, cues, source);
  return cues.length;
}

/** `movie.srt` / `movie.vtt` / `movie.en.srt` beside `movie.mp4`, if any. */
export async function findSidecar(file: string): Promise<string | null> {
  const dir = path.dirname(file);
  const stem = path.basename(file, path.extname(file));
  const names = await readdir(dir).catch(() => [] as string[]);
  const match = names
    .filter((n) => SUBTITLE_EXTENSIONS.includes(path.extname(n).toLowerCase()) && n.startsWith(`${stem}.`))
    .sort((a, b) => a.length - b.length)[0];
  return match ? path.join(dir, match) : null;
}
