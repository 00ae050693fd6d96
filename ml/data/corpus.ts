/** A moment dataset loaded for training/eval: cached low-level features per video. */
import { readDataset } from "../data/format";
import { cachedVideoFeatures, mapLimit, type VideoFeatures } from "../features/video";
import { CLIP_SPEC } from "../config";
import type { ClipSpec } from "../types";
import cliProgress from "cli-progress";
import { readFeaturePack } from "../data/feature-pack";

export interface CorpusVideo extends VideoFeatures {
  id: string;
}
export interface CorpusQuery {
  video: string;
  query: string;
  start?: number;
  end?: number;
}
export interface Corpus {
  dir: string;
  videos: CorpusVideo[];
  byId: Map<string, CorpusVideo>;
  queries: CorpusQuery[];
  /** weak sentences per video: every query sentence (no timestamps) + captions */
  sentences: Map<string, string[]>;
}

export interface LoadCorpusOptions {
  spec?: ClipSpec;
  /** videos decoded at once (default 2; lib/config.ts: ML_DECODE_CONCURRENCY) */
  concurrency?: number;
  quiet?: boolean;
  limitVideos?: number;
  /** ffmpeg/ffprobe to decode with (default: resolveFfmpeg()'s) */
  binaries?: { ffmpeg: string; ffprobe: string };
  /** where decoded features are cached (default data/cache/lowlevel; lib/config.ts: ML_FEATURE_CACHE) */
  cacheDir?: string;
}

export async function loadCorpus(dir: string, opts: LoadCorpusOptions = {}): Promise<Corpus> {
  const spec = opts.spec ?? CLIP_SPEC;
  const ds = await readDataset(dir);
  let vids = ds.dataset.videos;
  if (opts.limitVideos) vids = vids.slice(0, opts.limitVideos);
  const pack = readFeaturePack(dir, spec);
  const bar = opts.quiet
    ? null
    : new cliProgress.SingleBar(
        { format: `features ${dir} [{bar}] {value}/{total} {eta}s` },
        cliProgress.Presets.shades_classic,
      );
  bar?.start(vids.length, 0);
  const videos = await mapLimit(vids, opts.concurrency ?? 2, async (v) => {
    const f = pack?.get(v.id) ?? (await cachedVideoFeatures(ds.videoPath(v), spec, opts.cacheDir, opts.binaries));
    bar?.increment();
    // without ffprobe the annotated duration beats frames/fps
    const duration = f.probed === false && v.duration ? v.duration : f.duration;
    return { id: v.id, ...f, duration };
  });
  bar?.stop();
  const byId = new Map(videos.map((v) => [v.id, v]));
  const queries = ds.dataset.queries.filter((q) => byId.has(q.video));
  const sentences = new Map<string, string[]>();
  for (const v of vids) sentences.set(v.id, [...(v.captions ?? [])]);
  for (const q of queries) sentences.get(q.video)!.push(q.query);
  // captions usually repeat the query sentences: keep each sentence once per video
  for (const [k, ss] of sentences) sentences.set(k, [...new Set(ss)]);
  return { dir, videos, byId, queries, sentences };
}

/**
 * Several corpora as one training set. Video ids are prefixed with their corpus' index, since
 * two renderings may both have a "v001".
 */
export function mergeCorpora(parts: Corpus[]): Corpus {
  if (parts.length === 1) return parts[0];
  const key = (i: number, id: string) => `${i}:${id}`;
  const videos = parts.flatMap((c, i) => c.videos.map((v) => ({ ...v, id: key(i, v.id) })));
  const queries = parts.flatMap((c, i) => c.queries.map((q) => ({ ...q, video: key(i, q.video) })));
  const sentences = new Map(parts.flatMap((c, i) => [...c.sentences].map(([id, ss]) => [key(i, id), ss] as const)));
  return {
    dir: parts.map((c) => c.dir).join("+"),
    videos,
    byId: new Map(videos.map((v) => [v.id, v])),
    queries,
    sentences,
  };
}
