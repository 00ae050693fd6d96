import { onlyMethods } from "@/lib/http/methods";
import { uuidParam } from "@/lib/http/params";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { skipItem } from "@/lib/review/service";

export const dynamic = "force-dynamic";

/** Puts the item aside for the caller (their claim ends); it comes back after the rest of the queue. */
export const POST = route<{ id: string }>("videos:annotate", async (_req, { ctx, principal, params }) => {
  const id = await uuidParam(params, "review item");
  await skipItem(ctx, principal.user.id, id);
  return json({ skipped: id });
});

export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = onlyMethods("POST");
