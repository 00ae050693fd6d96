import { getContext } from "@/lib/context";
import { sendFile } from "@/lib/http/files";
import { videoIdParam } from "@/lib/http/params";
import { handler } from "@/lib/http/respond";
import { absolutePath, getVideo } from "@/lib/videos/service";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ id: string }> };

const serve = handler(async (request: Request, { params }: Params) => {
  const ctx = getContext();
  const video = await getVideo(ctx, await videoIdParam(params));
  return sendFile(request, absolutePath(ctx, video.storedPath), { download: video.originalName, immutable: true });
});
export { serve as GET, serve as HEAD };
