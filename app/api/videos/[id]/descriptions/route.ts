import { z } from "zod";
import { listDescriptions } from "@/db/repositories/descriptions";
import { jsonBody } from "@/lib/http/body";
import { onlyMethods } from "@/lib/http/methods";
import { videoIdParam } from "@/lib/http/params";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { describeVideo, toDescriptionDto } from "@/lib/training/data";
import { getVideo } from "@/lib/videos/service";

export const dynamic = "force-dynamic";

/** → `{ descriptions }`: the sentences people typed for the video, oldest first. */
export const GET = route<{ id: string }>("videos:read", async (_request, { ctx, params }) => {
  const id = await videoIdParam(params);
  await getVideo(ctx, id);
  return json({ descriptions: (await listDescriptions(ctx.db, id)).map(toDescriptionDto) });
});

const Body = z.object({ sentences: z.array(z.string().max(2000)).max(200) }).strict();

/** `{ sentences: [...] }` → 201 `{ added }` (sentences already there, in any case, are skipped). */
export const POST = route<{ id: string }>("videos:annotate", async (request, { ctx, principal, params }) => {
  const id = await videoIdParam(params);
  const { sentences } = await jsonBody(request, Body);
  return json({ added: (await describeVideo(ctx, id, sentences, principal.user.id)).map(toDescriptionDto) }, 201);
});

export const { OPTIONS, PUT, PATCH, DELETE } = onlyMethods("GET", "POST");
