/**
 * Importing a moment dataset folder (annotations.json + videos/, the format of
 * shared/datasets.md §1) into the library. Timed queries can come along as captions
 * (cues with source "dataset"), which full-text search then ranks beside the vectors.
 */
import { replaceCues } from "@/db/repositories/cues";
import { readDataset } from "@/ml/data/format";
import type { Context } from "./context";
import { addLocalFile } from "./videos/service";

export interface ImportedVideo {
  datasetId: string;
  videoId: string | null;
  created: boolean;
  captions: number;
  error?: string;
}

export async function importDataset(
  ctx: Context,
  dir: string,
  o: { captions: boolean; addedBy: string | null; onVideo?: (v: ImportedVideo) => void },
): Promise<ImportedVideo[]> {
  const { dataset, videoPath } = await readDataset(dir, { checkFiles: true });
  const out: ImportedVideo[] = [];
  for (const v of dataset.videos) {
    let entry: ImportedVideo;
    try {
      const { video, created } = await addLocalFile(ctx, videoPath(v), { addedBy: o.addedBy });
      let captions = 0;
      if (o.captions) {
        const cues = dataset.queries
          .filter((q) => q.video === v.id && q.start !== undefined && q.end !== undefined && q.end > q.start)
          .map((q) => ({ start: q.start!, end: q.end!, text: q.query }))
          .sort((a, b) => a.start - b.start);
        if (cues.length) await replaceCues(ctx.db, video.id, cues, "dataset");
        captions = cues.length;
      }
      entry = { datasetId: v.id, videoId: video.id, created, captions };
    } catch (err) {
      entry = { datasetId: v.id, videoId: null, created: false, captions: 0, error: (err as Error).message };
    }
    out.push(entry);
    o.onVideo?.(entry);
  }
  return out;
}
