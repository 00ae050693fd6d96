/**
 * The annotation formats a dataset can be imported from, read into the shared moment
 * format (shared/datasets.md §1): the format's own annotations.json, Charades-STA text
 * (`<video_id> <start> <end>##<sentence>` per line) and ActivityNet Captions JSON. "auto"
 * recognises the format from the text.
 */
import type { DatasetFormat } from "@/db/repositories/datasets";
import { DatasetFormatError, parseAnnotations } from "@/ml/data/format";
import { convertActivityNetCaptions } from "@/ml/data/importers/activitynet";
import { parseCharadesSta } from "@/ml/data/importers/charades";
import type { ImportResult } from "@/ml/data/importers/common";
import { badRequest } from "../errors";

export const DATASET_FORMATS = ["moments", "charades", "activitynet"] as const satisfies readonly DatasetFormat[];
export type FormatChoice = DatasetFormat | "auto";

export const FORMAT_LABELS: Record<DatasetFormat, string> = {
  moments: "Moment dataset (annotations.json)",
  charades: "Charades-STA (text)",
  activitynet: "ActivityNet Captions (JSON)",
};

function detect(json: unknown): DatasetFormat {
  if (json === undefined) return "charades";
  if (typeof json === "object" && json !== null && !Array.isArray(json) && "queries" in json && "videos" in json)
    return "moments";
  return "activitynet";
}

/** Parses annotation text; a file in the wrong format or with bad entries is a 400 that says where. */
export function parseAnnotationText(text: string, format: FormatChoice): ImportResult & { format: DatasetFormat } {
  const clean = text.replace(/^\uFEFF/, "");
  let json: unknown;
  try {
    json = JSON.parse(clean);
  } catch {
    json = undefined;
  }
  const chosen = format === "auto" ? detect(json) : format;
  try {
    if (chosen === "charades") return { format: chosen, ...parseCharadesSta(clean) };
    if (json === undefined) throw new Error("the file is not valid JSON");
    if (chosen === "activitynet") return { format: chosen, ...convertActivityNetCaptions(json) };
    return { format: chosen, dataset: parseAnnotations(json, "annotations.json"), skipped: [] };
  } catch (err) {
    const detail = err instanceof DatasetFormatError ? err.issues.slice(0, 5).join("; ") : (err as Error).message;
    throw badRequest(`The annotations could not be read as ${FORMAT_LABELS[chosen]}: ${detail}`, "invalid_dataset");
  }
}
