import { videoIdParam } from "@/lib/http/params";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { toVideoDto } from "@/lib/videos/dto";
import { deleteVideo, getVideo, renameVideo } from "@/lib/videos/service";
import { jsonBody } from "@/lib/http/body";
import { z } from "zod";
import { onlyMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>("videos:read", async (_req, { ctx, params }) => {
  const video = await getVideo(ctx, await videoIdParam(params));
  return json({ video: toVideoDto(video) });
});

const Patch = z.object({ title: z.string().max(1000).nullable() }).strict();

/** `{ title }` renames the video (the file keeps its name); `null` or "" goes back to the file name. */
export const PATCH = route<{ id: string }>("videos:upload", async (request, { ctx, params }) => {
  const id = await videoIdParam(params);
  const { title } = await jsonBody(request, Patch);
  return json({ video: toVideoDto(await renameVideo(ctx, id, title)) });
});

export const DELETE = route<{ id: string }>("videos:delete", async (_req, { ctx, params }) => {
  const video = await deleteVideo(ctx, await videoIdParam(params));
  return json({ deleted: video.id });
});

export const { OPTIONS, POST, PUT } = onlyMethods("GET", "PATCH", "DELETE");
