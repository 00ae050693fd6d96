import { z } from "zod";
import { badRequest, notFound } from "../errors";
import { isUuid } from "./respond";

/** Route param `id` of /api/<things>/[id]/…; a malformed id is simply not found. */
export async function uuidParam(params: Promise<{ id: string }>, thing: string): Promise<string> {
  const { id } = await params;
  if (!isUuid(id)) throw notFound(`No ${thing} with id ${id}.`);
  return id.toLowerCase();
}

/** Route param `version` of /api/models/[version]/…: a positive integer; anything else is simply not found. */
export async function modelVersionParam(params: Promise<{ version: string }>): Promise<number> {
  const { version } = await params;
  const n = /^[1-9]\d{0,8}$/.test(version) ? Number(version) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw notFound(`No model version ${version}.`);
  return n;
}

export function videoIdParam(params: Promise<{ id: string }>): Promise<string> {
  return uuidParam(params, "video");
}

/** An integer query parameter within [min, max]; absent → fallback; else 400 naming it. */
export function intParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw badRequest(`${name} must be an integer between ${min} and ${max}.`);
  return n;
}

/**
 * Query parameters through a zod schema (one value per name; an empty value counts as absent).
 * The first problem becomes a 400 that names the parameter.
 */
export function queryParams<S extends z.ZodType>(url: URL, schema: S): z.infer<S> {
  const raw: Record<string, string> = {};
  for (const [k, v] of url.searchParams) if (!(k in raw) && v !== "") raw[k] = v;
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw badRequest(issue.path.length ? `${issue.path.join(".")} ${issue.message}` : issue.message);
}

/** An integer query parameter within [min, max] (absent → fallback), with intParam's message. */
export function intIn(min: number, max: number, fallback: number) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined) return fallback;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `must be an integer between ${min} and ${max}.` });
        return z.NEVER;
      }
      return n;
    });
}

/** A number within [min, max] (absent → undefined), named in the message as the parameter. */
export function numberIn(min: number, max: number) {
  return z.string().transform((raw, ctx) => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) {
      ctx.addIssue({ code: "custom", message: `must be a number between ${min} and ${max}.` });
      return z.NEVER;
    }
    return n;
  });
}

/** One of a union's values (the TypeScript union's own list), with a readable message. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: values.length === 2 ? `must be ${values[0]} or ${values[1]}.` : `must be one of ${values.join(", ")}.`,
  });
}
