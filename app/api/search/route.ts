import { badRequest, notFound } from "@/lib/errors";
import { intParam } from "@/lib/http/params";
import { isUuid, json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { search } from "@/lib/search/service";
import { GROUND_METHODS, LEGACY_GROUND_METHODS, parseGroundMethod } from "@/ml";
import { onlyMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = route("search", async (request, { ctx }) => {
  const url = new URL(request.url);
  const p = url.searchParams;
  const limit = intParam(url, "limit", 10, 1, 50);
  const offset = intParam(url, "offset", 0, 0, 10_000);
  const methodName = p.get("method") || undefined;
  const method = methodName === undefined ? undefined : parseGroundMethod(methodName);
  if (methodName !== undefined && !method) throw badRequest(`method must be one of ${[...GROUND_METHODS, ...Object.keys(LEGACY_GROUND_METHODS)].join(", ")}.`);
  const q = p.get("q") ?? "";
  // Postgres text cannot hold NUL, and no sentence needs it.
  if (q.includes("\u0000")) throw badRequest("The query may not contain NUL characters.", "invalid_query");
  const video = p.get("video") || undefined;
  if (video && !isUuid(video)) throw notFound(`No video with id ${video}.`);
  const number = (name: string, min: number, max: number): number | undefined => {
    const raw = p.get(name);
    if (raw === null || raw === "") return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) throw badRequest(`${name} must be a number between ${min} and ${max}.`);
    return n;
  };
  const source = p.get("source") || undefined;
  if (source && source !== "visual" && source !== "text") throw badRequest("source must be visual or text.");
  const sort = p.get("sort") || undefined;
  if (sort && sort !== "confidence" && sort !== "time") throw badRequest("sort must be confidence or time.");
  return json(
    await search(ctx, {
      q,
      limit,
      offset,
      videoId: video?.toLowerCase(),
      method,
      minConfidence: number("minConfidence", 0, 1),
      minDuration: number("minDuration", 0, 1e7),
      maxDuration: number("maxDuration", 0, 1e7),
      source: source as "visual" | "text" | undefined,
      sort: sort as "confidence" | "time" | undefined,
    }),
  );
});

export const { OPTIONS, POST, PUT, PATCH, DELETE } = onlyMethods("GET");
