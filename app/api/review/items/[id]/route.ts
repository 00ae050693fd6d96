import { onlyMethods } from "@/lib/http/methods";
import { uuidParam } from "@/lib/http/params";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { itemDetail } from "@/lib/review/service";

export const dynamic = "force-dynamic";

/** → `{ item, annotations, agreement, video }`: one item with every decision on it (undone ones marked). */
export const GET = route<{ id: string }>("videos:annotate", async (_request, { ctx, params }) => {
  const id = await uuidParam(params, "review item");
  return json(await itemDetail(ctx, id));
});

export const { OPTIONS, POST, PUT, PATCH, DELETE } = onlyMethods("GET");
