"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { SessionUser } from "@/app/_lib/api";
import { can, type Permission, type Role } from "@/lib/auth/roles";

export interface SessionState {
  /** null: nobody is signed in (the sign-in and first-run pages) */
  user: SessionUser | null;
  role: Role | null;
}

const SessionContext = createContext<SessionState>({ user: null, role: null });

/**
 * Who is signed in, for client components: set once by the root layout from the
 * request's session. Only hides controls; the server checks every request itself.
 */
export function SessionProvider({ user, children }: { user: SessionUser | null; children: ReactNode }) {
  return <SessionContext.Provider value={{ user, role: user?.role ?? null }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  return useContext(SessionContext);
}

/** Whether the signed-in user's role holds `permission` (lib/auth/roles.ts, the server's own table). */
export function useCan(permission: Permission): boolean {
  return can(useSession().role, permission);
}

/** Renders its children only for a role that holds `permission`. */
export function Can({ permission, children }: { permission: Permission; children: ReactNode }) {
  return useCan(permission) ? <>{children}</> : null;
}
