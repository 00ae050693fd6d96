/**
 * The low-level clip features of a library video, as training reads them: decoded by the
 * ingestion pipeline's own decodeClips (the clip encoder's frame sampling and featurizer, before
 * any trained model), and kept in the video's media folder, so a resumed or later training run
 * does not decode the video again. Deleting the video removes them with its folder.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { LOWLEVEL_VERSION } from "@/ml/config";
import type { ClipEncoder } from "@/ml/types";
import type { Config } from "../config";
import { decodeClips } from "../ingest/pipeline";
import { fromStored, videoDir } from "../storage";

export interface VideoFeatures {
  id: string;
  /** the encoder's featurizeClips output for every clip, in order */
  feats: Float32Array;
  nClips: number;
  /** seconds (the probed duration) */
  duration: number;
}

interface CacheMeta {
  nClips: number;
  duration: number;
  key: string;
}

/**
 * What the features depend on: the stored file (size, time), the sampling, and the featurizer
 * (the fixed low-level stage's version, or the configured backbone).
 */
async function cacheKey(config: Config, source: string, encoder: ClipEncoder): Promise<string> {
  const st = await stat(source);
  return createHash("sha1")
    .update(JSON.stringify([st.size, st.mtimeMs, encoder.spec, LOWLEVEL_VERSION, config.ml.backboneDir ?? "lowlevel"]))
    .digest("hex")
    .slice(0, 16);
}

export function featuresDir(config: Config, videoId: string): string {
  return path.join(videoDir(config, videoId), "features");
}

/** A ready video's features, from its folder's cache or decoded now (and cached). */
export async function videoFeatures(
  config: Config,
  video: { id: string; storedPath: string; duration: number | null },
  encoder: ClipEncoder,
): Promise<VideoFeatures> {
  const source = fromStored(config, video.storedPath);
  const key = await cacheKey(config, source, encoder);
  const dir = featuresDir(config, video.id);
  const bin = path.join(dir, `${key}.f32`);
  const meta = path.join(dir, `${key}.json`);
  if (existsSync(bin) && existsSync(meta)) {
    const m = JSON.parse(await readFile(meta, "utf8")) as CacheMeta;
    const buf = await readFile(bin);
    const feats = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    return { id: video.id, feats, nClips: m.nClips, duration: m.duration };
  }
  const clipSeconds = encoder.spec.framesPerClip / encoder.spec.fps;
  const decoded = await decodeClips(source, encoder, video.duration ?? Number.POSITIVE_INFINITY, async () => {});
  if (decoded.nClips === 0) throw new Error(`no frame of video ${video.id} could be decoded`);
  const duration = video.duration ?? decoded.spans[decoded.spans.length - 1]?.end ?? decoded.nClips * clipSeconds;
  await mkdir(dir, { recursive: true });
  // written aside and renamed: a crash never leaves a truncated file under the real name
  await writeFile(`${bin}.tmp`, Buffer.from(decoded.feats.buffer, decoded.feats.byteOffset, decoded.feats.byteLength));
  await rename(`${bin}.tmp`, bin);
  await writeFile(meta, JSON.stringify({ nClips: decoded.nClips, duration, key } satisfies CacheMeta));
  return { id: video.id, feats: decoded.feats, nClips: decoded.nClips, duration };
}
