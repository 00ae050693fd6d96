import { onlyMethods } from "@/lib/http/methods";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { nextItem, toItemDto } from "@/lib/review/service";

export const dynamic = "force-dynamic";

/** The caller's next item, claimed for them for a while; `{ item: null }` when nothing is left. */
export const GET = route("videos:annotate", async (_req, { ctx, principal }) => {
  const item = await nextItem(ctx, principal.user.id);
  return json({ item: item ? toItemDto(item) : null });
});

export const { OPTIONS, POST, PUT, PATCH, DELETE } = onlyMethods("GET");
