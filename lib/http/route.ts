/**
 * Route handlers are declared with the access they need; the guard runs before the
 * handler and every error leaves as JSON (lib/http/respond.ts).
 *
 *   export const GET = route("videos:read", async (request, { ctx, principal, params }) => …);
 */
import { getContext, type Context } from "../context";
import { guard, type Access, type Principal } from "../auth/guard";
import { handler } from "./respond";

export interface RouteArgs<P, Who> {
  ctx: Context;
  principal: Who;
  params: Promise<P>;
}

type Segment<P> = { params: Promise<P> };

export function route<P = Record<string, never>>(
  access: Exclude<Access, "public">,
  fn: (request: Request, args: RouteArgs<P, Principal>) => Promise<Response>,
): (request: Request, segment?: Segment<P>) => Promise<Response> {
  return handler(async (request: Request, segment?: Segment<P>) => {
    const ctx = getContext();
    const principal = (await guard(ctx, request, access))!;
    return fn(request, { ctx, principal, params: segment?.params ?? Promise.resolve({} as P) });
  });
}

/** For sign-in, first-run setup and the public health probe: anyone, signed in or not. */
export function publicRoute<P = Record<string, never>>(
  fn: (request: Request, args: RouteArgs<P, Principal | null>) => Promise<Response>,
): (request: Request, segment?: Segment<P>) => Promise<Response> {
  return handler(async (request: Request, segment?: Segment<P>) => {
    const ctx = getContext();
    const principal = await guard(ctx, request, "public");
    return fn(request, { ctx, principal, params: segment?.params ?? Promise.resolve({} as P) });
  });
}
