import { videoIdParam } from "@/lib/http/params";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { getClipSpans } from "@/lib/videos/service";
import { onlyMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>("videos:read", async (_req, { ctx, params }) => {
  return json({ clips: await getClipSpans(ctx, await videoIdParam(params)) });
});

export const { OPTIONS, POST, PUT, PATCH, DELETE } = onlyMethods("GET");
