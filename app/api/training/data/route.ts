import { onlyMethods } from "@/lib/http/methods";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { trainingDataSummary } from "@/lib/training/data";

export const dynamic = "force-dynamic";

/** → `{ sources: [{source, videos, sentences}], readyVideos, videosWithout: {videos, total} }` */
export const GET = route("videos:annotate", async (_request, { ctx }) => json(await trainingDataSummary(ctx)));

export const { OPTIONS, POST, PUT, PATCH, DELETE } = onlyMethods("GET");
