import { onlyMethods } from "@/lib/http/methods";
import { modelVersionParam } from "@/lib/http/params";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { getModel } from "@/lib/models/registry";

export const dynamic = "force-dynamic";

/** → `{ version }`: the version with its training `curve` and `data`. */
export const GET = route<{ version: string }>("models:train", async (_request, { ctx, params }) =>
  json({ version: await getModel(ctx, await modelVersionParam(params)) }),
);

export const { OPTIONS, POST, PUT, PATCH, DELETE } = onlyMethods("GET");
