// npm run worker — an ingestion worker process. Start as many as the machine(s) allow.
import { closePools } from "@/db/pool";
import { loadConfig } from "@/lib/config";
import { createContext } from "@/lib/context";
import { startWorker } from "@/lib/ingest/worker";
import { getBackend } from "@/lib/models";
import { resolveDatabase } from "@/lib/runtime/database";

const base = loadConfig();
const database = await resolveDatabase(base, { allowOpen: false });
const ctx = createContext({ ...base, databaseUrl: database.url, databaseMode: database.mode });
const backend = await getBackend();
console.log(`[worker] pid ${process.pid}, tfjs backend: ${backend.candidate} (${backend.why})`);
const worker = await startWorker(ctx, {
  // Presumed dead and replaced: stop at once rather than race the worker that took over.
  onLeaseLost: () => {
    console.error("[worker] lease lost; exiting so that no video is processed twice");
    process.exit(1);
  },
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[worker] ${signal}: finishing the current job, then stopping`);
  await worker.stop().catch(() => undefined);
  await closePools().catch(() => undefined);
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
