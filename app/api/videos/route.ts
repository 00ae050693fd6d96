import { queryParams } from "@/lib/http/params";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { toVideoDto } from "@/lib/videos/dto";
import { overallStatus, receiveMultipart } from "@/lib/videos/multipart";
import { VideoListQuery } from "@/lib/videos/query";
import { listVideos } from "@/lib/videos/service";
import { onlyMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = route("videos:read", async (request, { ctx }) => {
  const { limit, offset, status, q, sort, order } = queryParams(new URL(request.url), VideoListQuery);
  const { videos, total } = await listVideos(ctx, { limit, offset, status, q, sort, order });
  const now = Date.now();
  return json({ videos: videos.map((v) => toVideoDto(v, now)), total, limit, offset });
});

export const POST = route("videos:upload", async (request, { ctx, principal }) => {
  const results = await receiveMultipart(ctx, request, { addedBy: principal.user.id });
  const status = overallStatus(results);
  const single = results.length === 1 ? results[0] : undefined;
  if (single?.error) return json({ error: single.error, results }, status);
  return json(
    { results, ...(single?.video ? { id: single.video.id, video: single.video, created: single.created } : {}) },
    status,
  );
});

export const { OPTIONS, PUT, PATCH, DELETE } = onlyMethods("GET", "POST");
