import { payloadTooLarge } from "@/lib/errors";
import { videoIdParam } from "@/lib/http/params";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { attachSubtitles } from "@/lib/videos/service";

export const dynamic = "force-dynamic";
const MAX_SUBTITLE_BYTES = 10 * 1024 * 1024;

/** PUT the .srt/.vtt text as the body (or as a multipart field "file"). */
export const PUT = route<{ id: string }>("videos:annotate", async (request, { ctx, params }) => {
  const id = await videoIdParam(params);
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_SUBTITLE_BYTES) throw payloadTooLarge("Subtitle files are limited to 10 MiB.");
  let text: string;
  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const file = (await request.formData()).get("file");
    text = typeof file === "string" ? file : file ? await file.text() : "";
  } else text = await request.text();
  const cues = await attachSubtitles(ctx, id, text);
  return json({ videoId: id, cues });
});
