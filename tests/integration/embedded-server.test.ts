/** The embedded database's wire-protocol server under concurrent clients. */
import { afterAll, beforeAll, expect, it } from "vitest";
import pg from "pg";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/db/embedded";

let db: EmbeddedDatabase;
const pools: pg.Pool[] = [];

beforeAll(async () => {
  if (process.env.TEST_DATABASE_URL) return;
  db = await startEmbeddedDatabase(null);
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await db?.close();
});

it.skipIf(!!process.env.TEST_DATABASE_URL)(
  "keeps each client's parameterised queries and transactions apart",
  async () => {
    for (let i = 0; i < 3; i++) pools.push(new pg.Pool({ connectionString: db.url, max: 4 }));
    await pools[0].query("CREATE TABLE t (k int PRIMARY KEY, v text)");
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 200; i++) {
      const pool = pools[i % 3];
      // Different parameter counts interleaved: the failure mode of message-level multiplexing.
      if (i % 2)
        work.push(pool.query("SELECT $1::int + $2::int AS s", [i, 1]).then((r) => expect(r.rows[0].s).toBe(i + 1)));
      else work.push(pool.query("SELECT $1::text AS s", [`x${i}`]).then((r) => expect(r.rows[0].s).toBe(`x${i}`)));
    }
    // Transactions from several clients at once: each sees only its own uncommitted rows.
    for (let c = 0; c < 3; c++) {
      work.push(
        (async () => {
          const client = await pools[c].connect();
          try {
            await client.query("BEGIN");
            await client.query("INSERT INTO t VALUES ($1, $2)", [c, `c${c}`]);
            const r = await client.query("SELECT v FROM t WHERE k = $1", [c]);
            expect(r.rows[0].v).toBe(`c${c}`);
            await client.query(c === 1 ? "ROLLBACK" : "COMMIT");
          } finally {
            client.release();
          }
        })(),
      );
    }
    await Promise.all(work);
    const rows = await pools[2].query("SELECT k FROM t ORDER BY k");
    expect(rows.rows.map((r) => r.k)).toEqual([0, 2]);
  },
);

it.skipIf(!!process.env.TEST_DATABASE_URL)(
  "a client that disconnects inside a transaction does not block the others",
  async () => {
    const lonely = new pg.Client({ connectionString: db.url });
    await lonely.connect();
    await lonely.query("BEGIN");
    await lonely.query("INSERT INTO t VALUES (99, 'lost')");
    lonely.on("error", () => undefined);
    (lonely as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const t0 = Date.now();
    const r = await pools[0].query("SELECT count(*)::int AS n FROM t WHERE k = 99");
    console.log(`after disconnect: ${Date.now() - t0} ms`);
    expect(r.rows[0].n).toBe(0);
  },
);

it.skipIf(!!process.env.TEST_DATABASE_URL)(
  "delivers a response of several megabytes whole (search fetches that much clip data)",
  async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    pools.push(pool);
    // 1000 rows × 8 kB = 8 MB, more than the socket takes at once: the server must not hand it
    // views of PGlite's memory that change before they are sent
    const r = await pool.query("SELECT g, repeat(chr(65 + g % 26), 8000) AS s FROM generate_series(1, 1000) g");
    expect(r.rows).toHaveLength(1000);
    r.rows.forEach((row: { g: number; s: string }) =>
      expect(row.s).toBe(String.fromCharCode(65 + (row.g % 26)).repeat(8000)),
    );
  },
  30_000,
);

it.skipIf(!!process.env.TEST_DATABASE_URL)("refuses a client without the right password", async () => {
  const url = new URL(db.url);
  expect(url.password).toMatch(/^[0-9a-f]{48}$/);
  for (const password of ["postgres", "", `${url.password}x`]) {
    const wrong = new URL(db.url);
    wrong.password = password;
    const client = new pg.Client({ connectionString: wrong.toString() });
    await expect(client.connect()).rejects.toThrow(/password authentication failed/);
    await client.end().catch(() => undefined);
  }
  const right = new pg.Client({ connectionString: db.url });
  await right.connect();
  expect((await right.query("SELECT 1 AS one")).rows[0].one).toBe(1);
  await right.end();
});

it.skipIf(!!process.env.TEST_DATABASE_URL)(
  "keeps the database, its address and password where only this user can reach them, and a dead owner's lock does not block",
  async () => {
    const { mkdtempSync, rmSync, statSync, writeFileSync } = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const { loadConfig } = await import("@/lib/config");
    const { resolveDatabase, runningEmbedded } = await import("@/lib/runtime/database");
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "momentsearch-lock-"));
    try {
      const config = loadConfig({ DATA_DIR: dataDir } as unknown as NodeJS.ProcessEnv);
      // a lock left by a process that no longer exists
      writeFileSync(
        path.join(dataDir, "embedded-db.json"),
        JSON.stringify({ url: "postgres://x@127.0.0.1:1/postgres", pid: 2 ** 22 + 12345 }),
      );
      expect(runningEmbedded(config)).toBeNull();
      const database = await resolveDatabase(config, { allowOpen: true });
      try {
        expect(statSync(path.join(dataDir, "embedded-db.json")).mode & 0o777).toBe(0o600);
        // nobody else may enter DATA_DIR or pgdata (PGlite writes its files 0666 whatever the umask)
        expect(statSync(dataDir).mode & 0o777).toBe(0o700);
        expect(statSync(path.join(dataDir, "pgdata")).mode & 0o777).toBe(0o700);
        const client = new pg.Client({ connectionString: database.url });
        await client.connect();
        await client.end();
      } finally {
        await database.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
