/**
 * Typed browser access to the dataset and batch-prediction API (issue 16): import,
 * list, batch predictions for review, export. The shapes are the server's own types
 * (type-only imports: nothing from lib/ or db/ ends up in the client bundle); errors
 * are api.ts's ApiError with the server's message.
 */
import type { DatasetFormat } from "@/db/repositories/datasets";
import type { ExportStatus } from "@/lib/datasets/export";
import type { datasetDto } from "@/lib/datasets/http";
import type { ImportedVideo } from "@/lib/datasets/import";
import type { BatchDto } from "@/lib/review/batches";
import type { SkippedEntry } from "@/ml/data/importers/common";
import { request, sendJson } from "./api";

export type { BatchDto, DatasetFormat, ExportStatus, ImportedVideo, SkippedEntry };

export type DatasetDto = ReturnType<typeof datasetDto>;
export type BatchStatus = BatchDto["status"];
export type FormatChoice = DatasetFormat | "auto";

/** The choices of the import form's format select, "auto" first (the default). */
export const FORMAT_CHOICES: { value: FormatChoice; label: string }[] = [
  { value: "auto", label: "Auto-detect" },
  { value: "moments", label: "Moment dataset (annotations.json)" },
  { value: "charades", label: "Charades-STA (text)" },
  { value: "activitynet", label: "ActivityNet Captions (JSON)" },
];

/** Short names of the formats, for lists. */
export const FORMAT_NAMES: Record<DatasetFormat, string> = {
  moments: "annotations.json",
  charades: "Charades-STA",
  activitynet: "ActivityNet Captions",
};

/** What the export can include, in the order the form shows them, with the server's defaults. */
export const EXPORT_CHOICES: { value: ExportStatus; label: string; defaultOn: boolean }[] = [
  { value: "accepted", label: "Accepted", defaultOn: true },
  { value: "corrected", label: "Corrected", defaultOn: true },
  { value: "rejected", label: "Rejected", defaultOn: false },
];

/** A batch that will still change: poll it. */
export function isBatchActive(b: Pick<BatchDto, "status">): boolean {
  return b.status === "queued" || b.status === "running";
}

// ——— requests ———

const postJson = <T>(url: string, body: unknown) => sendJson<T>(url, "POST", body);

// ——— datasets ———

export async function listDatasets(signal?: AbortSignal): Promise<DatasetDto[]> {
  return (await request<{ datasets: DatasetDto[] }>("/api/datasets", { signal })).datasets;
}

export interface ImportRequest {
  /** the annotations file: annotations.json, Charades-STA .txt or ActivityNet Captions .json */
  annotations: File;
  format: FormatChoice;
  name?: string;
  /** timed sentences become searchable captions of their videos */
  captions: boolean;
  /** queue batch predictions over the queries for review */
  review: boolean;
  /** uploaded file name (or dataset video id) → library video id */
  videoIds: Record<string, string>;
}

export interface ImportResponse {
  dataset: DatasetDto;
  videos: ImportedVideo[];
  batch: BatchDto | null;
  skipped: SkippedEntry[];
}

/**
 * POST /api/datasets (multipart). Upload the videos first (POST /api/videos) and pass
 * what they became in `videoIds`; dataset videos not named there are matched to library
 * videos by file name. 400 invalid_dataset / invalid_format with a message worth showing.
 */
export function importDataset(r: ImportRequest): Promise<ImportResponse> {
  const form = new FormData();
  form.append("format", r.format);
  if (r.name?.trim()) form.append("name", r.name.trim());
  if (r.captions) form.append("captions", "1");
  if (r.review) form.append("review", "1");
  if (Object.keys(r.videoIds).length > 0) form.append("videoIds", JSON.stringify(r.videoIds));
  form.append("annotations", r.annotations, r.annotations.name);
  return request<ImportResponse>("/api/datasets", { method: "POST", body: form });
}

/** The server refuses larger annotation files (lib/datasets/http.ts MAX_ANNOTATIONS_BYTES). */
export const MAX_ANNOTATIONS_BYTES = 50 * 1024 * 1024;

/** The annotations.json download of the reviewed spans with these decisions. */
export function exportUrl(statuses: readonly ExportStatus[]): string {
  return `/api/datasets/export?status=${statuses.map(encodeURIComponent).join(",")}`;
}

// ——— batch predictions ———

export async function listBatches(signal?: AbortSignal): Promise<BatchDto[]> {
  return (await request<{ batches: BatchDto[] }>("/api/review/batches", { signal })).batches;
}

export async function getBatch(id: string, signal?: AbortSignal): Promise<BatchDto> {
  return (await request<{ batch: BatchDto }>(`/api/review/batches/${encodeURIComponent(id)}`, { signal })).batch;
}

/** Predicts the spans of a dataset's queries (those whose video is in the library) for review. 400 empty_batch. */
export async function predictDataset(datasetId: string): Promise<BatchDto> {
  return (await postJson<{ batch: BatchDto }>("/api/review/batches", { dataset: datasetId })).batch;
}

/** Predicts the span of each (video, sentence) pair for review, in the background. */
export async function predictSentences(b: {
  items: { videoId: string; sentence: string }[];
  name?: string;
}): Promise<BatchDto> {
  return (await postJson<{ batch: BatchDto }>("/api/review/batches", b)).batch;
}

/** The sentences of a textarea, one per line: trimmed, without blank lines or repeats. */
export function sentenceLines(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line && !seen.has(line)) {
      seen.add(line);
      out.push(line);
    }
  }
  return out;
}
