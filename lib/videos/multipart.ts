/**
 * Multipart uploads, streamed: busboy parses the request body as it arrives and each
 * file goes straight to disk (request.formData() would buffer whole files in memory).
 */
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import busboy from "busboy";
import type { Context } from "../context";
import { AppError, badRequest, errorBody, payloadTooLarge } from "../errors";
import { toVideoDto, type VideoDto } from "./dto";
import { receiveStream, registerFile } from "./service";

export const UPLOAD_FIELDS = new Set(["file", "files"]);
const MAX_FILES_PER_REQUEST = 50;

export interface FileOutcome {
  name: string;
  status: number;
  created?: boolean;
  video?: VideoDto;
  error?: { code: string; message: string };
}

/** `addedBy`: the account the new videos are recorded as added by. */
export async function receiveMultipart(
  ctx: Context,
  request: Request,
  o: { addedBy: string | null },
): Promise<FileOutcome[]> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data")) {
    throw new AppError(415, "unsupported_media_type", 'Send videos as multipart/form-data in a field named "file".');
  }
  if (!request.body) throw badRequest('The request has no body; send videos in a field named "file".');

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      limits: { fileSize: ctx.config.maxUploadBytes, files: MAX_FILES_PER_REQUEST, fields: 20 },
      defParamCharset: "utf8",
    });
  } catch (err) {
    // e.g. "Multipart: Boundary not found": busboy throws from its constructor.
    await request.body.cancel().catch(() => undefined);
    throw badRequest(
      `The upload could not be read: ${(err as Error).message}. Send multipart/form-data with a boundary, as browsers and curl -F do.`,
      "bad_multipart",
    );
  }
  const outcomes: Promise<FileOutcome>[] = [];

  const done = new Promise<void>((resolve, reject) => {
    parser.on("file", (field, stream, info) => {
      const name = info.filename || "upload";
      if (!UPLOAD_FIELDS.has(field)) {
        stream.resume();
        outcomes.push(Promise.resolve(failure(name, badRequest(`Unexpected file field "${field}"; use "file".`))));
        return;
      }
      const truncated = () => (stream as unknown as { truncated?: boolean }).truncated === true;
      outcomes.push(
        receiveStream(ctx, stream, { isTruncated: truncated })
          .then((r) => registerFile(ctx, { ...r, originalName: name, addedBy: o.addedBy }))
          .then(
            ({ video, created }): FileOutcome => ({
              name,
              status: created ? 201 : 200,
              created,
              video: toVideoDto(video),
            }),
            (err) => {
              // A full disk fails every file after this one too: answer at once.
              if (err instanceof AppError && err.status === 507) reject(err);
              stream.resume(); // keep parsing the rest of the body
              return failure(name, err);
            },
          ),
      );
    });
    parser.on("filesLimit", () => reject(payloadTooLarge(`At most ${MAX_FILES_PER_REQUEST} files per request.`)));
    parser.on("error", (err: Error) =>
      reject(badRequest(`The upload could not be read: ${err.message}`, "bad_multipart")),
    );
    parser.on("close", resolve);
  });

  const body = Readable.fromWeb(request.body as unknown as WebReadableStream<Uint8Array>);
  body.on("error", (err) => parser.destroy(err));
  body.pipe(parser);
  await done;
  const results = await Promise.all(outcomes);
  if (results.length === 0) throw badRequest('No file in the upload; send videos in a field named "file".', "no_file");
  return results;
}

function failure(name: string, err: unknown): FileOutcome {
  if (err instanceof AppError) return { name, status: err.status, error: errorBody(err).error };
  console.error(`[upload] ${name}:`, err);
  return { name, status: 500, error: { code: "internal_error", message: `Storing "${name}" failed on the server.` } };
}

/**
 * One status for the whole request: a single file's own status; for several, 201 if
 * any was added and none failed, the shared error status if all failed alike, else 207.
 */
export function overallStatus(results: FileOutcome[]): number {
  if (results.length === 1) return results[0].status;
  const failed = results.filter((r) => r.status >= 400);
  if (failed.length === 0) return results.some((r) => r.status === 201) ? 201 : 200;
  if (failed.length === results.length && failed.every((r) => r.status === failed[0].status)) return failed[0].status;
  return 207;
}
