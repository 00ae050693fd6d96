import { z } from "zod";
import { createFirstAdmin, nameSchema } from "@/lib/auth/accounts";
import { clientInfo } from "@/lib/auth/guard";
import { signedInResponse } from "@/lib/auth/http";
import { startSession } from "@/lib/auth/sessions";
import { jsonBody } from "@/lib/http/body";
import { publicRoute } from "@/lib/http/route";
import { onlyMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

const FirstAdmin = z.object({
  email: z.string().max(254),
  password: z.string().max(1024),
  name: nameSchema.optional(),
});

/** First run: creates the admin account while none exists (409 after) and signs it in. */
export const POST = publicRoute(async (request, { ctx }) => {
  const body = await jsonBody(request, FirstAdmin);
  const admin = await createFirstAdmin(ctx, body);
  const session = await startSession(ctx, admin.id, clientInfo(request, ctx.config));
  return signedInResponse(request, admin, session, 201);
});

export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = onlyMethods("POST");
