/**
 * npm run import:dataset -- <dataset-dir> [--captions] [--as EMAIL]
 * Adds every video of a moment dataset to the library; with --captions its timed
 * sentences become searchable captions. Processing runs in the app's workers (or start
 * `npm run worker`); progress shows in the library. The videos are recorded as added by
 * the account --as names, else the first admin.
 */
import { parseArgs } from "node:util";
import { migrate } from "@/db/migrate";
import { closePools } from "@/db/pool";
import { loadConfig } from "@/lib/config";
import { createContext } from "@/lib/context";
import { importDataset } from "@/lib/datasets";
import { resolveOwner } from "@/lib/auth/accounts";
import { resolveDatabase } from "@/lib/runtime/database";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { captions: { type: "boolean", default: false }, as: { type: "string" } } });
if (positionals.length !== 1) {
  console.error("usage: npm run import:dataset -- <dataset-dir> [--captions] [--as EMAIL]");
  process.exit(2);
}
const base = loadConfig();
const database = await resolveDatabase(base, { allowOpen: true });
const ctx = createContext({ ...base, databaseUrl: database.url, databaseMode: database.mode });
let failed = 0;
try {
  await migrate(ctx.db);
  const owner = await resolveOwner(ctx, values.as);
  const results = await importDataset(ctx, positionals[0], {
    captions: values.captions,
    addedBy: owner?.id ?? null,
    onVideo: (v) => {
      if (v.error) failed++;
      console.log(v.error ? `✗ ${v.datasetId}: ${v.error}` : `${v.created ? "+" : "="} ${v.datasetId} → ${v.videoId}${v.captions ? ` (${v.captions} captions)` : ""}`);
    },
  });
  console.log(`${results.length - failed} imported, ${failed} failed${database.owner ? "; start the app (npm start) to process them" : ""}`);
} finally {
  const q = await ctx.queue().catch(() => undefined);
  await q?.stop();
  await closePools();
  await database.close();
}
process.exit(failed ? 1 : 0);
