import Link from "next/link";
import type { ReactNode } from "react";
import { pageAccess } from "@/lib/auth/page";
import { PERMISSIONS, ROLE_LABELS, ROLES, type Permission, type Role } from "@/lib/auth/roles";
import { LockIcon } from "./icons";

interface GuardedProps {
  /** what the page needs: a permission from the role table, or just being signed in */
  permission: Permission | "signed-in";
  /** this page's own URL (with its query), where signing in returns to */
  path: string;
  children: ReactNode;
}

/**
 * The guard every page goes through (lib/auth/page.ts): no account yet → /setup,
 * anonymous → /login?next=<path>, signed in without the permission → a notice saying
 * which role the page needs. Hiding controls is for convenience; this and the API are
 * what enforce it.
 */
export async function Guarded({ permission, path, children }: GuardedProps) {
  const access = await pageAccess(permission, path);
  if (!access.allowed) return <NotAllowed permission={access.permission} role={access.principal.role} />;
  return <>{children}</>;
}

export function NotAllowed({ permission, role }: { permission: Permission; role: Role }) {
  const needed: Role = PERMISSIONS[permission];
  const top = needed === ROLES[ROLES.length - 1];
  return (
    <div className="flex flex-col items-center py-24 text-center" data-testid="not-allowed" data-needed-role={needed}>
      <LockIcon className="size-12 text-zinc-500" />
      <h1 className="mt-4 text-2xl font-semibold">Not allowed</h1>
      <p className="mt-2 max-w-md text-sm text-zinc-400">
        This page needs the <strong className="font-medium text-zinc-200">{ROLE_LABELS[needed]}</strong> role
        {top ? "" : " or higher"}. You are signed in as{" "}
        <strong className="font-medium text-zinc-200">{ROLE_LABELS[role]}</strong>; an admin can change your role.
      </p>
      <Link href="/" className="mt-6 text-sm font-medium text-indigo-300 hover:text-indigo-200">
        Back to the library
      </Link>
    </div>
  );
}
