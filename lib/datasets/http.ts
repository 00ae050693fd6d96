/** The dataset import as the browser sends it (multipart), and the dataset as the API shows it. */
import type { DatasetRow } from "@/db/repositories/datasets";
import type { Context } from "../context";
import { badRequest, payloadTooLarge } from "../errors";
import { formBodyLimited, formText } from "../http/body";
import { DATASET_FORMATS, type FormatChoice } from "./formats";
import { importDatasetText, type ImportOutcome } from "./import";

/** ActivityNet Captions' train.json is about 10 MiB; room for larger files of the same kind. */
export const MAX_ANNOTATIONS_BYTES = 50 * 1024 * 1024;

export function datasetDto(d: DatasetRow) {
  return {
    id: d.id,
    name: d.name,
    format: d.format,
    videos: d.videos,
    queries: d.queries,
    timedQueries: d.timedQueries,
    createdAt: d.createdAt.toISOString(),
  };
}

export async function importFromRequest(ctx: Context, request: Request, addedBy: string): Promise<ImportOutcome> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data"))
    throw badRequest('Send the annotations as multipart/form-data in a field named "annotations".', "bad_multipart");
  const tooLarge = () => payloadTooLarge("Annotation files are limited to 50 MiB.");
  const form = await formBodyLimited(request, MAX_ANNOTATIONS_BYTES + 64 * 1024, { field: "annotations", tooLarge });
  const file = form.get("annotations");
  const text = await formText(form, "annotations");
  if (!text.trim()) throw badRequest('No annotations: send the file in a field named "annotations".', "no_file");
  if (text.includes("\u0000")) throw badRequest("The annotations may not contain NUL characters.", "invalid_body");
  const format = String(form.get("format") ?? "auto");
  if (format !== "auto" && !(DATASET_FORMATS as readonly string[]).includes(format))
    throw badRequest(`format must be auto or one of ${DATASET_FORMATS.join(", ")}.`, "invalid_format");
  let videoIds: Record<string, string> | undefined;
  const rawIds = form.get("videoIds");
  if (typeof rawIds === "string" && rawIds.trim()) {
    try {
      videoIds = JSON.parse(rawIds);
    } catch {
      throw badRequest("videoIds must be a JSON object of name → video id.", "invalid_body");
    }
    if (
      typeof videoIds !== "object" ||
      videoIds === null ||
      Array.isArray(videoIds) ||
      Object.values(videoIds).some((v) => typeof v !== "string")
    ) {
      throw badRequest("videoIds must be a JSON object of name → video id.", "invalid_body");
    }
  }
  const flag = (k: string) => ["1", "true", "on"].includes(String(form.get(k) ?? "").toLowerCase());
  const fileName = file && typeof file !== "string" ? file.name.replace(/\.[^.]*$/, "") : "";
  const name = String(form.get("name") ?? "").trim() || undefined;
  return importDatasetText(ctx, text, {
    format: format as FormatChoice,
    videoIds,
    captions: flag("captions"),
    review: flag("review"),
    addedBy,
    name: name ?? (fileName && fileName !== "annotations" ? fileName : undefined),
  });
}
