import { listDatasets } from "@/db/repositories/datasets";
import { datasetDto, importFromRequest } from "@/lib/datasets/http";
import { onlyMethods } from "@/lib/http/methods";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { toBatchDto } from "@/lib/review/batches";

export const dynamic = "force-dynamic";

/** → `{ datasets }`, newest first, with their video and query counts. */
export const GET = route("videos:annotate", async (_request, { ctx }) =>
  json({ datasets: (await listDatasets(ctx.db)).map(datasetDto) }),
);

/**
 * multipart/form-data: `annotations` (the file), `format` (auto|moments|charades|activitynet),
 * `name`, `captions` ("1"), `review` ("1"), `videoIds` (JSON: dataset video id or uploaded
 * file name → library video id). Upload the videos first (POST /api/videos).
 * → 201 `{ dataset, videos, batch, skipped }`.
 */
export const POST = route("videos:upload", async (request, { ctx, principal }) => {
  const r = await importFromRequest(ctx, request, principal.user.id);
  return json(
    {
      dataset: datasetDto(r.dataset),
      videos: r.videos,
      batch: r.batch ? toBatchDto(r.batch) : null,
      skipped: r.skipped,
    },
    201,
  );
});

export const { OPTIONS, PUT, PATCH, DELETE } = onlyMethods("GET", "POST");
