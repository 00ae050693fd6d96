import { z } from "zod";
import { jsonBody } from "@/lib/http/body";
import { onlyMethods } from "@/lib/http/methods";
import { uuidParam } from "@/lib/http/params";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { decide, toAnnotationDto } from "@/lib/review/service";

export const dynamic = "force-dynamic";

const Decision = z.object({
  decision: z.enum(["accept", "reject", "correct"], { message: 'decision must be "accept", "reject" or "correct".' }),
  start: z.number().finite().optional(),
  end: z.number().finite().optional(),
  sentence: z.string().max(500).optional(),
  notInVideo: z.boolean().optional(),
});

/** `{ decision, start?, end?, sentence?, notInVideo? }` → `{ annotation }`, saved at once. */
export const POST = route<{ id: string }>("videos:annotate", async (request, { ctx, principal, params }) => {
  const id = await uuidParam(params, "review item");
  const body = await jsonBody(request, Decision);
  return json({ annotation: toAnnotationDto(await decide(ctx, principal.user.id, id, body)) });
});

export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = onlyMethods("POST");
