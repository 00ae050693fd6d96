import { onlyMethods } from "@/lib/http/methods";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { evaluation } from "@/lib/review/evaluation";

export const dynamic = "force-dynamic";

/** Every model version against the accepted and corrected spans: R1@0.3/0.5/0.7 and mIoU in percent, as `npm run eval` prints them. */
export const GET = route("videos:annotate", async (_req, { ctx }) => json(await evaluation(ctx)));

export const { OPTIONS, POST, PUT, PATCH, DELETE } = onlyMethods("GET");
