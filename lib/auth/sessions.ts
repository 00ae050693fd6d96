/**
 * Server-side sessions: the cookie holds a random secret, the database its SHA-256, so
 * the server can end any session at once (sign-out, disabled user, password change).
 * Sessions last 30 days from the last use (sliding expiry).
 */
import * as sessions from "@/db/repositories/sessions";
import type { Context } from "../context";
import { hashSecret, newSecret } from "./secrets";

export const SESSION_COOKIE = "moments_session";
export const SESSION_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
/** how stale last_seen_at may get before a request writes it again */
const TOUCH_EVERY_MS = 5 * 60 * 1000;

export interface ClientInfo {
  userAgent: string | null;
  address: string | null;
}

export async function startSession(
  ctx: Context,
  userId: string,
  client: ClientInfo,
): Promise<{ secret: string; expiresAt: Date }> {
  const secret = newSecret();
  const expiresAt = new Date(Date.now() + SESSION_DAYS * DAY_MS);
  await sessions.insertSession(ctx.db, { idHash: hashSecret(secret), userId, expiresAt, ...client });
  return { secret, expiresAt };
}

/** The live session behind a cookie value (null when unknown or expired), refreshed when stale. */
export async function resumeSession(ctx: Context, secret: string): Promise<sessions.SessionWithUser | null> {
  const idHash = hashSecret(secret);
  const s = await sessions.findSessionWithUser(ctx.db, idHash);
  if (!s) return null;
  if (Date.now() - s.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await sessions.touchSession(ctx.db, idHash, new Date(Date.now() + SESSION_DAYS * DAY_MS));
  }
  return s;
}

export async function endSession(ctx: Context, secret: string): Promise<void> {
  await sessions.deleteSession(ctx.db, hashSecret(secret));
}

/** Deletes expired sessions (they are already refused; this keeps the table small). */
export function pruneExpiredSessions(ctx: Context): Promise<number> {
  return sessions.deleteExpiredSessions(ctx.db);
}

export function sessionCookie(secret: string, expiresAt: Date, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${secret}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Expires=${expiresAt.toUTCString()}`,
    `Max-Age=${Math.floor((expiresAt.getTime() - Date.now()) / 1000)}`,
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

export function clearedSessionCookie(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0", ...(secure ? ["Secure"] : [])].join(
    "; ",
  );
}

/** The session secret in a Cookie header, if any. */
export function readSessionCookie(cookieHeader: string | null): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return value || null;
    }
  }
  return null;
}
