/**
 * Exporting what annotators decided as a moment dataset (shared/datasets.md §1): one
 * query per live decision, with the annotator's span (accepted: the prediction;
 * corrected: theirs; rejected: none, i.e. a weak query). Each query also carries the
 * prediction it judged and its model version, so `npm run eval` on the folder prints the
 * dashboard's numbers for that version; the videos are named by their library id.
 */
import { copyFile, link, mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { listJudged, type Decision } from "@/db/repositories/review";
import { findVideosByIds } from "@/db/repositories/videos";
import { ANNOTATIONS_FILE, parseAnnotations } from "@/ml/data/format";
import type { Context } from "../context";
import { badRequest } from "../errors";
import { absolutePath } from "../videos/service";

export const EXPORT_STATUSES = {
  accepted: "accept",
  corrected: "correct",
  rejected: "reject",
} as const satisfies Record<string, Decision>;
export type ExportStatus = keyof typeof EXPORT_STATUSES;
export const DEFAULT_EXPORT_STATUSES: ExportStatus[] = ["accepted", "corrected"];

export interface ExportedQuery {
  video: string;
  query: string;
  start?: number;
  end?: number;
  decision: Decision;
  notInVideo?: boolean;
  annotator: string | null;
  modelVersion: string;
  prediction: { start: number; end: number };
  itemId: string;
  source: string;
  decidedAt: string;
}

export interface ExportedDataset {
  name: string;
  videos: { id: string; file: string; duration?: number; name: string }[];
  queries: ExportedQuery[];
}

/** "accepted,corrected" → the statuses; anything else is a 400 that lists the choices. */
export function parseExportStatuses(raw: string | null | undefined): ExportStatus[] {
  if (!raw) return DEFAULT_EXPORT_STATUSES;
  const out = [
    ...new Set(
      raw
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  const bad = out.find((s) => !(s in EXPORT_STATUSES));
  if (bad || out.length === 0)
    throw badRequest(
      `status must be a comma-separated list of ${Object.keys(EXPORT_STATUSES).join(", ")}.`,
      "invalid_status",
    );
  return out as ExportStatus[];
}

const extension = (name: string) => (path.extname(name) || ".mp4").toLowerCase();

export async function buildExport(
  ctx: Context,
  statuses: ExportStatus[] = DEFAULT_EXPORT_STATUSES,
): Promise<ExportedDataset> {
  const judged = await listJudged(
    ctx.db,
    statuses.map((s) => EXPORT_STATUSES[s]),
  );
  const videos = await findVideosByIds(ctx.db, [...new Set(judged.map((a) => a.videoId))]);
  const doc: ExportedDataset = {
    name: `reviewed spans (${statuses.join(", ")}), exported ${new Date().toISOString()}`,
    videos: videos
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((v) => ({
        id: v.id,
        file: `videos/${v.id}${extension(v.originalName)}`,
        ...(v.duration ? { duration: v.duration } : {}),
        name: v.originalName,
      })),
    queries: judged.map((a) => ({
      video: a.videoId,
      query: a.sentence,
      ...(a.span ? { start: a.span.start, end: a.span.end } : {}),
      decision: a.decision,
      ...(a.notInVideo ? { notInVideo: true } : {}),
      annotator: a.annotatorEmail,
      modelVersion: a.modelVersion,
      prediction: a.prediction,
      itemId: a.itemId,
      source: a.source,
      decidedAt: a.createdAt.toISOString(),
    })),
  };
  // the export must read back as the shared format (extra fields are allowed there)
  parseAnnotations(doc, "export");
  return doc;
}

/** Writes `<out>/annotations.json` and `<out>/videos/` (hard links where the file system allows, else copies). */
export async function writeExport(ctx: Context, out: string, statuses?: ExportStatus[]): Promise<ExportedDataset> {
  const doc = await buildExport(ctx, statuses);
  const dir = path.resolve(out);
  await mkdir(path.join(dir, "videos"), { recursive: true });
  const byId = new Map(
    (
      await findVideosByIds(
        ctx.db,
        doc.videos.map((v) => v.id),
      )
    ).map((v) => [v.id, v]),
  );
  for (const v of doc.videos) {
    const src = absolutePath(ctx, byId.get(v.id)!.storedPath);
    const dest = path.join(dir, v.file);
    await rm(dest, { force: true });
    await link(src, dest).catch(() => copyFile(src, dest));
  }
  await writeFile(path.join(dir, ANNOTATIONS_FILE), JSON.stringify(doc, null, 1) + "\n");
  return doc;
}
