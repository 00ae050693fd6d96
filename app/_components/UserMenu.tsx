"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import type { SessionUser } from "@/app/_lib/api";
import { can } from "@/lib/auth/roles";
import { ChevronDownIcon, UserIcon } from "./icons";
import { RoleBadge } from "./RoleBadge";
import { SignOutButton } from "./SignOutButton";

const ITEM =
  "block w-full px-3 py-3 text-left text-sm text-zinc-200 hover:bg-zinc-800 focus:bg-zinc-800 disabled:opacity-60 sm:py-2";

/**
 * Who is signed in (name or email, role) and a disclosure with their links: Settings,
 * Users and Health for admins, Sign out. Escape, a click elsewhere or tabbing out closes it.
 */
export function UserMenu({ user }: { user: SessionUser }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const pathname = usePathname();

  // following one of its links closes it
  const [seenPath, setSeenPath] = useState(pathname);
  if (seenPath !== pathname) {
    setSeenPath(pathname);
    setOpen(false);
  }

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    document.addEventListener("pointerdown", onPointerDown);
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown);
      document.removeEventListener("keydown", onKeyDown);
    };
  }, [open]);

  const shown = user.name || user.email;
  const admin = can(user.role, "users:manage");

  return (
    <div
      ref={rootRef}
      className="relative"
      onBlur={(e) => {
        // tabbing out of the menu closes it
        if (open && e.relatedTarget instanceof Node && !e.currentTarget.contains(e.relatedTarget)) setOpen(false);
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        data-testid="user-menu-button"
        onClick={() => setOpen((o) => !o)}
        className="flex min-h-11 max-w-[16rem] items-center gap-2 rounded-lg px-2 py-1.5 text-sm text-zinc-300 hover:bg-zinc-800/60 hover:text-zinc-100 sm:min-h-0"
      >
        <UserIcon className="size-4 shrink-0 text-zinc-500" />
        <span className="sr-only">Account menu: signed in as</span>
        <span className="truncate" data-testid="signed-in-as" title={user.email}>
          {shown}
        </span>
        <RoleBadge role={user.role} />
        <ChevronDownIcon className={`size-4 shrink-0 text-zinc-500 transition ${open ? "rotate-180" : ""}`} />
      </button>
      <div
        id={panelId}
        hidden={!open}
        className="absolute right-0 z-40 mt-1 w-56 overflow-hidden rounded-lg border border-zinc-700 bg-zinc-900 py-1 shadow-xl"
      >
        <div className="border-b border-zinc-800 px-3 pt-1 pb-2 text-xs text-zinc-400">
          <p className="truncate text-zinc-200">{user.name || "Signed in as"}</p>
          <p className="truncate">{user.email}</p>
        </div>
        <nav aria-label="Account">
          <ul>
            <li>
              <Link href="/settings" className={ITEM}>
                Settings
              </Link>
            </li>
            {admin && (
              <>
                <li>
                  <Link href="/admin/users" className={ITEM}>
                    Users
                  </Link>
                </li>
                <li>
                  <Link href="/health" className={ITEM}>
                    Health
                  </Link>
                </li>
              </>
            )}
          </ul>
        </nav>
        <div className="border-t border-zinc-800 pt-1">
          <SignOutButton className={`${ITEM} text-rose-300`} />
        </div>
      </div>
    </div>
  );
}
