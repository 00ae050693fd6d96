/** Facts about the database server itself, for /api/health. */
import type { Queryable } from "../pool";

export async function databaseInfo(
  db: Queryable,
): Promise<{ serverVersion: string; pgvector: string | null; schemaVersion: number | null }> {
  const [v, ext, mig] = await Promise.all([
    db.query<{ v: string }>("SELECT current_setting('server_version') AS v"),
    db.query<{ v: string }>("SELECT extversion AS v FROM pg_extension WHERE extname = 'vector'"),
    db
      .query<{ v: number | null }>("SELECT max(version) AS v FROM schema_migrations")
      .catch(() => ({ rows: [{ v: null }] })),
  ]);
  return { serverVersion: v.rows[0].v, pgvector: ext.rows[0]?.v ?? null, schemaVersion: mig.rows[0]?.v ?? null };
}

export async function jobCounts(db: Queryable, queue: string): Promise<Record<string, number>> {
  const r = await db
    .query<{ state: string; n: number }>(
      "SELECT state::text, count(*)::int AS n FROM pgboss.job WHERE name = $1 GROUP BY state",
      [queue],
    )
    .catch(() => ({ rows: [] as { state: string; n: number }[] }));
  return Object.fromEntries(r.rows.map((x) => [x.state, x.n]));
}
