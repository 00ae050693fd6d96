import { getContext } from "@/lib/context";
import { videoIdParam } from "@/lib/http/params";
import { handler, json } from "@/lib/http/respond";
import { toVideoDto } from "@/lib/videos/dto";
import { deleteVideo, getVideo } from "@/lib/videos/service";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ id: string }> };

export const GET = handler(async (_req: Request, { params }: Params) => {
  const video = await getVideo(getContext(), await videoIdParam(params));
  return json({ video: toVideoDto(video) });
});

export const DELETE = handler(async (_req: Request, { params }: Params) => {
  const video = await deleteVideo(getContext(), await videoIdParam(params));
  return json({ deleted: video.id });
});
