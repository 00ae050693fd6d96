/** Shared by the annotation importers. */
import type { MomentDataset } from "../format";

/** A line or entry that was left out, and why (the importers never drop data silently). */
export interface SkippedEntry {
  /** line number (Charades-STA) or "video_id[index]" (ActivityNet) */
  where: string;
  reason: string;
}

export interface ImportResult {
  dataset: MomentDataset;
  skipped: SkippedEntry[];
}

export interface ImportOptions {
  /** dataset name written into annotations.json */
  name?: string;
  /** folder of the videos relative to the dataset folder (default "videos") */
  videoDir?: string;
  /** file extension of the videos (default "mp4") */
  videoExt?: string;
}

export function videoFile(id: string, opts: ImportOptions): string {
  const dir = (opts.videoDir ?? "videos").replace(/\/+$/, "");
  const ext = (opts.videoExt ?? "mp4").replace(/^\./, "");
  return dir ? `${dir}/${id}.${ext}` : `${id}.${ext}`;
}
