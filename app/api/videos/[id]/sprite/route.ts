import { getContext } from "@/lib/context";
import { notFound } from "@/lib/errors";
import { sendFile } from "@/lib/http/files";
import { videoIdParam } from "@/lib/http/params";
import { handler } from "@/lib/http/respond";
import { absolutePath, getVideo } from "@/lib/videos/service";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ id: string }> };

export const GET = handler(async (request: Request, { params }: Params) => {
  const ctx = getContext();
  const video = await getVideo(ctx, await videoIdParam(params));
  if (!video.spritePath) throw notFound("This video has no sprite yet.");
  return sendFile(request, absolutePath(ctx, video.spritePath));
});
