/**
 * What the database benches share: a fresh library on PGlite or on a throw-away real
 * PostgreSQL, with the app's context set on it and a viewer to call the routes as.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedDatabase } from "@/db/embedded";
import { migrate } from "@/db/migrate";
import { closePools } from "@/db/pool";
import { forgetUsersExist } from "@/lib/auth/accounts";
import { loadConfig } from "@/lib/config";
import { createContext, setContext, type Context } from "@/lib/context";
import { startCluster } from "../scripts/pg-cluster";
import { createTestAccount, type TestAccount } from "../tests/helpers/accounts";

export type DatabaseMode = "pglite" | "postgres";

/**
 * Runs `bench` against a migrated, empty database of the given kind (a temporary data
 * folder, the app's context set on it) with a viewer's account, whose bearer token goes
 * through the guard as a script's would; everything is torn down afterwards, also when
 * it throws.
 */
export async function withBenchLibrary<T>(
  mode: DatabaseMode,
  bench: (ctx: Context, viewer: TestAccount) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "momentsearch-bench-"));
  const embedded = mode === "pglite" ? await startEmbeddedDatabase(null) : null;
  const cluster = mode === "postgres" ? await startCluster() : null;
  const url = embedded?.url ?? cluster!.url;
  const ctx = createContext({
    ...loadConfig({ DATA_DIR: dataDir } as unknown as NodeJS.ProcessEnv),
    databaseUrl: url,
    databaseMode: mode === "pglite" ? "embedded" : "postgres",
  });
  setContext(ctx);
  try {
    await migrate(ctx.db);
    forgetUsersExist();
    const viewer = await createTestAccount(ctx, "viewer", `bench-${mode}`);
    return await bench(ctx, viewer);
  } finally {
    setContext(undefined);
    await closePools();
    await embedded?.close();
    cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
