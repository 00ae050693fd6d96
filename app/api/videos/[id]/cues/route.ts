import { listCues } from "@/db/repositories/cues";
import { badRequest } from "@/lib/errors";
import { onlyMethods } from "@/lib/http/methods";
import { videoIdParam } from "@/lib/http/params";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { getVideo } from "@/lib/videos/service";

export const dynamic = "force-dynamic";

/** `?kind=subtitles|ocr` (default subtitles) → `{ cues: [{start, end, text, source}] }` in time order: the transcript. */
export const GET = route<{ id: string }>("videos:read", async (request, { ctx, params }) => {
  const id = await videoIdParam(params);
  const kind = new URL(request.url).searchParams.get("kind") ?? "subtitles";
  if (kind !== "subtitles" && kind !== "ocr") throw badRequest("kind must be subtitles or ocr.");
  await getVideo(ctx, id);
  return json({ cues: await listCues(ctx.db, id, kind) });
});

export const { OPTIONS, POST, PUT, PATCH, DELETE } = onlyMethods("GET");
