import { uuidParam } from "@/lib/http/params";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { revokeToken } from "@/lib/auth/tokens";
import { onlyMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const DELETE = route<{ id: string }>("account", async (_req, { ctx, principal, params }) => {
  const id = await uuidParam(params, "token");
  const token = await revokeToken(ctx, { userId: principal.user.id, role: principal.role }, id);
  return json({ revoked: token.id, token });
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH } = onlyMethods("DELETE");
