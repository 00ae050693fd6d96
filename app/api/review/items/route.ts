import { z } from "zod";
import { jsonBody } from "@/lib/http/body";
import { onlyMethods } from "@/lib/http/methods";
import { isUuid, json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { badRequest, notFound } from "@/lib/errors";
import { createItem, toItemDto } from "@/lib/review/service";

export const dynamic = "force-dynamic";

const Span = z.object({ start: z.number().finite(), end: z.number().finite() });
const NewItem = z.object({
  videoId: z.string(),
  sentence: z.string().max(500, "The sentence is at most 500 characters."),
  // a search result someone flagged, or a sentence typed for the video
  source: z.enum(["flagged", "described"]).default("described"),
  // a flagged result's span and alternatives, as the user saw them
  start: z.number().finite().optional(),
  end: z.number().finite().optional(),
  alternatives: z.array(Span).max(20).optional(),
});

/** `{ videoId, sentence, source?, start?, end?, alternatives? }` → 201 `{ item }`: the model proposes the span at once, unless a flagged result brings its own. */
export const POST = route("videos:annotate", async (request, { ctx, principal }) => {
  const body = await jsonBody(request, NewItem);
  if (!isUuid(body.videoId)) throw notFound(`No video with id ${body.videoId}.`);
  if ((body.start === undefined) !== (body.end === undefined))
    throw badRequest("Give both start and end of the flagged span, or neither.", "invalid_span");
  const span = body.start !== undefined && body.end !== undefined ? { start: body.start, end: body.end } : undefined;
  const item = await createItem(ctx, {
    videoId: body.videoId.toLowerCase(),
    sentence: body.sentence,
    source: body.source,
    createdBy: principal.user.id,
    span,
    alternatives: body.alternatives,
  });
  return json({ item: toItemDto(item) }, 201);
});

export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = onlyMethods("POST");
