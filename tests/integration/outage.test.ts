/**
 * The database goes away and comes back: every route answers 503 `unavailable` (not 500)
 * meanwhile, health says so, and the same process recovers without a restart.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { GET as healthRoute } from "@/app/api/health/route";
import { GET as listRoute } from "@/app/api/videos/route";
import { POST as loginRoute } from "@/app/api/auth/login/route";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/db/embedded";
import { migrate } from "@/db/migrate";
import { closePools } from "@/db/pool";
import { forgetUsersExist } from "@/lib/auth/accounts";
import { loadConfig } from "@/lib/config";
import { createContext, setContext } from "@/lib/context";
import { bearerRequest, createTestAccount, type TestAccount } from "../helpers/accounts";

const skip = !!process.env.TEST_DATABASE_URL; // the same pool code; PGlite can be stopped and restarted here
let dir: string;
let db: EmbeddedDatabase | undefined;
let account: TestAccount;
let password: string;
let port: number;

beforeAll(async () => {
  if (skip) return;
  dir = mkdtempSync(path.join(os.tmpdir(), "momentsearch-outage-"));
  db = await startEmbeddedDatabase(path.join(dir, "pgdata"));
  port = db.port;
  password = new URL(db.url).password;
  const ctx = createContext({
    ...loadConfig({ DATA_DIR: dir } as unknown as NodeJS.ProcessEnv),
    databaseUrl: db.url,
    databaseMode: "embedded",
  });
  setContext(ctx);
  await migrate(ctx.db);
  forgetUsersExist();
  account = await createTestAccount(ctx, "viewer", "outage");
});

afterAll(async () => {
  setContext(undefined);
  await closePools();
  await db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it.skipIf(skip)("answers 503 unavailable while the database is down, and recovers by itself", async () => {
  const list = () => listRoute(bearerRequest(account.token, "http://test/api/videos"));
  expect((await list()).status).toBe(200);

  await db!.close();
  db = undefined;
  const down = await list();
  expect(down.status).toBe(503);
  expect(((await down.json()) as { error: { code: string } }).error.code).toBe("unavailable");
  const health = await healthRoute(new Request("http://test/api/health"));
  expect(health.status).toBe(503);
  expect(await health.json()).toEqual({ status: "unavailable" });
  const login = await loginRoute(
    new Request("http://test/api/auth/login", {
      method: "POST",
      body: JSON.stringify({ email: account.email, password: account.password }),
      headers: { "content-type": "application/json" },
    }),
  );
  expect(login.status).toBe(503);

  db = await startEmbeddedDatabase(path.join(dir, "pgdata"), { port, password });
  expect((await list()).status).toBe(200);
  expect((await healthRoute(new Request("http://test/api/health"))).status).toBe(200);
});
