import { payloadTooLarge } from "@/lib/errors";
import { formBodyLimited, formText, readBodyLimited } from "@/lib/http/body";
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
  const tooLarge = () => payloadTooLarge("Subtitle files are limited to 10 MiB.");
  // The multipart envelope may add a little to the file itself.
  const text = contentType.startsWith("multipart/form-data")
    ? await formText(
        await formBodyLimited(request, MAX_SUBTITLE_BYTES + 64 * 1024, { field: "file", tooLarge }),
        "file",
      )
    : new TextDecoder().decode(await readBodyLimited(request, MAX_SUBTITLE_BYTES, tooLarge));
  const cues = await attachSubtitles(ctx, id, text);
  return json({ videoId: id, cues });
});

export const { GET, HEAD, POST, PATCH, DELETE, OPTIONS } = onlyMethods("PUT");
