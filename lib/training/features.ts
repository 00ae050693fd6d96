/**
 * The per-frame clip features of a library video, as training reads them: decoded by the
 * ingestion pipeline's own decodeClips with a featurizer (the built-in low-level stage or a
 * frame backbone, before any trained model), and kept in the video's media folder, so a resumed
 * or later training run does not decode the video again. The cache is keyed by the featurizer's
 * identity (ml/features/featurizer.ts: another backbone, or the same folder with other files,
 * is another key), so features of one featurizer are never read as another's. Deleting the
 * video removes them with its folder.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { FrameFeaturizerInfo } from "@/ml/encoders";
import type { Config } from "../config";
import { decodeClips } from "../ingest/pipeline";
import { fromStored, videoDir } from "../storage";

export interface VideoFeatures {
  id: string;
  /** the featurizer's output for every clip, in order (nClips · framesPerClip · its width) */
  feats: Float32Array;
  nClips: number;
  /** seconds (the probed duration) */
  duration: number;
}

interface CacheMeta {
  nClips: number;
  duration: number;
  key: string;
  /** the featurizer that made them */
  featurizer: string;
}

/**
 * What the features depend on: the stored file (size, time), the sampling, and the featurizer
 * (the fixed low-level stage's version, or the backbone's identity).
 */
async function cacheKey(source: string, featurizer: FrameFeaturizerInfo): Promise<string> {
  const st = await stat(source);
  return createHash("sha1")
    .update(JSON.stringify([st.size, st.mtimeMs, featurizer.spec, featurizer.id]))
    .digest("hex")
    .slice(0, 16);
}

export function featuresDir(config: Config, videoId: string): string {
  return path.join(videoDir(config, videoId), "features");
}

/** A ready video's features by `featurizer`, from its folder's cache or decoded now (and cached). */
export async function videoFeatures(
  config: Config,
  video: { id: string; storedPath: string; duration: number | null },
  featurizer: FrameFeaturizerInfo,
): Promise<VideoFeatures> {
  const source = fromStored(config, video.storedPath);
  const key = await cacheKey(source, featurizer);
  const dir = featuresDir(config, video.id);
  const bin = path.join(dir, `${key}.f32`);
  const meta = path.join(dir, `${key}.json`);
  if (existsSync(bin) && existsSync(meta)) {
    const m = JSON.parse(await readFile(meta, "utf8")) as CacheMeta;
    // the key says which featurizer; the record says it again (a file of another one is decoded over)
    if (m.featurizer === featurizer.id) {
      const buf = await readFile(bin);
      const feats = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
      return { id: video.id, feats, nClips: m.nClips, duration: m.duration };
    }
  }
  const clipSeconds = featurizer.spec.framesPerClip / featurizer.spec.fps;
  const decoded = await decodeClips(source, featurizer, video.duration ?? Number.POSITIVE_INFINITY, async () => {});
  if (decoded.nClips === 0) throw new Error(`no frame of video ${video.id} could be decoded`);
  const duration = video.duration ?? decoded.spans[decoded.spans.length - 1]?.end ?? decoded.nClips * clipSeconds;
  await mkdir(dir, { recursive: true });
  // written aside and renamed: a crash never leaves a truncated file under the real name
  await writeFile(`${bin}.tmp`, Buffer.from(decoded.feats.buffer, decoded.feats.byteOffset, decoded.feats.byteLength));
  await rename(`${bin}.tmp`, bin);
  await writeFile(
    meta,
    JSON.stringify({ nClips: decoded.nClips, duration, key, featurizer: featurizer.id } satisfies CacheMeta),
  );
  return { id: video.id, feats: decoded.feats, nClips: decoded.nClips, duration };
}
