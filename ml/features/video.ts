/**
 * Video → low-level per-frame features, exactly as the ingestion worker samples a video
 * (ffmpeg fps + area scale to spec.width×spec.height, rgb24, see ./ffmpeg; the last partial
 * clip padded by repeating its last frame), plus an on-disk cache so training epochs never
 * decode video again.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { decodeFrames, probeDuration } from "./ffmpeg";
import { FRAME_FEATURE_DIM, frameFeatures, frameScratch } from "./lowlevel";
import { LOWLEVEL_VERSION } from "../config";
import type { ClipSpec } from "../types";

export interface VideoFeatures {
  /** [nClips * framesPerClip, FRAME_FEATURE_DIM] */
  feats: Float32Array;
  nClips: number;
  /** probed duration (authoritative) in seconds */
  duration: number;
  /** false when ffprobe failed and duration = decoded frames / fps */
  probed?: boolean;
}

/** ffmpeg/ffprobe binaries to decode with (default: resolveFfmpeg()'s). */
export interface DecodeBinaries {
  ffmpeg: string;
  ffprobe: string;
}

export async function extractVideoFeatures(
  file: string,
  spec: ClipSpec,
  binaries?: DecodeBinaries,
): Promise<VideoFeatures> {
  const nPix = spec.width * spec.height;
  const scratch = frameScratch(nPix);
  const frames: Float32Array[] = [];
  for await (const fr of decodeFrames(file, spec, { ffmpeg: binaries?.ffmpeg })) {
    const f = new Float32Array(FRAME_FEATURE_DIM);
    frameFeatures(fr, 0, spec.width, spec.height, f, 0, scratch);
    frames.push(f);
  }
  if (frames.length === 0) throw new Error(`no frames decoded from ${file}`);
  const F = spec.framesPerClip;
  const nClips = Math.ceil(frames.length / F);
  const feats = new Float32Array(nClips * F * FRAME_FEATURE_DIM);
  for (let i = 0; i < nClips * F; i++) feats.set(frames[Math.min(i, frames.length - 1)], i * FRAME_FEATURE_DIM);
  let duration = probeDuration(file, binaries?.ffprobe);
  const probed = Number.isFinite(duration) && duration > 0;
  if (!probed) duration = frames.length / spec.fps;
  return { feats, nClips, duration, probed };
}

function cacheKey(file: string, spec: ClipSpec): string {
  const st = statSync(file);
  return createHash("sha1")
    .update(
      `${path.resolve(file)}|${st.size}|${st.mtimeMs}|${JSON.stringify(spec)}|${LOWLEVEL_VERSION}|${FRAME_FEATURE_DIM}`,
    )
    .digest("hex")
    .slice(0, 20);
}

/** Where cachedVideoFeatures keeps its files unless told (lib/config.ts: ML_FEATURE_CACHE). */
export function defaultFeatureCacheDir(): string {
  return path.resolve("data/cache/lowlevel");
}

/** Cached version of extractVideoFeatures (cache dir default: defaultFeatureCacheDir()). */
export async function cachedVideoFeatures(
  file: string,
  spec: ClipSpec,
  cacheDir = defaultFeatureCacheDir(),
  binaries?: DecodeBinaries,
): Promise<VideoFeatures> {
  const key = cacheKey(file, spec);
  const bin = path.join(cacheDir, `${key}.f32`);
  const meta = path.join(cacheDir, `${key}.json`);
  if (existsSync(bin) && existsSync(meta)) {
    const m = JSON.parse(readFileSync(meta, "utf8")) as { nClips: number; duration: number; probed?: boolean };
    const buf = readFileSync(bin);
    return { feats: new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)), ...m };
  }
  const v = await extractVideoFeatures(file, spec, binaries);
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(`${bin}.tmp`, Buffer.from(v.feats.buffer, v.feats.byteOffset, v.feats.byteLength));
  renameSync(`${bin}.tmp`, bin);
  writeFileSync(meta, JSON.stringify({ nClips: v.nClips, duration: v.duration, probed: v.probed, file }));
  return v;
}

/** Run `fn` over items with at most `limit` in flight. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (x: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}
