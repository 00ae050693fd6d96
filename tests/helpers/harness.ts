/**
 * The integration harness: the real database (embedded PGlite served over its socket,
 * or the real PostgreSQL in TEST_DATABASE_URL), a temp DATA_DIR, migrations, and an
 * ingestion worker running in this process. Route handlers are called directly with
 * real Request objects.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedDatabase } from "@/db/embedded";
import { migrate } from "@/db/migrate";
import { closePools, getPool } from "@/db/pool";
import { loadConfig, type Config } from "@/lib/config";
import { createContext, setContext, type Context } from "@/lib/context";
import { forgetUsersExist } from "@/lib/auth/accounts";
import { resetSignInLimits } from "@/lib/auth/rate-limit";
import { startWorker, type Worker } from "@/lib/ingest/worker";
import { bearerRequest, createTestAccount, type TestAccount } from "./accounts";

export interface Harness {
  ctx: Context;
  mode: "embedded" | "postgres";
  dataDir: string;
  /** the harness's admin account (created first, so it owns what CLIs add) */
  admin: TestAccount;
  /** a Request authenticated as the admin (bearer token) */
  request(url: string, init?: RequestInit): Request;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

async function resetDatabase(url: string): Promise<void> {
  const pool = getPool(url);
  await pool.query("DROP SCHEMA IF EXISTS pgboss CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
}

export async function startHarness(overrides: Partial<Config> = {}): Promise<Harness> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "momentsearch-it-"));
  const external = process.env.TEST_DATABASE_URL;
  const embedded = external ? null : await startEmbeddedDatabase(null);
  const url = external ?? embedded!.url;
  if (external) await resetDatabase(url);
  const base = loadConfig({ DATA_DIR: dataDir } as unknown as NodeJS.ProcessEnv);
  const config: Config = {
    ...base,
    databaseUrl: url,
    databaseMode: external ? "postgres" : "embedded",
    jobRetryLimit: 1,
    // OCR reads every video's frames: only the tests about on-screen text turn it on
    ocr: false,
    ...overrides,
  };
  const ctx = createContext(config);
  setContext(ctx);
  await migrate(ctx.db);
  forgetUsersExist();
  resetSignInLimits();
  const admin = await createTestAccount(ctx, "admin");
  let worker: Worker | undefined;
  const h: Harness = {
    ctx,
    mode: config.databaseMode,
    dataDir,
    admin,
    request: (url, init) => bearerRequest(admin.token, url, init),
    async startWorker() {
      worker ??= await startWorker(ctx, { log: () => undefined });
    },
    async stopWorker() {
      await worker?.stop();
      worker = undefined;
    },
    async stop() {
      await h.stopWorker();
      const q = await ctx.queue().catch(() => undefined);
      await q?.stop();
      setContext(undefined);
      forgetUsersExist();
      await closePools();
      await embedded?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await h.startWorker();
  return h;
}

/** Polls GET /api/videos/:id until the video reaches one of `statuses`. */
export async function waitForStatus<V extends { status: string }>(
  get: (id: string) => Promise<V>,
  id: string,
  statuses: string[],
  timeoutMs = 120_000,
): Promise<V> {
  const t0 = Date.now();
  for (;;) {
    const v = await get(id);
    if (statuses.includes(v.status)) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`video ${id} still ${v.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
