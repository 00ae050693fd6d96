/**
 * npm run backup -- OUT
 * Saves the database (one consistent snapshot, while the app runs) and every video's
 * media into a new folder OUT. Uses the running app's database, or DATABASE_URL. See lib/backup.ts.
 */
import { closePools } from "@/db/pool";
import { backup } from "@/lib/backup";
import { loadConfig } from "@/lib/config";
import { createContext } from "@/lib/context";
import { resolveDatabase } from "@/lib/runtime/database";
import { ensureDirs } from "@/lib/storage";

const dir = process.argv[2];
if (!dir || dir.startsWith("-")) {
  console.error("usage: npm run backup -- OUT");
  process.exit(2);
}
const base = loadConfig();
const database = await resolveDatabase(base, { allowOpen: true });
const ctx = createContext({ ...base, databaseUrl: database.url, databaseMode: database.mode });
let code = 0;
try {
  await ensureDirs(ctx.config);
  const m = await backup(ctx, dir, (line) => console.log(`  ${line}`));
  console.log(`backed up schema ${m.schemaVersion}: ${Object.entries(m.rows).map(([t, n]) => `${n} ${t}`).join(", ")}, ${m.mediaFolders} media folders`);
} catch (err) {
  console.error(`backup failed: ${(err as Error).message}`);
  code = 1;
} finally {
  const q = await ctx.queue().catch(() => undefined);
  await q?.stop();
  await closePools();
  await database.close();
}
process.exit(code);
