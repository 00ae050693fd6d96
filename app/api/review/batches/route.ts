import { z } from "zod";
import { notFound } from "@/lib/errors";
import { jsonBody } from "@/lib/http/body";
import { onlyMethods } from "@/lib/http/methods";
import { isUuid, json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { listBatches } from "@/db/repositories/batches";
import { startBatch, startDatasetBatch, toBatchDto } from "@/lib/review/batches";

export const dynamic = "force-dynamic";

/** → `{ batches }`, newest first. */
export const GET = route("videos:annotate", async (_request, { ctx }) =>
  json({ batches: (await listBatches(ctx.db)).map(toBatchDto) }),
);

const NewBatch = z.union([
  z.object({ dataset: z.string() }).strict(),
  z
    .object({
      name: z.string().max(200).optional(),
      items: z
        .array(
          z.object({ videoId: z.string(), sentence: z.string().max(500, "A sentence is at most 500 characters.") }),
        )
        .min(1, "items is empty"),
    })
    .strict(),
]);

/** `{ dataset }` or `{ items: [{videoId, sentence}], name? }` → 202 `{ batch }`: predictions run in the background; poll the batch. */
export const POST = route("videos:annotate", async (request, { ctx, principal }) => {
  const body = await jsonBody(request, NewBatch, { maxBytes: 4 * 1024 * 1024 });
  if ("dataset" in body) {
    if (!isUuid(body.dataset)) throw notFound(`No dataset with id ${body.dataset}.`);
    return json(
      { batch: toBatchDto(await startDatasetBatch(ctx, body.dataset.toLowerCase(), principal.user.id)) },
      202,
    );
  }
  const bad = body.items.find((p) => !isUuid(p.videoId));
  if (bad) throw notFound(`No video with id ${bad.videoId}.`);
  const batch = await startBatch(ctx, {
    name: body.name?.trim() || `${body.items.length} sentences`,
    pairs: body.items,
    createdBy: principal.user.id,
  });
  return json({ batch: toBatchDto(batch) }, 202);
});

export const { OPTIONS, PUT, PATCH, DELETE } = onlyMethods("GET", "POST");
