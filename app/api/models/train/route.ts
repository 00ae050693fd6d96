import { z } from "zod";
import { jsonBody } from "@/lib/http/body";
import { onlyMethods } from "@/lib/http/methods";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { SENTENCE_SOURCES, TRAINABLE_MODELS, startTraining } from "@/lib/training/service";

export const dynamic = "force-dynamic";

const TrainRequest = z
  .object({
    models: z
      .array(z.enum(TRAINABLE_MODELS, { message: `each model is one of ${TRAINABLE_MODELS.join(", ")}.` }))
      .min(1, "choose at least one model to retrain"),
    recipe: z.string().min(1).max(100).optional(),
    sources: z
      .array(z.enum(SENTENCE_SOURCES, { message: `each source is one of ${SENTENCE_SOURCES.join(", ")}.` }))
      .optional(),
  })
  .strict();

/**
 * `{ models: ("relevance"|"cpl"|"locvtp")[], recipe?, sources? }` → 202 `{ job: { id, version } }`:
 * the new version trains in the workers; follow it at GET /api/models/:version. 400: an unknown
 * model, recipe or source, or LocVTP without CPL; 409: a run is in progress; 422: the sources give
 * no sentences, or the models cannot learn from the configured frame backbone; 503: the backbone
 * cannot be read (lib/training/service.ts).
 */
export const POST = route("models:train", async (request, { ctx, principal }) => {
  const body = await jsonBody(request, TrainRequest);
  const started = await startTraining(
    ctx,
    { models: body.models, recipe: body.recipe, sources: body.sources },
    principal.user,
  );
  return json(started, 202);
});

export const { OPTIONS, GET, HEAD, PUT, PATCH, DELETE } = onlyMethods("POST");
