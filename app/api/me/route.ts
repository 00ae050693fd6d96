import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { onlyMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** Who this request is signed in as, with what role and how (session or token). */
export const GET = route("signed-in", async (_req, { principal }) => {
  return json({ user: principal.user, role: principal.role, via: principal.via });
});

export const { OPTIONS, POST, PUT, PATCH, DELETE } = onlyMethods("GET");
