/**
 * The guard for pages (server components): the same authentication as the API, read
 * from the request's cookie. No account yet → the first-run page; anonymous → sign-in
 * (back to `path` after); signed in without the permission → the caller shows a
 * "not allowed" notice.
 */
import { cookies } from "next/headers";
import { cache } from "react";
import { redirect } from "next/navigation";
import { getContext } from "../context";
import { hasUsers } from "./accounts";
import { authenticate, type Principal } from "./guard";
import { safeNext } from "./next-path";
import { can, type Permission } from "./roles";
import { SESSION_COOKIE } from "./sessions";

/** The signed-in user of this page request, or null. Never redirects. Once per request (the layout and the page both ask). */
export const currentPrincipal = cache(async (): Promise<Principal | null> => {
  const jar = await cookies();
  const secret = jar.get(SESSION_COOKIE)?.value;
  if (!secret) return null;
  const h = new Headers({ cookie: `${SESSION_COOKIE}=${secret}` });
  return authenticate(getContext(), h).catch(() => null);
});

export type PageAccess =
  { allowed: true; principal: Principal } | { allowed: false; principal: Principal; permission: Permission };

/** `path`: where sign-in should return to (the page's own URL). */
export async function pageAccess(permission: Permission | "signed-in", path: string): Promise<PageAccess> {
  const ctx = getContext();
  if (!(await hasUsers(ctx))) redirect("/setup");
  const principal = await currentPrincipal();
  if (!principal) redirect(`/login?next=${encodeURIComponent(safeNext(path))}`);
  if (permission !== "signed-in" && !can(principal.role, permission)) return { allowed: false, principal, permission };
  return { allowed: true, principal };
}

export { safeNext };

/** For /login and /setup: where someone already signed in (or already set up) belongs. */
export async function entryState(): Promise<{ hasUsers: boolean; principal: Principal | null }> {
  return { hasUsers: await hasUsers(getContext()), principal: await currentPrincipal() };
}
