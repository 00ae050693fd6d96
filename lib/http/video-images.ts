import { notFound } from "../errors";
import { absolutePath, getVideo } from "../videos/service";
import { sendFile } from "./files";
import { videoIdParam } from "./params";
import { route } from "./route";

/** GET handler for a video's derived image (poster or thumbnail sprite). */
export function videoImageHandler(kind: "poster" | "sprite") {
  return route<{ id: string }>("videos:read", async (request, { ctx, params }) => {
    const video = await getVideo(ctx, await videoIdParam(params));
    const stored = kind === "poster" ? video.posterPath : video.spritePath;
    if (!stored) throw notFound(`This video has no ${kind} yet.`);
    return sendFile(request, absolutePath(ctx, stored));
  });
}
