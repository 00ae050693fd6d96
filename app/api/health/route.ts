import { can } from "@/lib/auth/roles";
import { health, liveness } from "@/lib/health";
import { json } from "@/lib/http/respond";
import { publicRoute } from "@/lib/http/route";
import { onlyMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** Anyone gets `{ status }` (load balancers, the e2e launcher); admins get the full report. */
export const GET = publicRoute(async (_req, { ctx, principal }) => {
  if (can(principal?.role, "system:admin")) return json(await health(ctx));
  const live = await liveness(ctx);
  return json(live, live.status === "unavailable" ? 503 : 200);
});

export const { OPTIONS, POST, PUT, PATCH, DELETE } = onlyMethods("GET");
