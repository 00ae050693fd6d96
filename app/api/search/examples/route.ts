import { onlyMethods } from "@/lib/http/methods";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { exampleQueries } from "@/lib/search/examples";

export const dynamic = "force-dynamic";

/** → `{ examples }`: up to three sentences from the library's annotated datasets, each verified to find its moment first. */
export const GET = route("search", async (_request, { ctx }) => json({ examples: await exampleQueries(ctx) }));

export const { OPTIONS, POST, PUT, PATCH, DELETE } = onlyMethods("GET");
