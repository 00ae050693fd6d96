/**
 * Methods a route does not implement answer 405 with an `Allow` header naming the ones it
 * does (RFC 9110 §15.5.6). Next.js answers such methods itself, but without `Allow`, and
 * its automatic OPTIONS lists every method a route file exports, so each route file
 * exports the others from here:
 *
 *   export const GET = route(…);
 *   export const { POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods("GET");
 *
 * TRACE never reaches a route (the fetch Request that Next builds refuses it); the web
 * server's preload (lib/http/server-preload.mjs) answers it.
 */
import { json } from "./respond";

export const ROUTE_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];
type Handler = (request: Request) => Promise<Response>;

/** Marks the handlers made here, so that tools enumerating a route's methods can skip them. */
export const NOT_ALLOWED = Symbol.for("moments.methodNotAllowed");

/** The `Allow` value for a route implementing `methods` (HEAD with GET, and OPTIONS, implied). */
export function allowHeader(methods: readonly RouteMethod[]): string {
  const set = new Set<string>([...methods, "OPTIONS"]);
  if (set.has("GET")) set.add("HEAD");
  return ROUTE_METHODS.filter((m) => set.has(m)).join(", ");
}

/** Whether `fn` is one of the 405 (or OPTIONS) handlers made by `onlyMethods`. */
export function isNotAllowedHandler(fn: unknown): boolean {
  return typeof fn === "function" && (fn as unknown as Record<symbol, unknown>)[NOT_ALLOWED] === true;
}

/**
 * Handlers for every method except `methods`: 405 + Allow, and OPTIONS → 204 + Allow.
 * They answer before authentication: which methods exist is no secret.
 */
export function onlyMethods(...methods: RouteMethod[]): Record<RouteMethod, Handler> {
  const allow = allowHeader(methods);
  const out = {} as Record<RouteMethod, Handler>;
  for (const m of ROUTE_METHODS) {
    const fn: Handler =
      m === "OPTIONS"
        ? async () => new Response(null, { status: 204, headers: { allow } })
        : async (request) =>
            json(
              {
                error: {
                  code: "method_not_allowed",
                  message: `${request.method} is not supported here; use ${allow}.`,
                },
              },
              405,
              { allow },
            );
    Object.defineProperty(fn, NOT_ALLOWED, { value: true });
    out[m] = fn;
  }
  return out;
}
