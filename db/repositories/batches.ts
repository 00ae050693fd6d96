/** All SQL touching `review_batches`. */
import type { Queryable } from "../pool";
import type { RowOf } from "../rows";

export type BatchStatus = "queued" | "running" | "done" | "failed";

export interface BatchPair {
  videoId: string;
  sentence: string;
}

export interface BatchError {
  position: number;
  videoId: string;
  sentence: string;
  message: string;
}

export interface Batch {
  id: string;
  name: string;
  datasetId: string | null;
  status: BatchStatus;
  total: number;
  done: number;
  failed: number;
  errors: BatchError[];
  error: string | null;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

type Row = RowOf<Batch>;

// everything but the pairs, which can be long
const COLUMNS =
  "id, name, dataset_id, status, total, done, failed, errors, error, created_by, created_at, started_at, finished_at";

const toBatch = (r: Row): Batch => ({
  id: r.id,
  name: r.name,
  datasetId: r.dataset_id,
  status: r.status,
  total: r.total,
  done: r.done,
  failed: r.failed,
  errors: r.errors,
  error: r.error,
  createdBy: r.created_by,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

export async function insertBatch(
  db: Queryable,
  b: { name: string; datasetId: string | null; pairs: BatchPair[]; createdBy: string | null },
): Promise<Batch> {
  const r = await db.query<Row>(
    `INSERT INTO review_batches (name, dataset_id, pairs, total, created_by) VALUES ($1, $2, $3::jsonb, $4, $5) RETURNING ${COLUMNS}`,
    [b.name, b.datasetId, JSON.stringify(b.pairs), b.pairs.length, b.createdBy],
  );
  return toBatch(r.rows[0]);
}

export async function findBatch(db: Queryable, id: string): Promise<Batch | null> {
  const r = await db.query<Row>(`SELECT ${COLUMNS} FROM review_batches WHERE id = $1`, [id]);
  return r.rows[0] ? toBatch(r.rows[0]) : null;
}

export async function listBatches(db: Queryable, limit = 50): Promise<Batch[]> {
  const r = await db.query<Row>(`SELECT ${COLUMNS} FROM review_batches ORDER BY created_at DESC, id LIMIT $1`, [limit]);
  return r.rows.map(toBatch);
}

export async function batchPairs(db: Queryable, id: string): Promise<BatchPair[]> {
  const r = await db.query<{ pairs: BatchPair[] }>("SELECT pairs FROM review_batches WHERE id = $1", [id]);
  return r.rows[0]?.pairs ?? [];
}

/** Positions already filed as items or recorded as failed: a resumed job skips them. */
export async function finishedPositions(db: Queryable, id: string): Promise<Set<number>> {
  const r = await db.query<{ p: number }>(
    `SELECT batch_position AS p FROM review_items WHERE batch_id = $1
     UNION SELECT (e->>'position')::int FROM review_batches b, jsonb_array_elements(b.errors) e WHERE b.id = $1`,
    [id],
  );
  return new Set(r.rows.map((x) => x.p));
}

export async function markRunning(db: Queryable, id: string): Promise<void> {
  await db.query(
    "UPDATE review_batches SET status = 'running', started_at = coalesce(started_at, now()) WHERE id = $1 AND status IN ('queued', 'running')",
    [id],
  );
}

/** Recounts the items filed; call after each one so progress shows live. */
export async function refreshProgress(db: Queryable, id: string): Promise<void> {
  await db.query(
    "UPDATE review_batches SET done = (SELECT count(*)::int FROM review_items WHERE batch_id = $1) WHERE id = $1",
    [id],
  );
}

export async function recordFailure(db: Queryable, id: string, e: BatchError): Promise<void> {
  await db.query("UPDATE review_batches SET failed = failed + 1, errors = errors || $2::jsonb WHERE id = $1", [
    id,
    JSON.stringify([e]),
  ]);
}

export async function finish(
  db: Queryable,
  id: string,
  o: { status: "done" | "failed"; error?: string },
): Promise<void> {
  await db.query("UPDATE review_batches SET status = $2, error = $3, finished_at = now() WHERE id = $1", [
    id,
    o.status,
    o.error ?? null,
  ]);
}
