import { z } from "zod";
import { jsonBody } from "@/lib/http/body";
import { onlyMethods } from "@/lib/http/methods";
import { modelVersionParam } from "@/lib/http/params";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { requestActivation } from "@/lib/models/activation";

export const dynamic = "force-dynamic";

const Activate = z.object({ force: z.boolean().optional() }).strict();

/**
 * `{ force? }` → 202 `{ pending: {version}, gate, forced }`: the library is re-embedded with the
 * version in the background, then it answers searches. 409 when the evaluation gate refuses
 * (without force), or the version is active already, not ready, or its weights are missing.
 */
export const POST = route<{ version: string }>("models:train", async (request, { ctx, params }) => {
  const version = await modelVersionParam(params);
  const body = await jsonBody(request, Activate);
  return json(await requestActivation(ctx, version, { force: body.force ?? false }), 202);
});

export const { OPTIONS, GET, HEAD, PUT, PATCH, DELETE } = onlyMethods("POST");
