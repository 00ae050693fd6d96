import type { VideoSort, VideoStatus } from "@/db/repositories/videos";
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
const SORTS = new Set(["added", "name", "duration"]);

export const GET = route("videos:read", async (request, { ctx }) => {
  const url = new URL(request.url);
  const limit = intParam(url, "limit", 100, 1, 1000);
  const offset = intParam(url, "offset", 0, 0, Number.MAX_SAFE_INTEGER);
  const status = url.searchParams.get("status") || undefined;
  if (status && !STATUSES.has(status)) throw badRequest(`status must be one of ${[...STATUSES].join(", ")}.`);
  const sort = url.searchParams.get("sort") || "added";
  if (!SORTS.has(sort)) throw badRequest(`sort must be one of ${[...SORTS].join(", ")}.`);
  const order = url.searchParams.get("order") || undefined;
  if (order && order !== "asc" && order !== "desc") throw badRequest("order must be asc or desc.");
  const q = url.searchParams.get("q")?.trim().slice(0, 255) || undefined;
  const { videos, total } = await listVideos(ctx, { limit, offset, status: status as VideoStatus, q, sort: sort as VideoSort, order: order as "asc" | "desc" | undefined });
  const now = Date.now();
  return json({ videos: videos.map((v) => toVideoDto(v, now)), total, limit, offset });
});

export const POST = route("videos:upload", async (request, { ctx, principal }) => {
  const results = await receiveMultipart(ctx, request, { addedBy: principal.user.id });
  const status = overallStatus(results);
  const single = results.length === 1 ? results[0] : undefined;
  if (single?.error) return json({ error: single.error, results }, status);
  return json({ results, ...(single?.video ? { id: single.video.id, video: single.video, created: single.created } : {}) }, status);
});

export const { OPTIONS, PUT, PATCH, DELETE } = onlyMethods("GET", "POST");
