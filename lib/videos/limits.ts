/**
 * Limits that protect the machine, checked from the probe before anything is decoded:
 * a file's container can claim hours of timeline for a few kilobytes (and frames), and
 * ingesting that would cost minutes of worker time and tens of thousands of clip rows.
 * Used at upload (nothing is stored) and by the worker (files added before a limit existed).
 */
import { CLIP_SECONDS, type Config } from "../config";
import { AppError } from "../errors";
import type { ProbeResult } from "../media/ffmpeg";
import { CLIP_SPEC } from "@/ml/config";

type Limits = Pick<Config, "maxVideoSeconds" | "maxClipsPerVideo" | "maxFramePixels">;

/** Shorter than this, the clip encoder's sampler gets no frame at all. */
export const MIN_VIDEO_SECONDS = 0.5 / CLIP_SPEC.fps;

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds * 100) / 100} s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return h > 0 ? `${h} h ${m} min` : `${m} min ${s} s`;
}

/** Why `info` may not be indexed (413 too long / too many clips, 415 frame too large or too short), or null. */
export function limitError(
  info: Pick<ProbeResult, "duration" | "width" | "height">,
  limits: Limits,
  clipSeconds = CLIP_SECONDS,
): AppError | null {
  if (limits.maxVideoSeconds > 0 && info.duration > limits.maxVideoSeconds) {
    return new AppError(
      413,
      "video_too_long",
      `the video is ${formatDuration(info.duration)} long; the limit is ${formatDuration(limits.maxVideoSeconds)} (MAX_VIDEO_SECONDS=${limits.maxVideoSeconds})`,
    );
  }
  const clips = Math.ceil(info.duration / clipSeconds);
  if (limits.maxClipsPerVideo > 0 && clips > limits.maxClipsPerVideo) {
    return new AppError(
      413,
      "too_many_clips",
      `the video would make ${clips} clips of ${clipSeconds} s; the limit is ${limits.maxClipsPerVideo} (MAX_CLIPS_PER_VIDEO=${limits.maxClipsPerVideo})`,
    );
  }
  const pixels = info.width * info.height;
  if (limits.maxFramePixels > 0 && pixels > limits.maxFramePixels) {
    return new AppError(
      415,
      "frame_too_large",
      `its frames are ${info.width}×${info.height} (${pixels} pixels); the limit is ${limits.maxFramePixels} pixels (MAX_FRAME_PIXELS=${limits.maxFramePixels})`,
    );
  }
  if (info.duration < MIN_VIDEO_SECONDS) {
    return new AppError(
      415,
      "too_short",
      `the video is ${formatDuration(info.duration)} long; nothing can be indexed from less than ${MIN_VIDEO_SECONDS} s (one frame at the ${CLIP_SPEC.fps} fps the indexer samples)`,
    );
  }
  return null;
}
