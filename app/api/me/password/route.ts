import { z } from "zod";
import { changePassword } from "@/lib/auth/accounts";
import { jsonBody } from "@/lib/http/body";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { onlyMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

const PasswordChange = z.object({ currentPassword: z.string().max(1024), newPassword: z.string().max(1024) });

/** Changes one's own password; the account's other sessions end, this one stays signed in. */
export const PUT = route("account", async (request, { ctx, principal }) => {
  const body = await jsonBody(request, PasswordChange);
  await changePassword(ctx, principal.user.id, body, principal.sessionHash);
  return json({ changed: true });
});

export const { GET, HEAD, OPTIONS, POST, PATCH, DELETE } = onlyMethods("PUT");
