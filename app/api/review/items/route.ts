import { z } from "zod";
import { jsonBody } from "@/lib/http/body";
import { onlyMethods } from "@/lib/http/methods";
import { isUuid, json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { notFound } from "@/lib/errors";
import { createItem, toItemDto } from "@/lib/review/service";

export const dynamic = "force-dynamic";

const NewItem = z.object({
  videoId: z.string(),
  sentence: z.string().max(500, "The sentence is at most 500 characters."),
  // a search result someone flagged, or a sentence typed for the video
  source: z.enum(["flagged", "described"]).default("described"),
});

/** `{ videoId, sentence, source? }` → 201 `{ item }`: the model proposes the span at once. */
export const POST = route("videos:annotate", async (request, { ctx, principal }) => {
  const body = await jsonBody(request, NewItem);
  if (!isUuid(body.videoId)) throw notFound(`No video with id ${body.videoId}.`);
  const item = await createItem(ctx, { videoId: body.videoId.toLowerCase(), sentence: body.sentence, source: body.source, createdBy: principal.user.id });
  return json({ item: toItemDto(item) }, 201);
});

export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = onlyMethods("POST");
