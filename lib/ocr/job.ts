/**
 * The OCR stage, run by the workers after a video is ready (it never holds search back):
 * on-screen text becomes cues with source "ocr", with OCR's own progress on the video.
 * One engine (a pool of tesseract workers) per worker process, started at the first job.
 */
import { replaceCues } from "@/db/repositories/cues";
import * as videosRepo from "@/db/repositories/videos";
import { withTransaction } from "@/db/pool";
import type { Context } from "../context";
import { probe } from "../media/ffmpeg";
import { absolutePath } from "../videos/service";
import { startOcrEngine, type OcrEngine } from "./engine";
import { extractOnScreenText, type OcrStats } from "./extract";

let engine: Promise<OcrEngine> | null = null;

function getEngine(ctx: Context): Promise<OcrEngine> {
  engine ??= startOcrEngine({ langs: ctx.config.ocrLangs, workers: ctx.config.ocrWorkers }).catch((err) => {
    engine = null;
    throw err;
  });
  return engine;
}

export async function stopOcrEngine(): Promise<void> {
  const e = engine;
  engine = null;
  await (await e?.catch(() => null))?.close();
}

/** Reads the video's on-screen text and stores it; returns null when the video is gone or not ready. */
export async function runOcr(
  ctx: Context,
  videoId: string,
  log: (m: string) => void = () => undefined,
): Promise<OcrStats | null> {
  const video = await videosRepo.findVideo(ctx.db, videoId);
  if (!video || video.status !== "ready") return null;
  await videosRepo.setOcrState(ctx.db, videoId, { status: "running", progress: 0 });
  const file = absolutePath(ctx, video.storedPath);
  const info =
    video.width && video.height && video.duration
      ? { width: video.width, height: video.height, duration: video.duration }
      : await probe(file);
  let lastWrite = 0;
  // progress writes in order, all done before the final state
  let writes: Promise<void> = Promise.resolve();
  const { cues, stats } = await extractOnScreenText(await getEngine(ctx), file, info, {
    onProgress: (pct) => {
      const now = Date.now();
      if (now - lastWrite < 1000) return; // at most one write a second
      lastWrite = now;
      writes = writes
        .then(() => videosRepo.setOcrState(ctx.db, videoId, { status: "running", progress: pct }))
        .catch(() => undefined);
    },
  });
  await writes;
  // the video may have been deleted meanwhile: then there is nothing to attach the cues to
  const stored = await withTransaction(ctx.db, async (tx) => {
    if ((await tx.query("SELECT 1 FROM videos WHERE id = $1 FOR UPDATE", [videoId])).rowCount === 0) return false;
    await replaceCues(tx, videoId, cues, "ocr");
    await videosRepo.setOcrState(tx, videoId, { status: "done", progress: 100 });
    return true;
  });
  if (!stored) return null;
  log(
    `${videoId}: on-screen text: ${cues.length} cues from ${stats.read} of ${stats.frames} frames read in ${stats.seconds.toFixed(1)} s`,
  );
  return stats;
}
