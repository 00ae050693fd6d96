import { getContext } from "@/lib/context";
import { videoIdParam } from "@/lib/http/params";
import { handler, json } from "@/lib/http/respond";
import { getClipSpans } from "@/lib/videos/service";

export const dynamic = "force-dynamic";
type Params = { params: Promise<{ id: string }> };

export const GET = handler(async (_req: Request, { params }: Params) => {
  return json({ clips: await getClipSpans(getContext(), await videoIdParam(params)) });
});
