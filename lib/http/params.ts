import { badRequest, notFound } from "../errors";
import { isUuid } from "./respond";

/** Route param `id` of /api/<things>/[id]/…; a malformed id is simply not found. */
export async function uuidParam(params: Promise<{ id: string }>, thing: string): Promise<string> {
  const { id } = await params;
  if (!isUuid(id)) throw notFound(`No ${thing} with id ${id}.`);
  return id.toLowerCase();
}

export function videoIdParam(params: Promise<{ id: string }>): Promise<string> {
  return uuidParam(params, "video");
}

/** An integer query parameter within [min, max]; absent → fallback; else 400 naming it. */
export function intParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw badRequest(`${name} must be an integer between ${min} and ${max}.`);
  return n;
}
