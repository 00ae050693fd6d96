/**
 * On-screen text of a video as timed cues: frames sampled at `rate` per second (grey,
 * at a width tesseract reads well), the change test skipping frames that look like the
 * last one read (they keep its text), OCR on the rest through the engine's pool, then
 * consecutive frames with the same text merged into cues.
 */
import { decodeFrames } from "../media/ffmpeg";
import { DEFAULT_CHANGE_TEST, frameChanged, thumbnail, type ChangeTest } from "./change";
import { frameTextOf, mergeFrameTexts, MIN_WORD_CONFIDENCE } from "./cues";
import type { OcrEngine } from "./engine";
import type { Cue } from "@/db/repositories/cues";

/** One frame a second: on-screen text rarely lasts less; each frame read costs ~0.4 s of CPU. */
export const OCR_FRAMES_PER_SECOND = 1;

export interface OcrStats {
  frames: number;
  /** frames the change test sent to OCR */
  read: number;
  seconds: number;
}

/**
 * The size frames are read at: small videos are scaled up to 640 wide (tesseract wants
 * letters at least ~20 px tall), large ones down to 1280 wide; even dimensions.
 */
export function ocrFrameSize(width: number, height: number): { width: number; height: number } {
  const w = Math.min(1280, Math.max(640, width));
  const even = (x: number) => Math.max(2, Math.round(x / 2) * 2);
  return { width: even(w), height: even((height * w) / width) };
}

/** Grey frames of `file` at `rate` fps and `size`, in order; a file that yields none fails with ffmpeg's reason. */
async function* grayFrames(
  file: string,
  rate: number,
  size: { width: number; height: number },
): AsyncGenerator<Uint8Array> {
  const result: { warning?: string } = {};
  let frames = 0;
  for await (const frame of decodeFrames(file, { fps: rate, ...size, pixFmt: "gray" }, result)) {
    frames++;
    yield frame;
  }
  if (frames === 0 && result.warning) throw new Error(`ffmpeg could not decode frames for OCR: ${result.warning}`);
}

export async function extractOnScreenText(
  engine: OcrEngine,
  file: string,
  video: { width: number; height: number; duration: number },
  o: { rate?: number; changeTest?: ChangeTest | null; minConfidence?: number; onProgress?: (pct: number) => void } = {},
): Promise<{ cues: Cue[]; stats: OcrStats }> {
  const rate = o.rate ?? OCR_FRAMES_PER_SECOND;
  const size = ocrFrameSize(video.width, video.height);
  const t0 = Date.now();
  const texts: Promise<string>[] = [];
  const inFlight = new Set<Promise<string>>();
  let lastRead: Uint8Array | null = null;
  let lastText: Promise<string> = Promise.resolve("");
  let read = 0;
  let index = 0;
  for await (const gray of grayFrames(file, rate, size)) {
    const thumb = thumbnail(gray, size.width, size.height);
    if (o.changeTest === null || frameChanged(lastRead, thumb, o.changeTest ?? DEFAULT_CHANGE_TEST)) {
      // at most one frame per OCR worker in flight: decoding waits for the readers
      while (inFlight.size >= engine.workers) await Promise.race(inFlight);
      const job = engine
        .read(gray, size.width, size.height)
        .then((lines) => frameTextOf(lines, o.minConfidence ?? MIN_WORD_CONFIDENCE));
      const tracked = job.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      lastRead = thumb;
      lastText = job;
      read++;
    }
    texts.push(lastText);
    index++;
    if (video.duration > 0) o.onProgress?.(Math.min(99, (100 * index) / (rate * video.duration)));
  }
  const resolved = await Promise.all(texts);
  const cues = mergeFrameTexts(
    resolved.map((text, i) => ({ time: i / rate, text })),
    1 / rate,
    { duration: video.duration },
  );
  return { cues, stats: { frames: index, read, seconds: (Date.now() - t0) / 1000 } };
}
