/**
 * npm run backup -- OUT    saves the database (one consistent snapshot, while the app
 *                          runs) and every video's media into a new folder OUT;
 * npm run restore -- IN    loads such a backup into an empty library (a new DATA_DIR, and
 *                          a new database when DATABASE_URL is set); then start the app.
 * Uses the running app's database, or DATABASE_URL. See lib/backup.ts.
 */
import { closePools } from "@/db/pool";
import { backup, restore } from "@/lib/backup";
import { loadConfig } from "@/lib/config";
import { createContext } from "@/lib/context";
import { resolveDatabase } from "@/lib/runtime/database";
import { ensureDirs } from "@/lib/storage";

const [mode, dir] = process.argv.slice(2);
if ((mode !== "backup" && mode !== "restore") || !dir || dir.startsWith("-")) {
  console.error(`usage: npm run ${mode === "restore" ? "restore -- IN" : "backup -- OUT"}`);
  process.exit(2);
}
const base = loadConfig();
const database = await resolveDatabase(base, { allowOpen: true });
const ctx = createContext({ ...base, databaseUrl: database.url, databaseMode: database.mode });
let code = 0;
try {
  await ensureDirs(ctx.config);
  const m = await (mode === "backup" ? backup : restore)(ctx, dir, (line) => console.log(`  ${line}`));
  const rows = Object.entries(m.rows)
    .map(([t, n]) => `${n} ${t}`)
    .join(", ");
  console.log(
    `${mode === "backup" ? "backed up" : "restored"} schema ${m.schemaVersion}: ${rows}, ${m.mediaFolders} media folders`,
  );
} catch (err) {
  console.error(`${mode} failed: ${(err as Error).message}`);
  code = 1;
} finally {
  const q = await ctx.queue().catch(() => undefined);
  await q?.stop();
  await closePools();
  await database.close();
}
process.exit(code);
