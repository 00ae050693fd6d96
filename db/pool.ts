/**
 * One node-postgres pool per process. Both database modes end up here: with
 * DATABASE_URL it is a real Postgres; in embedded mode the launcher serves PGlite over
 * the Postgres wire protocol (db/embedded.ts) and hands out the same kind of URL, so
 * every route, worker and CLI uses one data-access path.
 */
import pg from "pg";

export type Db = pg.Pool;
export type Queryable = Pick<pg.Pool, "query">;

// bigint (bytes) as a JS number: files are far below 2^53 bytes.
pg.types.setTypeParser(20, (v) => Number(v));

const pools = new Map<string, pg.Pool>();

export function getPool(connectionString: string, max = 5): pg.Pool {
  let pool = pools.get(connectionString);
  if (!pool) {
    // A bounded connect: a database that hangs must give a 503, not a request that never ends.
    pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 });
    // An idle client dying (server restart) must not crash the process.
    pool.on("error", (err) => console.error("[db] idle client error:", err.message));
    pools.set(connectionString, pool);
  }
  return pool;
}

const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENOTFOUND",
  // Postgres: admin shutdown, crash shutdown, cannot connect now, connection failures
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);

/** Whether `err` says the database is down or unreachable (→ 503), rather than a bad query. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
  if (err instanceof AggregateError && err.errors.some(isDatabaseUnavailable)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    err.message,
  );
}

export async function closePools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.end()));
}

export async function withTransaction<T>(db: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
