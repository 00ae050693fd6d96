import { badRequest } from "@/lib/errors";
import { intParam } from "@/lib/http/params";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { toVideoDto } from "@/lib/videos/dto";
import { overallStatus, receiveMultipart } from "@/lib/videos/multipart";
import { listVideos } from "@/lib/videos/service";
import { onlyMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

const STATUSES = new Set(["queued", "processing", "ready", "failed"]);

export const GET = route("videos:read", async (request, { ctx }) => {
  const url = new URL(request.url);
  const limit = intParam(url, "limit", 100, 1, 1000);
  const offset = intParam(url, "offset", 0, 0, Number.MAX_SAFE_INTEGER);
  const status = url.searchParams.get("status") ?? undefined;
  if (status && !STATUSES.has(status)) throw badRequest(`status must be one of ${[...STATUSES].join(", ")}.`);
  const { videos, total } = await listVideos(ctx, { limit, offset, status: status as never });
  return json({ videos: videos.map(toVideoDto), total, limit, offset });
});

export const POST = route("videos:upload", async (request, { ctx, principal }) => {
  const results = await receiveMultipart(ctx, request, { addedBy: principal.user.id });
  const status = overallStatus(results);
  const single = results.length === 1 ? results[0] : undefined;
  if (single?.error) return json({ error: single.error, results }, status);
  return json({ results, ...(single?.video ? { id: single.video.id, video: single.video, created: single.created } : {}) }, status);
});

export const { OPTIONS, PUT, PATCH, DELETE } = onlyMethods("GET", "POST");
