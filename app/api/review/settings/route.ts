import { z } from "zod";
import { jsonBody } from "@/lib/http/body";
import { onlyMethods } from "@/lib/http/methods";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { getReviewSettings, updateReviewSettings } from "@/lib/review/settings";

export const dynamic = "force-dynamic";

/** → `{ annotationsPerItem }` */
export const GET = route("videos:annotate", async (_request, { ctx }) => json(await getReviewSettings(ctx.db)));

const Patch = z.object({ annotationsPerItem: z.number().optional() }).strict();

/** Admins: `{ annotationsPerItem: 1–10 }`, for the items filed from now on. */
export const PUT = route("system:admin", async (request, { ctx }) =>
  json(await updateReviewSettings(ctx.db, await jsonBody(request, Patch))),
);

export const { OPTIONS, POST, PATCH, DELETE } = onlyMethods("GET", "PUT");
