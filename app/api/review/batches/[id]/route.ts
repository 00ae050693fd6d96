import { onlyMethods } from "@/lib/http/methods";
import { uuidParam } from "@/lib/http/params";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { getBatch, toBatchDto } from "@/lib/review/batches";

export const dynamic = "force-dynamic";

/** → `{ batch }` with its progress. */
export const GET = route<{ id: string }>("videos:annotate", async (_request, { ctx, params }) => {
  const id = await uuidParam(params, "batch");
  return json({ batch: toBatchDto(await getBatch(ctx, id)) });
});

export const { OPTIONS, POST, PUT, PATCH, DELETE } = onlyMethods("GET");
