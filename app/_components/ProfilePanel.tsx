"use client";

import { ROLE_DESCRIPTIONS } from "@/lib/auth/roles";
import { CARD, DANGER_BUTTON } from "./forms";
import { RoleBadge } from "./RoleBadge";
import { useSession } from "./SessionProvider";
import { SignOutButton } from "./SignOutButton";

export function ProfilePanel() {
  const { user } = useSession();
  if (!user) return null;
  return (
    <section aria-labelledby="profile-heading" className={CARD} data-testid="profile">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <h2 id="profile-heading" className="text-lg font-semibold">
          Profile
        </h2>
        <div className="flex flex-col items-end">
          <SignOutButton className={DANGER_BUTTON} testId="settings-sign-out" />
        </div>
      </div>
      <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
        <dt className="text-zinc-400">Email</dt>
        <dd className="min-w-0 break-all text-zinc-200" data-testid="profile-email">
          {user.email}
        </dd>
        {user.name && (
          <>
            <dt className="text-zinc-400">Name</dt>
            <dd className="min-w-0 break-words text-zinc-200">{user.name}</dd>
          </>
        )}
        <dt className="text-zinc-400">Role</dt>
        <dd className="flex flex-wrap items-center gap-2 text-zinc-300">
          <RoleBadge role={user.role} />
          <span className="text-xs text-zinc-400">{ROLE_DESCRIPTIONS[user.role]}</span>
        </dd>
      </dl>
      <p className="mt-4 text-xs text-zinc-400">Only an admin can change your email, name or role.</p>
    </section>
  );
}
