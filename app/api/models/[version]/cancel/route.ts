import { onlyMethods } from "@/lib/http/methods";
import { modelVersionParam } from "@/lib/http/params";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { cancelVersion } from "@/lib/models/activation";

export const dynamic = "force-dynamic";

/** → `{ version, cancelled: "training" | "re-embedding" }`; 409 when nothing of the version is running. */
export const POST = route<{ version: string }>("models:train", async (_request, { ctx, params }) => {
  const version = await modelVersionParam(params);
  return json(await cancelVersion(ctx, version));
});

export const { OPTIONS, GET, HEAD, PUT, PATCH, DELETE } = onlyMethods("POST");
