import { badRequest, notFound } from "@/lib/errors";
import { onlyMethods } from "@/lib/http/methods";
import { intParam } from "@/lib/http/params";
import { isUuid, json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { similarMoments } from "@/lib/search/similar";

export const dynamic = "force-dynamic";

/**
 * `?video=&start=&end=&limit=` → `{ moments, models: { version } }`: the nearest moments by clip
 * embeddings, the moment itself left out, and the model version whose embeddings answered.
 */
export const GET = route("search", async (request, { ctx }) => {
  const url = new URL(request.url);
  const video = url.searchParams.get("video") ?? "";
  if (!isUuid(video)) throw notFound(`No video with id ${video}.`);
  const seconds = (name: string) => {
    const n = Number(url.searchParams.get(name));
    if (url.searchParams.get(name) === null || !Number.isFinite(n))
      throw badRequest(`${name} must be a number of seconds.`);
    return n;
  };
  const limit = intParam(url, "limit", 12, 1, 50);
  const { moments, version } = await similarMoments(ctx, {
    videoId: video.toLowerCase(),
    start: seconds("start"),
    end: seconds("end"),
    limit,
  });
  return json({ moments, models: { version } });
});

export const { OPTIONS, POST, PUT, PATCH, DELETE } = onlyMethods("GET");
