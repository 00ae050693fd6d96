/**
 * The moment-dataset folder format (docs: /work/shared/datasets.md §1).
 *
 *   <dataset>/annotations.json
 *   <dataset>/videos/<any name>.mp4
 *
 * Everything that reads or writes such a folder goes through this module so that a
 * malformed file fails once, early, with a message that names the offending entry.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { z } from "zod";

export interface DatasetVideo {
  id: string;
  /** path relative to the dataset folder (or absolute) */
  file: string;
  /** informative only: the probed duration of the file is authoritative */
  duration?: number;
  /** optional video-level sentences, usable for weak training */
  captions?: string[];
}

export interface DatasetQuery {
  video: string;
  query: string;
  /** seconds from the start of the file; absent on weak (training-only) queries */
  start?: number;
  end?: number;
}

export interface MomentDataset {
  name?: string;
  videos: DatasetVideo[];
  queries: DatasetQuery[];
}

/** A query that carries a span, i.e. one usable for evaluation. */
export type TimedQuery = DatasetQuery & { start: number; end: number };

export const ANNOTATIONS_FILE = "annotations.json";

export class DatasetFormatError extends Error {
  /** one human-readable line per problem, each prefixed with its JSON path */
  readonly issues: string[];
  constructor(source: string, issues: string[]) {
    const shown = issues.slice(0, 20);
    const more = issues.length > shown.length ? `\n  … and ${issues.length - shown.length} more` : "";
    super(`invalid moment dataset (${source}):\n  ${shown.join("\n  ")}${more}`);
    this.name = "DatasetFormatError";
    this.issues = issues;
  }
}

const seconds = z.number().finite().nonnegative();

const videoSchema = z.object({
  id: z.string().min(1, "must be a non-empty string"),
  // A folder of pre-computed features may have no video files; the conventional name
  // keeps every video addressable anyway.
  file: z.string().min(1).optional(),
  duration: z.number().finite().positive().optional(),
  captions: z.array(z.string()).optional(),
});

const querySchema = z.object({
  video: z.string().min(1, "must be a non-empty string"),
  query: z.string().trim().min(1, "must be a non-empty sentence"),
  start: seconds.optional(),
  end: seconds.optional(),
});

const datasetSchema = z
  .object({
    name: z.string().optional(),
    videos: z.array(videoSchema),
    queries: z.array(querySchema),
  })
  .superRefine((ds, ctx) => {
    const ids = new Set<string>();
    ds.videos.forEach((v, i) => {
      if (ids.has(v.id))
        ctx.addIssue({ code: "custom", path: ["videos", i, "id"], message: `duplicate video id "${v.id}"` });
      ids.add(v.id);
    });
    ds.queries.forEach((q, i) => {
      if (!ids.has(q.video)) {
        ctx.addIssue({ code: "custom", path: ["queries", i, "video"], message: `unknown video id "${q.video}"` });
      }
      const hasStart = q.start !== undefined;
      const hasEnd = q.end !== undefined;
      if (hasStart !== hasEnd) {
        ctx.addIssue({
          code: "custom",
          path: ["queries", i, hasStart ? "end" : "start"],
          message: "start and end must be given together (or both omitted for a weak query)",
        });
      } else if (hasStart && hasEnd && q.end! <= q.start!) {
        ctx.addIssue({
          code: "custom",
          path: ["queries", i, "end"],
          message: `end (${q.end}) must be after start (${q.start})`,
        });
      }
    });
  });

function formatPath(p: readonly PropertyKey[]): string {
  let out = "";
  for (const k of p) out += typeof k === "number" ? `[${k}]` : out ? `.${String(k)}` : String(k);
  return out || "(root)";
}

/** Validates already-parsed JSON. Throws DatasetFormatError listing every problem. */
export function parseAnnotations(json: unknown, source = "annotations"): MomentDataset {
  const res = datasetSchema.safeParse(json);
  if (!res.success) {
    throw new DatasetFormatError(
      source,
      res.error.issues.map((iss) => `${formatPath(iss.path)}: ${iss.message}`),
    );
  }
  const ds = res.data;
  const out: MomentDataset = {
    ...(ds.name !== undefined ? { name: ds.name } : {}),
    videos: ds.videos.map((v) => ({
      id: v.id,
      file: v.file ?? `videos/${v.id}.mp4`,
      ...(v.duration !== undefined ? { duration: v.duration } : {}),
      ...(v.captions !== undefined ? { captions: v.captions } : {}),
    })),
    queries: ds.queries.map((q) => ({
      video: q.video,
      query: q.query.trim(),
      ...(q.start !== undefined && q.end !== undefined ? { start: q.start, end: q.end } : {}),
    })),
  };
  return out;
}

/** Validates without throwing; for UIs that show the problems. */
export function validateAnnotations(
  json: unknown,
): { ok: true; dataset: MomentDataset } | { ok: false; issues: string[] } {
  try {
    return { ok: true, dataset: parseAnnotations(json) };
  } catch (err) {
    if (err instanceof DatasetFormatError) return { ok: false, issues: err.issues };
    throw err;
  }
}

export async function readAnnotationsFile(file: string): Promise<MomentDataset> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (err) {
    throw new DatasetFormatError(file, [`cannot read file: ${(err as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new DatasetFormatError(file, [`not valid JSON: ${(err as Error).message}`]);
  }
  return parseAnnotations(json, file);
}

export interface LoadedDataset {
  /** absolute dataset folder */
  dir: string;
  dataset: MomentDataset;
  /** absolute path of a video's file */
  videoPath(video: DatasetVideo | string): string;
}

/**
 * Reads `<dir>/annotations.json`. With `checkFiles`, also fails when a referenced video
 * file is missing (skip it for datasets that ship pre-computed features instead).
 */
export async function readDataset(dir: string, opts: { checkFiles?: boolean } = {}): Promise<LoadedDataset> {
  const abs = path.resolve(dir);
  const dataset = await readAnnotationsFile(path.join(abs, ANNOTATIONS_FILE));
  const byId = new Map(dataset.videos.map((v) => [v.id, v]));
  const videoPath = (video: DatasetVideo | string): string => {
    const v = typeof video === "string" ? byId.get(video) : video;
    if (!v) throw new Error(`unknown video id "${String(video)}"`);
    return path.resolve(abs, v.file);
  };
  if (opts.checkFiles) {
    const missing: string[] = [];
    await Promise.all(
      dataset.videos.map(async (v, i) => {
        try {
          await fs.access(videoPath(v));
        } catch {
          missing.push(`videos[${i}].file: file not found: ${v.file}`);
        }
      }),
    );
    if (missing.length) throw new DatasetFormatError(abs, missing.sort());
  }
  return { dir: abs, dataset, videoPath };
}

/** Validates, then writes `<dir>/annotations.json` (creating `dir`). Returns the file path. */
export async function writeDataset(dir: string, dataset: MomentDataset): Promise<string> {
  const clean = parseAnnotations(dataset, "dataset to write");
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, ANNOTATIONS_FILE);
  // Write-then-rename so a reader never sees a half-written file.
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(clean, null, 1) + "\n");
  await fs.rename(tmp, file);
  return file;
}

export function isTimed(q: DatasetQuery): q is TimedQuery {
  return q.start !== undefined && q.end !== undefined;
}
