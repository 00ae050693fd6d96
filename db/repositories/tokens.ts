/** All SQL touching `api_tokens`. Only a token's SHA-256 and its first characters are stored. */
import type { Queryable } from "../pool";
import type { RowOf } from "../rows";
import type { Role } from "./users";

export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** A live token joined with its owner: what authentication needs in one round trip. */
export interface TokenWithOwner extends ApiToken {
  owner: { id: string; email: string; name: string; role: Role; disabledAt: Date | null };
}

type Row = RowOf<ApiToken>;

const COLUMNS = "id, user_id, name, role, prefix, created_at, last_used_at, revoked_at";

function toToken(r: Row): ApiToken {
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    role: r.role,
    prefix: r.prefix,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  };
}

export async function insertToken(
  db: Queryable,
  t: { userId: string; name: string; role: Role; tokenHash: string; prefix: string },
): Promise<ApiToken> {
  const r = await db.query<Row>(
    `INSERT INTO api_tokens (user_id, name, role, token_hash, prefix) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [t.userId, t.name, t.role, t.tokenHash, t.prefix],
  );
  return toToken(r.rows[0]);
}

export async function findLiveTokenByHash(db: Queryable, tokenHash: string): Promise<TokenWithOwner | null> {
  const r = await db.query<Row & { email: string; uname: string; urole: Role; disabled_at: Date | null }>(
    `SELECT ${COLUMNS.split(", ")
      .map((c) => `t.${c}`)
      .join(", ")}, u.email, u.name AS uname, u.role AS urole, u.disabled_at
       FROM api_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL`,
    [tokenHash],
  );
  const row = r.rows[0];
  if (!row) return null;
  return {
    ...toToken(row),
    owner: { id: row.user_id, email: row.email, name: row.uname, role: row.urole, disabledAt: row.disabled_at },
  };
}

/** The user's tokens, newest first; revoked ones are kept (and shown as revoked). */
export async function listTokens(db: Queryable, userId: string): Promise<ApiToken[]> {
  const r = await db.query<Row>(`SELECT ${COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id`, [
    userId,
  ]);
  return r.rows.map(toToken);
}

export async function findToken(db: Queryable, id: string): Promise<ApiToken | null> {
  const r = await db.query<Row>(`SELECT ${COLUMNS} FROM api_tokens WHERE id = $1`, [id]);
  return r.rows[0] ? toToken(r.rows[0]) : null;
}

export async function revokeToken(db: Queryable, id: string): Promise<ApiToken | null> {
  const r = await db.query<Row>(
    `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING ${COLUMNS}`,
    [id],
  );
  return r.rows[0] ? toToken(r.rows[0]) : null;
}

export async function revokeUserTokens(db: Queryable, userId: string): Promise<number> {
  const r = await db.query("UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL", [
    userId,
  ]);
  return r.rowCount ?? 0;
}

export async function touchToken(db: Queryable, id: string): Promise<void> {
  await db.query("UPDATE api_tokens SET last_used_at = now() WHERE id = $1", [id]);
}
