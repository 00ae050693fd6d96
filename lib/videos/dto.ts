/** The public JSON shape of a video: no server paths, URLs instead. */
import type { SpriteInfo, Video } from "@/db/repositories/videos";

export interface VideoDto {
  id: string;
  name: string;
  status: Video["status"];
  progress: number;
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
  clipSeconds: number | null;
  sprite: SpriteInfo | null;
  createdAt: string;
  readyAt: string | null;
  /** id of the account that added it */
  addedBy: string | null;
  urls: { file: string; poster: string | null; sprite: string | null };
}

export function toVideoDto(v: Video): VideoDto {
  const base = `/api/videos/${v.id}`;
  return {
    id: v.id,
    name: v.originalName,
    status: v.status,
    progress: Math.round(v.progress * 10) / 10,
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
