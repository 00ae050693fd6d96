/**
 * npm run ingest -- <file-or-folder>... [--no-worker] [--no-wait] [--as EMAIL]
 * Adds videos to the library without a browser and shows their progress until each is
 * ready or failed. Folders are searched recursively. Uses the running app's database
 * when `npm start` is up (or DATABASE_URL); otherwise opens the embedded one itself.
 * Runs an ingestion worker in this process unless --no-worker. The videos are recorded as
 * added by the account --as names, else the first admin.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { migrate } from "@/db/migrate";
import { closePools } from "@/db/pool";
import { findVideo } from "@/db/repositories/videos";
import { loadConfig } from "@/lib/config";
import { createContext } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { startWorker, type Worker } from "@/lib/ingest/worker";
import { resolveOwner } from "@/lib/auth/accounts";
import { resolveDatabase } from "@/lib/runtime/database";
import { addLocalFile } from "@/lib/videos/service";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    "no-worker": { type: "boolean", default: false },
    "no-wait": { type: "boolean", default: false },
    as: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help || positionals.length === 0) {
  console.log("usage: npm run ingest -- <file-or-folder>... [--no-worker] [--no-wait] [--as EMAIL]");
  process.exit(positionals.length === 0 && !values.help ? 2 : 0);
}

function collect(p: string, out: string[]): void {
  const s = statSync(p, { throwIfNoEntry: false });
  if (!s) {
    console.error(`not found: ${p}`);
    return;
  }
  if (s.isFile()) out.push(path.resolve(p));
  else if (s.isDirectory()) {
    for (const e of readdirSync(p).sort()) if (!e.startsWith(".")) collect(path.join(p, e), out);
  }
}
const files: string[] = [];
for (const p of positionals) collect(p, files);
if (files.length === 0) {
  console.error("no files to ingest");
  process.exit(2);
}

const base = loadConfig();
const database = await resolveDatabase(base, { allowOpen: true });
const ctx = createContext({ ...base, databaseUrl: database.url, databaseMode: database.mode });
await migrate(ctx.db);
const owner = await resolveOwner(ctx, values.as).catch((err: Error) => {
  console.error(err.message);
  process.exit(2);
});
const bars = new cliProgress.MultiBar(
  {
    format: " {bar} {percentage}% | {name} | {state}",
    hideCursor: true,
    clearOnComplete: false,
    autopadding: true,
    noTTYOutput: true,
    notTTYSchedule: 5000,
  },
  cliProgress.Presets.shades_classic,
);
const log = (m: string) => bars.log(`${m}\n`);
let worker: Worker | undefined;
if (!values["no-worker"]) worker = await startWorker(ctx, { log: () => undefined });

const tracked: { id: string; bar: cliProgress.SingleBar }[] = [];
let problems = 0;
for (const file of files) {
  const name = path.basename(file).slice(0, 40);
  try {
    const { video, created } = await addLocalFile(ctx, file, { addedBy: owner?.id ?? null });
    const bar = bars.create(100, video.progress, {
      name,
      state: created ? "queued" : `already in the library (${video.status})`,
    });
    tracked.push({ id: video.id, bar });
  } catch (err) {
    problems++;
    const msg = err instanceof AppError ? err.message : (err as Error).message;
    log(`✗ ${name}: ${msg}`);
  }
}

if (!values["no-wait"]) {
  const pending = new Set(tracked.map((t) => t.id));
  while (pending.size) {
    for (const t of tracked) {
      if (!pending.has(t.id)) continue;
      const v = await findVideo(ctx.db, t.id);
      if (!v) {
        t.bar.update(0, { state: "deleted" });
        pending.delete(t.id);
      } else if (v.status === "ready") {
        t.bar.update(100, { state: v.warning ? `ready (warning: ${v.warning})` : "ready" });
        pending.delete(t.id);
      } else if (v.status === "failed") {
        t.bar.update(v.progress, { state: `failed: ${v.error}` });
        problems++;
        pending.delete(t.id);
      } else t.bar.update(v.progress, { state: v.status });
    }
    if (pending.size) await new Promise((r) => setTimeout(r, 500));
  }
}
bars.stop();
console.log(`${tracked.length} added or found, ${problems} problem(s)`);
await worker?.stop();
const q = await ctx.queue().catch(() => undefined);
await q?.stop();
await closePools();
await database.close();
process.exit(problems ? 1 : 0);
