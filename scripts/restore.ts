/**
 * npm run restore -- IN
 * Loads a backup made by `npm run backup` into an empty library (a new DATA_DIR, and a
 * new database when DATABASE_URL is set), then start the app as usual. See lib/backup.ts.
 */
import { closePools } from "@/db/pool";
import { restore } from "@/lib/backup";
import { loadConfig } from "@/lib/config";
import { createContext } from "@/lib/context";
import { resolveDatabase } from "@/lib/runtime/database";
import { ensureDirs } from "@/lib/storage";

const dir = process.argv[2];
if (!dir || dir.startsWith("-")) {
  console.error("usage: npm run restore -- IN");
  process.exit(2);
}
const base = loadConfig();
const database = await resolveDatabase(base, { allowOpen: true });
const ctx = createContext({ ...base, databaseUrl: database.url, databaseMode: database.mode });
let code = 0;
try {
  await ensureDirs(ctx.config);
  const m = await restore(ctx, dir, (line) => console.log(`  ${line}`));
  console.log(`restored schema ${m.schemaVersion}: ${Object.entries(m.rows).map(([t, n]) => `${n} ${t}`).join(", ")}, ${m.mediaFolders} media folders`);
} catch (err) {
  console.error(`restore failed: ${(err as Error).message}`);
  code = 1;
} finally {
  const q = await ctx.queue().catch(() => undefined);
  await q?.stop();
  await closePools();
  await database.close();
}
process.exit(code);
