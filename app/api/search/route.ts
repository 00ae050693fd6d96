import { badRequest, notFound } from "@/lib/errors";
import { intParam } from "@/lib/http/params";
import { isUuid, json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { search } from "@/lib/search/service";

export const dynamic = "force-dynamic";

export const GET = route("search", async (request, { ctx }) => {
  const url = new URL(request.url);
  const p = url.searchParams;
  const limit = intParam(url, "limit", 10, 1, 50);
  const offset = intParam(url, "offset", 0, 0, 10_000);
  const method = p.get("method") || undefined;
  if (method !== undefined && method !== "vote" && method !== "loss" && method !== "relevance") throw badRequest('method must be "relevance", "vote" or "loss".');
  const video = p.get("video") || undefined;
  if (video && !isUuid(video)) throw notFound(`No video with id ${video}.`);
  return json(await search(ctx, { q: p.get("q") ?? "", limit, offset, videoId: video?.toLowerCase(), method }));
});
