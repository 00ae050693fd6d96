/**
 * Finding (or starting) the database a process should use.
 * - DATABASE_URL set: that server.
 * - Otherwise the embedded PGlite of DATA_DIR: if an `npm start` already serves it, connect
 *   to that (its address is in DATA_DIR/embedded-db.json); else, when allowed, open it
 *   here. PGlite must have a single owner process, guarded by that same file.
 */
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { startEmbeddedDatabase } from "@/db/embedded";
import type { Config } from "../config";

export interface ResolvedDatabase {
  url: string;
  mode: "embedded" | "postgres";
  /** true when this process owns the embedded database and must close it */
  owner: boolean;
  close(): Promise<void>;
}

interface LockInfo {
  url: string;
  pid: number;
}

function lockFile(config: Config): string {
  return path.join(config.dataDir, "embedded-db.json");
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function runningEmbedded(config: Config): LockInfo | null {
  const file = lockFile(config);
  if (!existsSync(file)) return null;
  try {
    const info = JSON.parse(readFileSync(file, "utf8")) as LockInfo;
    return alive(info.pid) && info.pid !== process.pid ? info : null;
  } catch {
    return null;
  }
}

export async function resolveDatabase(
  config: Config,
  o: { allowOpen: boolean; port?: number },
): Promise<ResolvedDatabase> {
  if (config.databaseMode === "postgres" && config.databaseUrl) {
    return { url: config.databaseUrl, mode: "postgres", owner: false, close: async () => undefined };
  }
  const running = runningEmbedded(config);
  if (running) return { url: running.url, mode: "embedded", owner: false, close: async () => undefined };
  if (!o.allowOpen) {
    throw new Error(
      `No database: set DATABASE_URL, or start the app (npm start) so that the embedded database in ${config.dataDir} is served.`,
    );
  }
  mkdirSync(config.dataDir, { recursive: true });
  // The database files (PGlite writes them 0666 whatever the umask), the media and the
  // lock file with the database password: this user's only, by the folders' modes.
  chmodSync(config.dataDir, 0o700);
  process.umask(0o077);
  const embedded = await startEmbeddedDatabase(path.join(config.dataDir, "pgdata"), { port: o.port });
  chmodSync(path.join(config.dataDir, "pgdata"), 0o700);
  // The URL carries the database's password: readable by this user only.
  writeFileSync(lockFile(config), JSON.stringify({ url: embedded.url, pid: process.pid } satisfies LockInfo), {
    mode: 0o600,
  });
  chmodSync(lockFile(config), 0o600);
  let closed = false;
  return {
    url: embedded.url,
    mode: "embedded",
    owner: true,
    async close() {
      if (closed) return;
      closed = true;
      rmSync(lockFile(config), { force: true });
      await embedded.close();
    },
  };
}
