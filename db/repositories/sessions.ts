/** All SQL touching `sessions`. Rows are keyed by the SHA-256 of the cookie's secret. */
import type { Queryable } from "../pool";
import type { RowOf } from "../rows";
import type { Role } from "./users";

export interface SessionRecord {
  idHash: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  address: string | null;
}

/** A session joined with its user: what authentication needs in one round trip. */
export interface SessionWithUser extends SessionRecord {
  user: { id: string; email: string; name: string; role: Role; disabledAt: Date | null };
}

type Row = RowOf<SessionRecord>;

function toSession(r: Row): SessionRecord {
  return {
    idHash: r.id_hash,
    userId: r.user_id,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    userAgent: r.user_agent,
    address: r.address,
  };
}

export async function insertSession(
  db: Queryable,
  s: { idHash: string; userId: string; expiresAt: Date; userAgent: string | null; address: string | null },
): Promise<SessionRecord> {
  const r = await db.query<Row>(
    `INSERT INTO sessions (id_hash, user_id, expires_at, user_agent, address) VALUES ($1, $2, $3, $4, $5)
     RETURNING id_hash, user_id, created_at, last_seen_at, expires_at, user_agent, address`,
    [s.idHash, s.userId, s.expiresAt, s.userAgent, s.address],
  );
  return toSession(r.rows[0]);
}

export async function findSessionWithUser(db: Queryable, idHash: string): Promise<SessionWithUser | null> {
  const r = await db.query<Row & { email: string; name: string; role: Role; disabled_at: Date | null }>(
    `SELECT s.id_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.user_agent, s.address,
            u.email, u.name, u.role, u.disabled_at
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id_hash = $1 AND s.expires_at > now()`,
    [idHash],
  );
  const row = r.rows[0];
  if (!row) return null;
  return {
    ...toSession(row),
    user: { id: row.user_id, email: row.email, name: row.name, role: row.role, disabledAt: row.disabled_at },
  };
}

/** Marks the session seen and pushes its expiry out (sliding expiry). */
export async function touchSession(db: Queryable, idHash: string, expiresAt: Date): Promise<void> {
  await db.query("UPDATE sessions SET last_seen_at = now(), expires_at = $2 WHERE id_hash = $1", [idHash, expiresAt]);
}

export async function deleteSession(db: Queryable, idHash: string): Promise<void> {
  await db.query("DELETE FROM sessions WHERE id_hash = $1", [idHash]);
}

/** Signs a user out everywhere (optionally except one session); returns how many ended. */
export async function deleteUserSessions(db: Queryable, userId: string, exceptIdHash?: string): Promise<number> {
  const r = await db.query("DELETE FROM sessions WHERE user_id = $1 AND id_hash IS DISTINCT FROM $2", [
    userId,
    exceptIdHash ?? null,
  ]);
  return r.rowCount ?? 0;
}

export async function deleteExpiredSessions(db: Queryable): Promise<number> {
  const r = await db.query("DELETE FROM sessions WHERE expires_at <= now()");
  return r.rowCount ?? 0;
}
