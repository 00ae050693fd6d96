/** The public JSON shape of a video: no server paths, URLs instead. */
import type { SpriteInfo, Video } from "@/db/repositories/videos";

export interface VideoDto {
  id: string;
  /** the uploaded file's name */
  name: string;
  /** what people see: the title someone gave it, else the file name without its extension */
  title: string;
  /** whether `title` was given by someone (rather than taken from the file name) */
  titled: boolean;
  status: Video["status"];
  progress: number;
  /** while processing: seconds left, estimated from the progress so far (null when unknown) */
  etaSeconds: number | null;
  /** on-screen text (OCR), read after the video is ready: null = never run */
  ocr: { status: Video["ocrStatus"]; progress: number; error: string | null };
  /** whether it has subtitles or on-screen text (the "CC" mark) */
  hasText: boolean;
  error: string | null;
  warning: string | null;
  bytes: number;
  sha256: string;
  duration: number | null;
  fps: number | null;
  width: number | null;
  height: number | null;
  codec: string | null;
  container: string | null;
  modelVersion: string | null;
  /** the model version (GET /api/models) whose vectors its clips hold; null before it has clips */
  clipsModelVersion: number | null;
  clipSeconds: number | null;
  sprite: SpriteInfo | null;
  createdAt: string;
  readyAt: string | null;
  /** id of the account that added it */
  addedBy: string | null;
  urls: { file: string; poster: string | null; sprite: string | null };
}

/** The file name without its extension ("holiday.final.mp4" → "holiday.final"). */
export function fileStem(name: string): string {
  const stem = name.replace(/\.[^.\s]{1,8}$/, "");
  return stem || name;
}

/**
 * Seconds left at `progress` percent, `elapsed` seconds into the attempt: the rate so far,
 * carried on. Unknown before the first few percent (the poster and sprite come first and
 * say little about the decoding to follow).
 */
export function estimateSecondsLeft(progress: number, elapsedSeconds: number): number | null {
  if (!(progress >= 5 && progress < 100 && elapsedSeconds > 0)) return null;
  return Math.max(1, Math.round((elapsedSeconds * (100 - progress)) / progress));
}

export function toVideoDto(v: Video, now = Date.now()): VideoDto {
  const base = `/api/videos/${v.id}`;
  return {
    id: v.id,
    name: v.originalName,
    title: v.title ?? fileStem(v.originalName),
    titled: v.title !== null,
    status: v.status,
    progress: Math.round(v.progress * 10) / 10,
    ocr: { status: v.ocrStatus, progress: Math.round(v.ocrProgress), error: v.ocrError },
    hasText: v.hasText,
    etaSeconds:
      v.status === "processing" && v.processingStartedAt
        ? estimateSecondsLeft(v.progress, (now - v.processingStartedAt.getTime()) / 1000)
        : null,
    error: v.error,
    warning: v.warning,
    bytes: v.bytes,
    sha256: v.sha256,
    duration: v.duration,
    fps: v.fps,
    width: v.width,
    height: v.height,
    codec: v.codec,
    container: v.container,
    modelVersion: v.modelVersion,
    clipsModelVersion: v.clipsModelVersion,
    clipSeconds: v.clipSeconds,
    sprite: v.sprite,
    createdAt: v.createdAt.toISOString(),
    readyAt: v.readyAt ? v.readyAt.toISOString() : null,
    addedBy: v.addedBy,
    // A cache-buster that changes only when the images are remade (a re-ingest ends in a
    // new readyAt), not on every progress update.
    urls: {
      file: `${base}/file`,
      poster: v.posterPath ? `${base}/poster?v=${imagesVersion(v)}` : null,
      sprite: v.spritePath ? `${base}/sprite?v=${imagesVersion(v)}` : null,
    },
  };
}

function imagesVersion(v: Video): number {
  return (v.readyAt ?? v.createdAt).getTime() + v.attempts;
}
