/** All SQL touching `users`. */
import type { Queryable } from "../pool";
import type { RowOf } from "../rows";

export type Role = "admin" | "annotator" | "viewer";

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  passwordChangedAt: Date;
}

export interface UserWithHash extends User {
  passwordHash: string;
}

type UserRow = RowOf<UserWithHash>;

const COLUMNS = "id, email, name, role, password_hash, disabled_at, created_at, updated_at, password_changed_at";

function toUser(r: UserRow): UserWithHash {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    passwordHash: r.password_hash,
    disabledAt: r.disabled_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    passwordChangedAt: r.password_changed_at,
  };
}

export async function countUsers(db: Queryable): Promise<number> {
  const r = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM users");
  return r.rows[0].n;
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
}

/** Returns null when the email is taken. */
export async function insertUser(db: Queryable, u: NewUser): Promise<UserWithHash | null> {
  const r = await db.query<UserRow>(
    `INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4)
     ON CONFLICT (email) DO NOTHING RETURNING ${COLUMNS}`,
    [u.email, u.name, u.role, u.passwordHash],
  );
  return r.rows[0] ? toUser(r.rows[0]) : null;
}

/**
 * Inserts the first admin only while the table is empty. Serialised by an advisory
 * transaction lock, so two concurrent first-run forms cannot both succeed.
 */
export async function insertFirstUser(db: Queryable, u: NewUser): Promise<UserWithHash | null> {
  await db.query("SELECT pg_advisory_xact_lock(727431005)");
  const r = await db.query<UserRow>(
    `INSERT INTO users (email, name, role, password_hash)
     SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM users)
     RETURNING ${COLUMNS}`,
    [u.email, u.name, u.role, u.passwordHash],
  );
  return r.rows[0] ? toUser(r.rows[0]) : null;
}

export async function findUserById(db: Queryable, id: string): Promise<UserWithHash | null> {
  const r = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
  return r.rows[0] ? toUser(r.rows[0]) : null;
}

export async function findUserByEmail(db: Queryable, email: string): Promise<UserWithHash | null> {
  const r = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE email = $1`, [email]);
  return r.rows[0] ? toUser(r.rows[0]) : null;
}

/** The earliest enabled admin: the owner of what the CLIs add without --as. */
export async function findFirstAdmin(db: Queryable): Promise<UserWithHash | null> {
  const r = await db.query<UserRow>(
    `SELECT ${COLUMNS} FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY created_at, id LIMIT 1`,
  );
  return r.rows[0] ? toUser(r.rows[0]) : null;
}

export async function listUsers(db: Queryable): Promise<(UserWithHash & { sessions: number; tokens: number })[]> {
  const r = await db.query<UserRow & { sessions: number; tokens: number }>(
    `SELECT ${COLUMNS.split(", ")
      .map((c) => `u.${c}`)
      .join(", ")},
            (SELECT count(*)::int FROM sessions s WHERE s.user_id = u.id AND s.expires_at > now()) AS sessions,
            (SELECT count(*)::int FROM api_tokens t WHERE t.user_id = u.id AND t.revoked_at IS NULL) AS tokens
       FROM users u ORDER BY u.created_at, u.id`,
  );
  return r.rows.map((row) => ({ ...toUser(row), sessions: row.sessions, tokens: row.tokens }));
}

export async function countEnabledAdmins(db: Queryable): Promise<number> {
  const r = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL",
  );
  return r.rows[0].n;
}

export interface UserChanges {
  name?: string;
  role?: Role;
  disabled?: boolean;
  passwordHash?: string;
}

export async function updateUser(db: Queryable, id: string, c: UserChanges): Promise<UserWithHash | null> {
  const sets: string[] = ["updated_at = now()"];
  const params: unknown[] = [id];
  if (c.name !== undefined) sets.push(`name = $${params.push(c.name)}`);
  if (c.role !== undefined) sets.push(`role = $${params.push(c.role)}`);
  if (c.disabled !== undefined)
    sets.push(c.disabled ? "disabled_at = coalesce(disabled_at, now())" : "disabled_at = NULL");
  if (c.passwordHash !== undefined)
    sets.push(`password_hash = $${params.push(c.passwordHash)}`, "password_changed_at = now()");
  const r = await db.query<UserRow>(`UPDATE users SET ${sets.join(", ")} WHERE id = $1 RETURNING ${COLUMNS}`, params);
  return r.rows[0] ? toUser(r.rows[0]) : null;
}

/** Videos added before any account existed become the first admin's. */
export async function claimUnownedVideos(db: Queryable, userId: string): Promise<number> {
  const r = await db.query("UPDATE videos SET added_by = $1 WHERE added_by IS NULL", [userId]);
  return r.rowCount ?? 0;
}
