/** Reading a JSON request body against a zod schema: bad input is a 400 that says what is wrong. */
import type { z } from "zod";
import { AppError, badRequest, payloadTooLarge } from "../errors";

const MAX_JSON_BYTES = 64 * 1024;

export async function jsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (type && !type.startsWith("application/json")) {
    throw new AppError(415, "unsupported_media_type", "Send the request body as application/json.");
  }
  if (Number(request.headers.get("content-length") ?? 0) > MAX_JSON_BYTES) throw payloadTooLarge("The JSON body is too large.");
  const text = await request.text();
  if (text.length > MAX_JSON_BYTES) throw payloadTooLarge("The JSON body is too large.");
  let raw: unknown;
  try {
    raw = text ? JSON.parse(text) : {};
  } catch {
    throw badRequest("The request body is not valid JSON.", "invalid_json");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
    throw badRequest(`${where}${issue.message}`, "invalid_body");
  }
  return parsed.data;
}
