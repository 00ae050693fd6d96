/** Serving stored files over HTTP, with Range support so <video> can seek. */
import { open, stat } from "node:fs/promises";
import { notFound } from "../errors";

/**
 * Next.js drops Content-Length from route responses; the web server's preload
 * (lib/http/server-preload.mjs, same name there) restores it from this header.
 */
export const CONTENT_LENGTH_HEADER = "x-content-length";

const TYPES: Record<string, string> = {
  ".mp4": "video/mp4",
  ".m4v": "video/mp4",
  ".mov": "video/quicktime",
  ".webm": "video/webm",
  ".mkv": "video/x-matroska",
  ".avi": "video/x-msvideo",
  ".ogv": "video/ogg",
  ".mpg": "video/mpeg",
  ".mpeg": "video/mpeg",
  ".ts": "video/mp2t",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".png": "image/png",
};

export function contentType(file: string): string {
  const ext = file.slice(file.lastIndexOf(".")).toLowerCase();
  return TYPES[ext] ?? "application/octet-stream";
}

/**
 * Parses a single `bytes=a-b` range; null when absent or when several ranges are asked
 * for (the whole file is then sent with 200, which RFC 9110 allows), "invalid" when
 * unsatisfiable.
 */
export function parseRange(header: string | null, size: number): { start: number; end: number } | null | "invalid" {
  if (!header) return null;
  if (header.includes(",")) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return "invalid";
  let start: number;
  let end: number;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return "invalid";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return "invalid";
  return { start, end };
}

export async function sendFile(
  request: Request,
  file: string,
  o: { download?: string; immutable?: boolean } = {},
): Promise<Response> {
  const s = await stat(file).catch(() => null);
  if (!s?.isFile()) throw notFound("The file is not available.");
  const headers: Record<string, string> = {
    "content-type": contentType(file),
    "accept-ranges": "bytes",
    "cache-control": o.immutable ? "private, max-age=31536000, immutable" : "private, max-age=60",
    "last-modified": s.mtime.toUTCString(),
  };
  if (o.download) headers["content-disposition"] = `inline; filename*=UTF-8''${encodeURIComponent(o.download)}`;
  const range = parseRange(request.headers.get("range"), s.size);
  if (range === "invalid") {
    return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${s.size}` } });
  }
  const { start, end } = range ?? { start: 0, end: s.size - 1 };
  const body = request.method === "HEAD" ? null : fileRangeStream(file, start, end);
  headers["content-length"] = String(end - start + 1);
  headers[CONTENT_LENGTH_HEADER] = headers["content-length"];
  if (range) headers["content-range"] = `bytes ${start}-${end}/${s.size}`;
  return new Response(body, { status: range ? 206 : 200, headers });
}

const CHUNK = 256 * 1024;

/**
 * The bytes [start, end] of a file as a web stream, read on demand. Hand-made rather
 * than Readable.toWeb(createReadStream()): browsers cancel <video> range requests all
 * the time, and in Node 20 a cancel racing a pending chunk throws "Controller is
 * already closed" as an uncaught exception, which takes the server down.
 */
export function fileRangeStream(file: string, start: number, end: number): ReadableStream<Uint8Array> {
  let position = start;
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  let done = false;
  const finish = async () => {
    done = true;
    const h = handle;
    handle = undefined;
    await h?.close().catch(() => undefined);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (done) return;
        try {
          handle ??= await open(file, "r");
          const length = Math.min(CHUNK, end - position + 1);
          const buffer = new Uint8Array(length);
          const { bytesRead } = await handle.read(buffer, 0, length, position);
          if (done) return; // cancelled while reading
          position += bytesRead;
          if (bytesRead > 0) controller.enqueue(buffer.subarray(0, bytesRead));
          if (bytesRead === 0 || position > end) {
            await finish();
            controller.close();
          }
        } catch (err) {
          await finish();
          try {
            controller.error(err);
          } catch {
            /* already closed by a cancel */
          }
        }
      },
      cancel: finish,
    },
    { highWaterMark: 2 },
  );
}
