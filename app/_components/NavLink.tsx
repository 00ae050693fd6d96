"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

interface NavLinkProps {
  href: string;
  children: ReactNode;
  /** also active on sub-paths (e.g. /videos/… counts as the library) */
  matches?: string[];
  /** a quiet, small link (e.g. Health) instead of a nav tab */
  small?: boolean;
}

export function NavLink({ href, children, matches = [], small = false }: NavLinkProps) {
  const pathname = usePathname();
  const active = pathname === href || matches.some((m) => pathname.startsWith(m));
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={
        small
          ? `text-xs transition ${active ? "text-zinc-200" : "text-zinc-400 hover:text-zinc-200"}`
          : `inline-flex min-h-11 items-center rounded-md px-3 py-1.5 text-sm font-medium transition sm:min-h-0 ${
              active ? "bg-zinc-800 text-white" : "text-zinc-400 hover:bg-zinc-800/60 hover:text-zinc-100"
            }`
      }
    >
      {children}
    </Link>
  );
}
