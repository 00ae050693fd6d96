import { badRequest, notFound } from "@/lib/errors";
import { queryParams } from "@/lib/http/params";
import { isUuid, json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { search } from "@/lib/search/service";
import { SearchQuery } from "@/lib/search/query";
import { onlyMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = route("search", async (request, { ctx }) => {
  const { q, video, ...rest } = queryParams(new URL(request.url), SearchQuery);
  // Postgres text cannot hold NUL, and no sentence needs it.
  if (q.includes("\u0000")) throw badRequest("The query may not contain NUL characters.", "invalid_query");
  if (video && !isUuid(video)) throw notFound(`No video with id ${video}.`);
  return json(await search(ctx, { q, videoId: video?.toLowerCase(), ...rest }));
});

export const { OPTIONS, POST, PUT, PATCH, DELETE } = onlyMethods("GET");
