/**
 * CPL in the paper's setting: Charades-STA or ActivityNet Captions annotations with the
 * pre-computed clip features the authors distribute (I3D / C3D, .npy folder or HDF5),
 * no videos. Trains on (video, sentence) pairs only and evaluates R@n, IoU=m on a test
 * annotation file.
 */
import { readFile } from "node:fs/promises";
import { importActivityNetCaptions } from "../data/importers/activitynet";
import { importCharadesSta, parseCharadesDurationsCsv } from "../data/importers/charades";
import type { MomentDataset } from "../data/format";
import { openFeatureSource } from "../data/features";
import { evaluateGrounding, type MetricRow } from "../data/metrics";
import type { Corpus, CorpusVideo } from "../data/corpus";
import type { ClipVector } from "../types";
import { groundWithModel } from "./ground";
import type { CplModel } from "./model";
import { trainCpl, type CplTrainOpts } from "./train";

export type BenchmarkFormat = "charades" | "activitynet";

export interface FeatureCorpus {
  corpus: Corpus;
  /** per video: one vector per pre-computed feature row (the grounder's `embedding` input) */
  features: Map<string, ClipVector[]>;
  dim: number;
  /** videos left out because the feature source has none for them */
  missing: string[];
}

async function loadAnnotations(format: BenchmarkFormat, file: string, durationsCsv?: string): Promise<MomentDataset> {
  if (format === "activitynet") return (await importActivityNetCaptions(file)).dataset;
  const durations = durationsCsv ? parseCharadesDurationsCsv(await readFile(durationsCsv, "utf8")) : undefined;
  return (await importCharadesSta(file, { durations })).dataset;
}

/**
 * Annotations + features → the corpus shape the trainer uses. A video's duration is the
 * annotated one, else the latest annotated end time (Charades-STA without its CSV).
 */
export async function loadFeatureCorpus(o: {
  format: BenchmarkFormat;
  annotations: string;
  features: string;
  durations?: string;
}): Promise<FeatureCorpus> {
  const ds = await loadAnnotations(o.format, o.annotations, o.durations);
  const source = await openFeatureSource(o.features);
  const features = new Map<string, ClipVector[]>();
  const videos: CorpusVideo[] = [];
  const missing: string[] = [];
  let dim = 0;
  try {
    for (const v of ds.videos) {
      const f = await source.get(v.id);
      if (!f || f.rows.length === 0) {
        missing.push(v.id);
        continue;
      }
      if (dim && f.dim !== dim) throw new Error(`features of ${v.id} have dimension ${f.dim}, others ${dim}`);
      dim = f.dim;
      const ends = ds.queries.filter((q) => q.video === v.id && q.end !== undefined).map((q) => q.end!);
      const duration = v.duration ?? Math.max(...ends, 1);
      features.set(
        v.id,
        f.rows.map((embedding) => ({ embedding })),
      );
      videos.push({ id: v.id, feats: new Float32Array(0), nClips: f.rows.length, duration });
    }
  } finally {
    source.close();
  }
  if (videos.length === 0)
    throw new Error(`none of the ${ds.videos.length} annotated videos has features in ${o.features}`);
  const byId = new Map(videos.map((v) => [v.id, v]));
  const queries = ds.queries.filter((q) => byId.has(q.video));
  const sentences = new Map<string, string[]>(
    videos.map((v) => [v.id, [...new Set(queries.filter((q) => q.video === v.id).map((q) => q.query))]]),
  );
  return { corpus: { dir: o.annotations, videos, byId, queries, sentences }, features, dim, missing };
}

export function trainOnFeatures(train: FeatureCorpus, o: Omit<CplTrainOpts, "cfg"> & { K?: number }): CplModel {
  // pre-computed I3D/C3D features live in no text-aligned space: no similarity channel
  return trainCpl(train.corpus, train.features, {
    ...o,
    cfg: { inDim: train.dim, simChannel: false, ...(o.K ? { K: o.K } : {}) },
  });
}

export function evaluateOnFeatures(
  model: CplModel,
  test: FeatureCorpus,
): { queries: number; cpl: MetricRow; cpl_vote: MetricRow } {
  const vote = [];
  const loss = [];
  for (const q of test.corpus.queries) {
    if (q.start === undefined || q.end === undefined) continue;
    const v = test.corpus.byId.get(q.video)!;
    const clips = test.features.get(q.video)!;
    const gt = { start: q.start, end: q.end };
    vote.push({ gt, predictions: groundWithModel(model, q.query, clips, v.duration, { method: "vote", topK: 5 }) });
    loss.push({ gt, predictions: groundWithModel(model, q.query, clips, v.duration, { method: "loss", topK: 5 }) });
  }
  return { queries: vote.length, cpl: evaluateGrounding(loss), cpl_vote: evaluateGrounding(vote) };
}
