import { videoIdParam } from "@/lib/http/params";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { toVideoDto } from "@/lib/videos/dto";
import { deleteVideo, getVideo } from "@/lib/videos/service";
import { onlyMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>("videos:read", async (_req, { ctx, params }) => {
  const video = await getVideo(ctx, await videoIdParam(params));
  return json({ video: toVideoDto(video) });
});

export const DELETE = route<{ id: string }>("videos:delete", async (_req, { ctx, params }) => {
  const video = await deleteVideo(ctx, await videoIdParam(params));
  return json({ deleted: video.id });
});

export const { OPTIONS, POST, PUT, PATCH } = onlyMethods("GET", "DELETE");
