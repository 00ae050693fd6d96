/**
 * Table-level dump and load for backups: rows travel as JSON (`row_to_json`), and come
 * back through `json_populate_recordset`, so every column — vectors, halfvecs, jsonb,
 * timestamps — goes through its own type's text form both ways, unchanged.
 */
import type pg from "pg";
import type { Queryable } from "../pool";

/** Columns a row can be inserted with (generated columns are computed again). */
export async function insertableColumns(db: Queryable, table: string): Promise<string[]> {
  const r = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER'
      ORDER BY ordinal_position`,
    [table],
  );
  return r.rows.map((row) => row.column_name);
}

export async function publicTables(db: Queryable): Promise<string[]> {
  const r = await db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  return r.rows.map((row) => row.table_name);
}

/** Streams a table's rows as JSON text, `batch` at a time, through a cursor (call inside a transaction). */
export async function* tableRows(client: pg.PoolClient, table: string, batch = 500): AsyncGenerator<string[]> {
  const cursor = `dump_${table}`;
  await client.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS j FROM "${table}" t`);
  try {
    for (;;) {
      const r = await client.query<{ j: string }>(`FETCH ${batch} FROM ${cursor}`);
      if (r.rows.length === 0) return;
      yield r.rows.map((row) => row.j);
    }
  } finally {
    await client.query(`CLOSE ${cursor}`);
  }
}

export async function insertJsonRows(db: Queryable, table: string, columns: string[], rows: string[]): Promise<void> {
  if (rows.length === 0) return;
  const cols = columns.map((c) => `"${c}"`).join(", ");
  await db.query(
    `INSERT INTO "${table}" (${cols}) SELECT ${cols} FROM json_populate_recordset(NULL::"${table}", $1::json)`,
    [`[${rows.join(",")}]`],
  );
}
