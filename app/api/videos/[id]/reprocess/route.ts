import { can } from "@/lib/auth/roles";
import { onlyMethods } from "@/lib/http/methods";
import { videoIdParam } from "@/lib/http/params";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { toVideoDto } from "@/lib/videos/dto";
import { reprocessVideo } from "@/lib/videos/service";

export const dynamic = "force-dynamic";

/** Processes the video again: a failed one (annotators), any one (admins). → 202 `{ video }` (queued). */
export const POST = route<{ id: string }>("videos:upload", async (_request, { ctx, principal, params }) => {
  const video = await reprocessVideo(ctx, await videoIdParam(params), { any: can(principal.role, "system:admin") });
  return json({ video: toVideoDto(video) }, 202);
});

export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = onlyMethods("POST");
