import { onlyMethods } from "@/lib/http/methods";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { toAnnotationDto, undoLatest } from "@/lib/review/service";

export const dynamic = "force-dynamic";

/** Undoes the caller's latest decision (404 when there is none). */
export const POST = route("videos:annotate", async (_req, { ctx, principal }) => {
  return json({ annotation: toAnnotationDto(await undoLatest(ctx, principal.user.id)) });
});

export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = onlyMethods("POST");
