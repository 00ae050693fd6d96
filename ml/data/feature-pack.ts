/**
 * Feature pack: every video's low-level frame features of one moment-dataset folder in a
 * single brotli-compressed file (`<dataset>/lowlevel-<version>.pack.br`). The features are
 * mostly zeros (empty occupancy cells), so a split of several hundred MB packs to ~15 MB:
 * small enough to carry a corpus to another machine and train there without its videos or
 * ffmpeg. `loadCorpus` prefers a pack whose version and clip spec match; otherwise it
 * decodes the videos as usual.
 */
import { existsSync, readFileSync, writeFileSync, renameSync } from "node:fs";
import path from "node:path";
import { brotliCompressSync, brotliDecompressSync, constants } from "node:zlib";
import { FRAME_FEATURE_DIM } from "../features/lowlevel";
import { LOWLEVEL_VERSION } from "../config";
import type { ClipSpec } from "../types";
import type { VideoFeatures } from "../features/video";

interface PackHeader {
  version: string;
  frameDim: number;
  spec: ClipSpec;
  videos: { id: string; nClips: number; duration: number; probed?: boolean; offset: number; length: number }[];
}

export function packPath(datasetDir: string): string {
  return path.join(datasetDir, `lowlevel-${LOWLEVEL_VERSION}.pack.br`);
}

export function writeFeaturePack(
  datasetDir: string,
  spec: ClipSpec,
  videos: ({ id: string } & VideoFeatures)[],
): string {
  const header: PackHeader = { version: LOWLEVEL_VERSION, frameDim: FRAME_FEATURE_DIM, spec, videos: [] };
  let offset = 0;
  for (const v of videos) {
    header.videos.push({
      id: v.id,
      nClips: v.nClips,
      duration: v.duration,
      probed: v.probed,
      offset,
      length: v.feats.length,
    });
    offset += v.feats.length;
  }
  const head = Buffer.from(JSON.stringify(header));
  const body = Buffer.alloc(4 + head.length + offset * 4);
  body.writeUInt32LE(head.length, 0);
  head.copy(body, 4);
  let o = 4 + head.length;
  for (const v of videos) {
    Buffer.from(v.feats.buffer, v.feats.byteOffset, v.feats.byteLength).copy(body, o);
    o += v.feats.byteLength;
  }
  const file = packPath(datasetDir);
  writeFileSync(
    `${file}.tmp`,
    brotliCompressSync(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    }),
  );
  renameSync(`${file}.tmp`, file);
  return file;
}

/** The pack's features by video id, or null when there is no pack matching this spec. */
export function readFeaturePack(datasetDir: string, spec: ClipSpec): Map<string, VideoFeatures> | null {
  const file = packPath(datasetDir);
  if (!existsSync(file)) return null;
  const buf = brotliDecompressSync(readFileSync(file));
  const hl = buf.readUInt32LE(0);
  const header = JSON.parse(buf.subarray(4, 4 + hl).toString("utf8")) as PackHeader;
  if (
    header.version !== LOWLEVEL_VERSION ||
    header.frameDim !== FRAME_FEATURE_DIM ||
    JSON.stringify(header.spec) !== JSON.stringify(spec)
  )
    return null;
  // copy into an aligned buffer (the header length makes the body offset arbitrary)
  const all = new Float32Array((buf.length - 4 - hl) >> 2);
  new Uint8Array(all.buffer).set(buf.subarray(4 + hl, 4 + hl + all.length * 4));
  const out = new Map<string, VideoFeatures>();
  for (const v of header.videos)
    out.set(v.id, {
      feats: all.subarray(v.offset, v.offset + v.length),
      nClips: v.nClips,
      duration: v.duration,
      probed: v.probed,
    });
  return out;
}
