/** All SQL touching `settings`: the app's own settings, one JSON value per key. */
import type { Queryable } from "../pool";

export async function getSetting<T>(db: Queryable, key: string): Promise<T | undefined> {
  const r = await db.query<{ value: T }>("SELECT value FROM settings WHERE key = $1", [key]);
  return r.rows[0]?.value;
}

export async function putSetting(db: Queryable, key: string, value: unknown): Promise<void> {
  await db.query(
    `INSERT INTO settings (key, value) VALUES ($1, $2::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [key, JSON.stringify(value)],
  );
}
