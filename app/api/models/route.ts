import { onlyMethods } from "@/lib/http/methods";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { listModels } from "@/lib/models/registry";

export const dynamic = "force-dynamic";

/** → `{ active: {version}, pending: {version, progress, done, total} | null, versions: [...] }`, newest first. */
export const GET = route("models:train", async (_request, { ctx }) => json(await listModels(ctx)));

export const { OPTIONS, POST, PUT, PATCH, DELETE } = onlyMethods("GET");
