/**
 * For CLIs that reach the database directly: the running app's database (or
 * DATABASE_URL, or the embedded one opened for the duration), migrated, as a service
 * context; everything is closed afterwards, whatever `fn` did. Returns `fn`'s exit code.
 */
import { migrate } from "@/db/migrate";
import { closePools } from "@/db/pool";
import { loadConfig } from "@/lib/config";
import { createContext, type Context } from "@/lib/context";
import { resolveDatabase } from "@/lib/runtime/database";

export async function withCliContext(
  fn: (ctx: Context, o: { ownsDatabase: boolean }) => Promise<number>,
): Promise<number> {
  const base = loadConfig();
  const database = await resolveDatabase(base, { allowOpen: true });
  const ctx = createContext({ ...base, databaseUrl: database.url, databaseMode: database.mode });
  try {
    await migrate(ctx.db);
    return await fn(ctx, { ownsDatabase: !!database.owner });
  } catch (err) {
    console.error((err as Error).message);
    return 1;
  } finally {
    const q = await ctx.queue().catch(() => undefined);
    await q?.stop();
    await closePools();
    await database.close();
  }
}
