import { z } from "zod";
import { signIn } from "@/lib/auth/accounts";
import { clientInfo } from "@/lib/auth/guard";
import { signedInResponse } from "@/lib/auth/http";
import { TooManyAttempts } from "@/lib/auth/rate-limit";
import { jsonBody } from "@/lib/http/body";
import { errorResponse } from "@/lib/http/respond";
import { publicRoute } from "@/lib/http/route";
import { onlyMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

const Credentials = z.object({ email: z.string().max(254), password: z.string().max(1024) });

/** Email + password → a session cookie. Failures are rate-limited per account and address (429 + Retry-After). */
export const POST = publicRoute(async (request, { ctx }) => {
  const credentials = await jsonBody(request, Credentials);
  try {
    const { user, session } = await signIn(ctx, credentials, clientInfo(request, ctx.config));
    return signedInResponse(request, user, session);
  } catch (err) {
    if (!(err instanceof TooManyAttempts)) throw err;
    const res = errorResponse(err);
    res.headers.set("retry-after", String(err.retryAfterSeconds));
    return res;
  }
});

export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = onlyMethods("POST");
