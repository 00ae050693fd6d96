/** Route-handler helpers: every error leaves as `{ error: { code, message } }`. */
import { isDatabaseUnavailable } from "@/db/pool";
import { AppError, errorBody } from "../errors";

export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });
}

export function errorResponse(err: unknown): Response {
  if (err instanceof AppError) return json(errorBody(err), err.status);
  if (isDatabaseUnavailable(err)) {
    console.error("[api] database unavailable:", (err as Error).message);
    return json(
      { error: { code: "unavailable", message: "The database cannot be reached right now; try again in a moment." } },
      503,
      { "retry-after": "5" },
    );
  }
  console.error("[api] unexpected error:", err);
  return json(
    { error: { code: "internal_error", message: "Something went wrong on the server; the error was logged." } },
    500,
  );
}

/** Wraps a route handler so that thrown errors become JSON responses, never crashes. */
export function handler<A extends unknown[]>(fn: (...args: A) => Promise<Response>): (...args: A) => Promise<Response> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (err) {
      return errorResponse(err);
    }
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(s: string): boolean {
  return UUID.test(s);
}
