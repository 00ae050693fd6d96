import { z } from "zod";
import { roleSchema } from "@/lib/auth/accounts";
import { createToken, listTokens } from "@/lib/auth/tokens";
import { jsonBody } from "@/lib/http/body";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { onlyMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

const NewToken = z.object({
  name: z.string().trim().min(1, "Give the token a name.").max(100),
  role: roleSchema.optional(),
});

export const GET = route("account", async (_req, { ctx, principal }) => {
  return json({ tokens: await listTokens(ctx, principal.user.id) });
});

/** `{ name, role? }` → `{ token, … }`: the token is shown this once; its role is at most the caller's. */
export const POST = route("account", async (request, { ctx, principal }) => {
  const body = await jsonBody(request, NewToken);
  const { token, record } = await createToken(ctx, {
    userId: principal.user.id,
    maxRole: principal.role,
    name: body.name,
    role: body.role,
  });
  return json({ token, ...record }, 201);
});

export const { OPTIONS, PUT, PATCH, DELETE } = onlyMethods("GET", "POST");
