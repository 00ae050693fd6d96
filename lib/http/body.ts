/**
 * Reading request bodies with a byte limit, whatever the transfer encoding: the body is
 * read as a stream with a running count and abandoned at the limit (413), so a chunked
 * upload without Content-Length cannot make the server hold more than `maxBytes`.
 * JSON bodies are validated against a zod schema: bad input is a 400 that says what is wrong.
 */
import type { z } from "zod";
import { AppError, badRequest, payloadTooLarge } from "../errors";

const MAX_JSON_BYTES = 64 * 1024;

/**
 * The body's bytes, at most `maxBytes` of them; more → `tooLarge()` (413 by default),
 * thrown as soon as the count passes the limit (a declared Content-Length over it is
 * refused before reading anything).
 */
export async function readBodyLimited(
  request: Request,
  maxBytes: number,
  tooLarge: () => Error = () => payloadTooLarge(`The request body is larger than ${maxBytes} bytes.`),
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      parts.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const out: Uint8Array<ArrayBuffer> = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

/** The body as UTF-8 text, read with `readBodyLimited`. */
export async function readTextLimited(request: Request, maxBytes: number, tooLarge?: () => Error): Promise<string> {
  return new TextDecoder().decode(await readBodyLimited(request, maxBytes, tooLarge));
}

/** `maxBytes`: routes that take long lists (batches) allow more than the default 64 KiB. */
/**
 * A multipart body of at most `maxBytes` (already bounded, so buffering it is safe) as
 * FormData; a body without a readable envelope is a 400 naming the expected field.
 */
export async function formBodyLimited(
  request: Request,
  maxBytes: number,
  o: { field: string; tooLarge: () => Error },
): Promise<FormData> {
  const contentType = request.headers.get("content-type") ?? "";
  const bytes = await readBodyLimited(request, maxBytes, o.tooLarge);
  try {
    return await new Response(bytes, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw badRequest(
      `The multipart body could not be read (is its boundary missing?); send the file in a field named "${o.field}".`,
      "bad_multipart",
    );
  }
}

/** A FormData field's text, whether it was sent as a file or a plain value ("" when absent). */
export async function formText(form: FormData, field: string): Promise<string> {
  const v = form.get(field);
  return typeof v === "string" ? v : v ? await v.text() : "";
}

export async function jsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  o: { maxBytes?: number } = {},
): Promise<z.infer<S>> {
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (type && !type.startsWith("application/json")) {
    throw new AppError(415, "unsupported_media_type", "Send the request body as application/json.");
  }
  const text = await readTextLimited(request, o.maxBytes ?? MAX_JSON_BYTES, () =>
    payloadTooLarge("The JSON body is too large."),
  );
  let raw: unknown;
  try {
    raw = text ? JSON.parse(text) : {};
  } catch {
    throw badRequest("The request body is not valid JSON.", "invalid_json");
  }
  if (hasNul(raw)) throw badRequest("Text in the request may not contain NUL characters (\\u0000).", "invalid_body");
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
    throw badRequest(`${where}${issue.message}`, "invalid_body");
  }
  return parsed.data;
}

function hasNul(v: unknown): boolean {
  if (typeof v === "string") return v.includes("\u0000");
  if (Array.isArray(v)) return v.some(hasNul);
  if (v && typeof v === "object") return Object.entries(v).some(([k, x]) => k.includes("\u0000") || hasNul(x));
  return false;
}
