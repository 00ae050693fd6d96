import { badRequest, payloadTooLarge } from "@/lib/errors";
import { readBodyLimited } from "@/lib/http/body";
import { onlyMethods } from "@/lib/http/methods";
import { videoIdParam } from "@/lib/http/params";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { attachSubtitles, MAX_SUBTITLE_BYTES } from "@/lib/videos/service";

export const dynamic = "force-dynamic";

/** PUT the .srt/.vtt text as the body (or as a multipart field "file"); at most 10 MiB, however it is sent. */
export const PUT = route<{ id: string }>("videos:annotate", async (request, { ctx, params }) => {
  const id = await videoIdParam(params);
  const contentType = request.headers.get("content-type") ?? "";
  // The multipart envelope may add a little to the file itself.
  const limit = MAX_SUBTITLE_BYTES + (contentType.startsWith("multipart/form-data") ? 64 * 1024 : 0);
  const bytes = await readBodyLimited(request, limit, () => payloadTooLarge("Subtitle files are limited to 10 MiB."));
  let text: string;
  if (contentType.startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await new Response(bytes, { headers: { "content-type": contentType } }).formData();
    } catch {
      throw badRequest('The multipart body could not be read (is its boundary missing?); send the subtitle file in a field named "file".', "bad_multipart");
    }
    const file = form.get("file");
    text = typeof file === "string" ? file : file ? await file.text() : "";
  } else text = new TextDecoder().decode(bytes);
  const cues = await attachSubtitles(ctx, id, text);
  return json({ videoId: id, cues });
});

export const { GET, HEAD, POST, PATCH, DELETE, OPTIONS } = onlyMethods("PUT");
