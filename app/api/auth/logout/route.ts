import { isHttps } from "@/lib/auth/guard";
import { clearedSessionCookie, endSession, readSessionCookie } from "@/lib/auth/sessions";
import { json } from "@/lib/http/respond";
import { publicRoute } from "@/lib/http/route";
import { onlyMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** Ends this browser's session (the row is deleted, not just the cookie). API tokens are revoked at /api/tokens/:id. */
export const POST = publicRoute(async (request, { ctx }) => {
  const secret = readSessionCookie(request.headers.get("cookie"));
  if (secret) await endSession(ctx, secret);
  return json({ signedOut: true }, 200, { "set-cookie": clearedSessionCookie(isHttps(request)) });
});

export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = onlyMethods("POST");
