/**
 * The one guard every API route and page goes through. It answers three questions, in
 * this order, for each request:
 *   1. who is asking: a bearer API token, else the session cookie, else nobody;
 *   2. may a browser have been tricked into sending it: a cookie-authenticated request
 *      that changes something must come from this site (Sec-Fetch-Site / Origin);
 *   3. does their role hold the route's permission (lib/auth/roles.ts).
 * Anonymous → 401, not allowed → 403, both as `{ error: { code, message } }`.
 */
import * as tokensRepo from "@/db/repositories/tokens";
import type { Config } from "../config";
import type { Context } from "../context";
import { forbidden, unauthorized } from "../errors";
import { hasUsers } from "./accounts";
import { can, lesserRole, PERMISSIONS, type Permission, type Role } from "./roles";
import { readSessionCookie, resumeSession } from "./sessions";
import { hashSecret } from "./secrets";

export interface Principal {
  user: { id: string; email: string; name: string; role: Role };
  /** what this request may do: the user's role, or less for a token */
  role: Role;
  via: "session" | "token";
  /** hashed id of the session (via: "session") */
  sessionHash?: string;
  tokenId?: string;
}

/** A route's rule: a permission from the role table, any signed-in user, or anyone. */
export type Access = Permission | "signed-in" | "public";

const TOKEN_TOUCH_EVERY_MS = 60_000;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Who sent the request; null for nobody. A bearer token that does not work is a 401, not anonymous. */
export async function authenticate(ctx: Context, headers: Headers): Promise<Principal | null> {
  const authorization = headers.get("authorization");
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw unauthorized('Send API tokens as "Authorization: Bearer <token>".', "invalid_token");
    return fromToken(ctx, match[1]);
  }
  const secret = readSessionCookie(headers.get("cookie"));
  if (!secret) return null;
  const s = await resumeSession(ctx, secret);
  if (!s || s.user.disabledAt) return null;
  const { disabledAt: _d, ...user } = s.user;
  void _d;
  return { user, role: user.role, via: "session", sessionHash: s.idHash };
}

async function fromToken(ctx: Context, token: string): Promise<Principal> {
  const t = await tokensRepo.findLiveTokenByHash(ctx.db, hashSecret(token));
  if (!t || t.owner.disabledAt)
    throw unauthorized("This API token is not valid (revoked, mistyped, or its owner is disabled).", "invalid_token");
  if (!t.lastUsedAt || Date.now() - t.lastUsedAt.getTime() > TOKEN_TOUCH_EVERY_MS)
    await tokensRepo.touchToken(ctx.db, t.id);
  const { disabledAt: _d, ...user } = t.owner;
  void _d;
  // An owner demoted after creating the token takes the token down with them.
  return { user, role: lesserRole(t.role, user.role), via: "token", tokenId: t.id };
}

/** The host the client addressed (a reverse proxy's X-Forwarded-Host when it sets one). */
function requestHost(headers: Headers, url: string): string {
  return (
    headers.get("x-forwarded-host")?.split(",")[0].trim() ||
    headers.get("host") ||
    new URL(url).host
  ).toLowerCase();
}

/**
 * "same" when the browser says the request comes from this site, "cross" when it says
 * otherwise, "unknown" when it says nothing (not a browser: every current browser sends
 * Origin on a cross-origin POST, PUT, PATCH or DELETE).
 */
export function requestSite(request: Request): "same" | "cross" | "unknown" {
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite) return fetchSite === "same-origin" || fetchSite === "none" ? "same" : "cross";
  const origin = request.headers.get("origin");
  if (!origin) return "unknown";
  try {
    return new URL(origin).host.toLowerCase() === requestHost(request.headers, request.url) ? "same" : "cross";
  } catch {
    return "cross"; // "null" and other opaque origins
  }
}

function checkSameSite(request: Request, principal: Principal | null): void {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return;
  if (principal?.via === "token") return; // a bearer header is never sent by a browser on its own
  const site = requestSite(request);
  if (site === "cross") throw forbidden("Cross-site requests cannot change anything here.");
  if (site === "unknown" && principal?.via === "session") {
    throw forbidden(
      "A request signed in by cookie must come from this site's pages; scripts use an API token (Authorization: Bearer).",
    );
  }
}

export function describePermission(permission: Permission): string {
  return `This needs the ${PERMISSIONS[permission]} role or higher.`;
}

/** The name in the Host header, without port or IPv6 brackets; null when there is none (direct calls). */
export function hostName(headers: Headers): string | null {
  const host = headers.get("host");
  if (!host) return null;
  const h = host.trim().toLowerCase();
  if (h.startsWith("[")) return h.slice(1, h.indexOf("]"));
  return h.replace(/:\d+$/, "");
}

function checkHost(ctx: Context, request: Request): void {
  const allowed = ctx.config.allowedHosts;
  const name = hostName(request.headers);
  if (!allowed || name === null || allowed.includes(name)) return;
  throw forbidden(`This server does not answer to "${name}"; add it to ALLOWED_HOSTS if that is its name.`);
}

/** Runs the guard for `access`; returns the principal (null only for "public"). */
export async function guard(ctx: Context, request: Request, access: Access): Promise<Principal | null> {
  checkHost(ctx, request);
  const principal = await authenticate(ctx, request.headers);
  checkSameSite(request, principal);
  if (access === "public") return principal;
  if (!principal) {
    if (!(await hasUsers(ctx)))
      throw unauthorized(
        "No account exists yet: open the app in a browser to create the admin account.",
        "setup_required",
      );
    throw unauthorized("Sign in first, or send an API token (Authorization: Bearer <token>).");
  }
  if (access !== "signed-in" && !can(principal.role, access)) throw forbidden(describePermission(access));
  return principal;
}

/** Set by the web server preload (lib/http/server-preload.mjs) from the socket; a client's own value is overwritten. */
const CLIENT_ADDRESS_HEADER = "x-moments-client-address";

/**
 * The client facts a new session records and the rate limiter keys on. The address is
 * the socket's; with TRUST_PROXY, the last X-Forwarded-For entry (the one the proxy
 * added; the ones before it are whatever the client sent).
 */
export function clientInfo(
  request: Request,
  config: Pick<Config, "trustProxy">,
): { userAgent: string | null; address: string | null } {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",").pop()?.trim();
  const socket = request.headers.get(CLIENT_ADDRESS_HEADER) || null;
  return {
    userAgent: request.headers.get("user-agent")?.slice(0, 300) ?? null,
    address: (config.trustProxy && forwarded) || socket,
  };
}

/** Whether the client reached us over https (directly or through a proxy): cookies get `Secure`. */
export function isHttps(request: Request): boolean {
  const proto = request.headers.get("x-forwarded-proto")?.split(",")[0].trim().toLowerCase();
  return proto ? proto === "https" : new URL(request.url).protocol === "https:";
}
