import { sendFile } from "@/lib/http/files";
import { videoIdParam } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { absolutePath, getVideo } from "@/lib/videos/service";
import { onlyMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

const serve = route<{ id: string }>("videos:read", async (request, { ctx, params }) => {
  const video = await getVideo(ctx, await videoIdParam(params));
  return sendFile(request, absolutePath(ctx, video.storedPath), { download: video.originalName, immutable: true });
});
export { serve as GET, serve as HEAD };

export const { OPTIONS, POST, PUT, PATCH, DELETE } = onlyMethods("GET", "HEAD");
