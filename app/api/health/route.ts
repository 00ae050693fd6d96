import { getContext } from "@/lib/context";
import { health } from "@/lib/health";
import { handler, json } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = handler(async () => json(await health(getContext())));
