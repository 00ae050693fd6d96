import { buildExport, parseExportStatuses } from "@/lib/datasets/export";
import { onlyMethods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** `?status=accepted,corrected[,rejected]` → annotations.json of the shared format with the reviewed spans (a download). */
export const GET = route("videos:annotate", async (request, { ctx }) => {
  const statuses = parseExportStatuses(new URL(request.url).searchParams.get("status"));
  const doc = await buildExport(ctx, statuses);
  return new Response(JSON.stringify(doc, null, 1) + "\n", {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": 'attachment; filename="annotations.json"',
      "cache-control": "no-store",
    },
  });
});

export const { OPTIONS, POST, PUT, PATCH, DELETE } = onlyMethods("GET");
