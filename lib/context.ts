/**
 * Per-process service context: config, the database pool and the job queue. Cached on
 * globalThis because Next.js bundles each route separately and would otherwise open a
 * pool per route.
 */
import { getPool, type Db } from "@/db/pool";
import { loadConfig, type Config } from "./config";
import { startQueue, type Queue } from "./queue";

export interface Context {
  config: Config;
  db: Db;
  /** started lazily: only producers and workers need it */
  queue(): Promise<Queue>;
}

const KEY = Symbol.for("momentsearch.context");
type Holder = { [KEY]?: Context };

export function createContext(config: Config = loadConfig()): Context {
  if (!config.databaseUrl) {
    throw new Error(
      "No database configured: set DATABASE_URL, or start the app with `npm start`, which serves the embedded database.",
    );
  }
  const db = getPool(config.databaseUrl);
  let queue: Promise<Queue> | undefined;
  return {
    config,
    db,
    queue() {
      queue ??= startQueue(config.databaseUrl!, {
        retryLimit: config.jobRetryLimit,
        timeoutSeconds: config.jobTimeoutSeconds,
      }).catch((err) => {
        queue = undefined;
        throw err;
      });
      return queue;
    },
  };
}

export function getContext(): Context {
  const holder = globalThis as Holder;
  holder[KEY] ??= createContext();
  return holder[KEY];
}

/** For tests and CLIs that build their own context. */
export function setContext(ctx: Context | undefined): void {
  (globalThis as Holder)[KEY] = ctx;
}
