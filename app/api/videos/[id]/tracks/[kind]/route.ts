import { listCues } from "@/db/repositories/cues";
import { notFound } from "@/lib/errors";
import { toWebVtt } from "@/lib/media/subtitles";
import { onlyMethods } from "@/lib/http/methods";
import { videoIdParam } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { getVideo } from "@/lib/videos/service";

export const dynamic = "force-dynamic";

/** `/tracks/subtitles.vtt` or `/tracks/ocr.vtt` → WebVTT for the player's `<track>` elements. */
export const GET = route<{ id: string; kind: string }>("videos:read", async (_request, { ctx, params }) => {
  const id = await videoIdParam(params);
  const { kind } = await params;
  const k = kind.replace(/\.vtt$/, "");
  if (k !== "subtitles" && k !== "ocr") throw notFound(`No text track "${kind}"; there are subtitles.vtt and ocr.vtt.`);
  await getVideo(ctx, id);
  return new Response(toWebVtt(await listCues(ctx.db, id, k)), {
    headers: { "content-type": "text/vtt; charset=utf-8", "cache-control": "private, no-cache" },
  });
});

export const { OPTIONS, POST, PUT, PATCH, DELETE } = onlyMethods("GET");
