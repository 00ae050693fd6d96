import { revokeSessions } from "@/lib/auth/accounts";
import { uuidParam } from "@/lib/http/params";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { onlyMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** Signs the user out of every browser (their API tokens are separate: revoke those at /api/tokens/:id). */
export const DELETE = route<{ id: string }>("users:manage", async (_req, { ctx, params }) => {
  const id = await uuidParam(params, "user");
  return json({ revoked: await revokeSessions(ctx, id) });
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH } = onlyMethods("DELETE");
