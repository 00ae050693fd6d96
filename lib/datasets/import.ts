/**
 * Importing a moment dataset into the library and into review: its videos are added (or
 * matched to videos already there), its queries are kept with the dataset, timed
 * queries can become searchable captions (cues with source "dataset"), and batch
 * predictions over its queries can fill the review queue.
 *
 * Two ways in: a folder on this machine (`npm run import:dataset`), whose files are
 * added; or annotations sent from the browser after their videos were uploaded, matched
 * by the mapping the page sends or by file name.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { replaceCues } from "@/db/repositories/cues";
import * as datasetsRepo from "@/db/repositories/datasets";
import type { DatasetFormat, DatasetRow } from "@/db/repositories/datasets";
import { existingVideoIds, findVideosByStem } from "@/db/repositories/videos";
import { withTransaction } from "@/db/pool";
import type { MomentDataset } from "@/ml/data/format";
import type { SkippedEntry } from "@/ml/data/importers/common";
import type { Batch } from "@/db/repositories/batches";
import type { Context } from "../context";
import { badRequest } from "../errors";
import { isUuid } from "../http/respond";
import { startDatasetBatch } from "../review/batches";
import { addLocalFile } from "../videos/service";
import { parseAnnotationText, type FormatChoice } from "./formats";

export interface ImportedVideo {
  /** the video's id inside the dataset */
  datasetId: string;
  videoId: string | null;
  created: boolean;
  captions: number;
  error?: string;
}

export interface ImportOutcome {
  dataset: DatasetRow;
  videos: ImportedVideo[];
  batch: Batch | null;
  skipped: SkippedEntry[];
}

export interface ImportOptions {
  name?: string;
  /** timed queries become searchable captions */
  captions?: boolean;
  /** queue batch predictions over the queries for review */
  review?: boolean;
  addedBy: string | null;
  onVideo?: (v: ImportedVideo) => void;
}

const stem = (file: string) => path.basename(file).replace(/\.[^.]*$/, "");

/** Records the dataset, its captions and (optionally) its review batch, once each video has a library id or an error. */
export async function recordImportedDataset(
  ctx: Context,
  parsed: { dataset: MomentDataset; skipped: SkippedEntry[]; format: DatasetFormat },
  videos: ImportedVideo[],
  o: ImportOptions,
): Promise<ImportOutcome> {
  const { dataset } = parsed;
  const libraryId = new Map(videos.filter((v) => v.videoId).map((v) => [v.datasetId, v.videoId!]));
  if (o.captions) {
    for (const v of videos) {
      if (!v.videoId) continue;
      const cues = dataset.queries
        .filter((q) => q.video === v.datasetId && q.start !== undefined && q.end !== undefined && q.end > q.start)
        .map((q) => ({ start: q.start!, end: q.end!, text: q.query }))
        .sort((a, b) => a.start - b.start);
      if (cues.length) await replaceCues(ctx.db, v.videoId, cues, "dataset");
      v.captions = cues.length;
    }
  }
  const name =
    (o.name ?? dataset.name ?? "").trim().slice(0, 200) || `dataset of ${new Date().toISOString().slice(0, 10)}`;
  const datasetId = await withTransaction(ctx.db, (client) =>
    datasetsRepo.insertDataset(client, {
      name,
      format: parsed.format,
      createdBy: o.addedBy,
      queries: dataset.queries.map((q) => ({
        datasetVideo: q.video,
        videoId: libraryId.get(q.video) ?? null,
        sentence: q.query.slice(0, 500),
        span: q.start !== undefined && q.end !== undefined ? { start: q.start, end: q.end } : null,
      })),
    }),
  );
  const batch = o.review && libraryId.size ? await startDatasetBatch(ctx, datasetId, o.addedBy) : null;
  return { dataset: (await datasetsRepo.findDataset(ctx.db, datasetId))!, videos, batch, skipped: parsed.skipped };
}

/**
 * A dataset folder on this machine: `annotations` (default `<dir>/annotations.json`) in
 * any supported format; videos are the files annotations.json names, or for the other
 * formats the files in `<dir>/videos/` (or `<dir>`) named after the video ids.
 */
export async function importDatasetDir(
  ctx: Context,
  dir: string,
  o: ImportOptions & { annotations?: string; format?: FormatChoice },
): Promise<ImportOutcome> {
  const base = path.resolve(dir);
  const annotationsFile = path.resolve(base, o.annotations ?? "annotations.json");
  const text = await readFile(annotationsFile, "utf8").catch((err: Error) => {
    throw badRequest(`Cannot read the annotations ${annotationsFile}: ${err.message}`, "invalid_dataset");
  });
  const parsed = parseAnnotationText(text, o.format ?? "auto");
  const byStem = new Map<string, string>();
  for (const folder of [path.join(base, "videos"), base]) {
    for (const f of await readdir(folder).catch(() => [] as string[]))
      if (!byStem.has(f.replace(/\.[^.]*$/, ""))) byStem.set(f.replace(/\.[^.]*$/, ""), path.join(folder, f));
  }
  const videos: ImportedVideo[] = [];
  for (const v of parsed.dataset.videos) {
    let entry: ImportedVideo;
    try {
      const named = path.resolve(base, v.file);
      const file = (await stat(named).catch(() => null))?.isFile()
        ? named
        : (byStem.get(v.id) ?? byStem.get(stem(v.file)));
      if (!file) throw new Error(`no video file for "${v.id}" (looked for ${v.file} and ${v.id}.* in ${base}/videos)`);
      const { video, created } = await addLocalFile(ctx, file, { addedBy: o.addedBy });
      entry = { datasetId: v.id, videoId: video.id, created, captions: 0 };
    } catch (err) {
      entry = { datasetId: v.id, videoId: null, created: false, captions: 0, error: (err as Error).message };
    }
    videos.push(entry);
    o.onVideo?.(entry);
  }
  return recordImportedDataset(ctx, parsed, videos, o);
}

/**
 * Annotations sent from the browser. `videoIds` maps a dataset video id, or the name of
 * a file the page uploaded (with or without extension), to the library video it became;
 * videos it does not name are matched to library videos whose file name is the dataset
 * video's id (or its file's name).
 */
export async function importDatasetText(
  ctx: Context,
  text: string,
  o: ImportOptions & { format: FormatChoice; videoIds?: Record<string, string> },
): Promise<ImportOutcome> {
  const parsed = parseAnnotationText(text, o.format);
  const given = new Map<string, string>();
  for (const [k, id] of Object.entries(o.videoIds ?? {})) {
    given.set(k.toLowerCase(), id.toLowerCase());
    given.set(stem(k).toLowerCase(), id.toLowerCase());
  }
  const keys = (v: { id: string; file: string }) =>
    [v.id, path.basename(v.file), stem(v.file)].map((k) => k.toLowerCase());
  const byName = await findVideosByStem(ctx.db, [
    ...new Set(parsed.dataset.videos.flatMap((v) => [v.id, stem(v.file)])),
  ]);
  const videos = parsed.dataset.videos.map((v): ImportedVideo => {
    const id = keys(v)
      .map((k) => given.get(k) ?? byName.get(k))
      .find(Boolean);
    return id
      ? { datasetId: v.id, videoId: id, created: false, captions: 0 }
      : {
          datasetId: v.id,
          videoId: null,
          created: false,
          captions: 0,
          error: `no library video for "${v.id}": upload ${path.basename(v.file)} (or a file named ${v.id}.*) with the annotations`,
        };
  });
  const known = await existingVideoIds(
    ctx.db,
    videos.flatMap((v) => (v.videoId && isUuid(v.videoId) ? [v.videoId] : [])),
  );
  for (const v of videos) {
    if (v.videoId && !known.has(v.videoId)) {
      v.error = `the video ${v.videoId} given for "${v.datasetId}" is not in the library`;
      v.videoId = null;
    }
    o.onVideo?.(v);
  }
  return recordImportedDataset(ctx, parsed, videos, o);
}
