/** API tokens for scripts: shown once at creation, stored as SHA-256, revocable, last use recorded. */
import * as tokens from "@/db/repositories/tokens";
import type { ApiToken } from "@/db/repositories/tokens";
import type { Context } from "../context";
import { forbidden, notFound } from "../errors";
import { can, roleRank, type Role } from "./roles";
import { displayPrefix, hashSecret, newApiToken } from "./secrets";

export interface TokenDto {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function toTokenDto(t: ApiToken): TokenDto {
  return {
    id: t.id,
    name: t.name,
    role: t.role,
    prefix: t.prefix,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

/**
 * A new token for `owner`, with at most the role the creator holds now (`maxRole`: the
 * owner's role, or less when a token creates a token). Returns the secret once.
 */
export async function createToken(
  ctx: Context,
  o: { userId: string; maxRole: Role; name: string; role?: Role },
): Promise<{ token: string; record: TokenDto }> {
  const role = o.role ?? o.maxRole;
  if (roleRank(role) > roleRank(o.maxRole)) throw forbidden(`A token's role is at most yours (${o.maxRole}).`);
  const token = newApiToken();
  const record = await tokens.insertToken(ctx.db, {
    userId: o.userId,
    name: o.name,
    role,
    tokenHash: hashSecret(token),
    prefix: displayPrefix(token),
  });
  return { token, record: toTokenDto(record) };
}

export async function listTokens(ctx: Context, userId: string): Promise<TokenDto[]> {
  return (await tokens.listTokens(ctx.db, userId)).map(toTokenDto);
}

/** Revokes one of the caller's tokens (an admin may revoke anyone's); others' are simply not found. */
export async function revokeToken(ctx: Context, actor: { userId: string; role: Role }, id: string): Promise<TokenDto> {
  const t = await tokens.findToken(ctx.db, id);
  if (!t || (t.userId !== actor.userId && !can(actor.role, "users:manage"))) throw notFound(`No token with id ${id}.`);
  return toTokenDto((await tokens.revokeToken(ctx.db, id))!);
}
