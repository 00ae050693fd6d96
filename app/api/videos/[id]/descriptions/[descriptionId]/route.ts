import { onlyMethods } from "@/lib/http/methods";
import { uuidParam, videoIdParam } from "@/lib/http/params";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { removeDescription } from "@/lib/training/data";

export const dynamic = "force-dynamic";

export const DELETE = route<{ id: string; descriptionId: string }>(
  "videos:annotate",
  async (_request, { ctx, params }) => {
    const id = await videoIdParam(params);
    const descriptionId = await uuidParam(
      params.then((p) => ({ id: p.descriptionId })),
      "description",
    );
    await removeDescription(ctx, id, descriptionId);
    return json({ deleted: descriptionId });
  },
);

export const { OPTIONS, GET, HEAD, POST, PUT, PATCH } = onlyMethods("DELETE");
