import Link from "next/link";
import type { ReactNode } from "react";
import type { Permission } from "@/lib/auth/roles";
import { Guarded } from "./Guarded";

interface PageShellProps {
  /** the page's h1 */
  title: string;
  /** what the page is for, under the title */
  description: ReactNode;
  /** what the page needs (see Guarded) */
  permission: Permission | "signed-in";
  /** this page's own URL, where signing in returns to */
  path: string;
  /** the page column: its width and the space between its sections */
  className: string;
  /** links to related pages, beside the title */
  links?: { href: string; label: string }[];
  children: ReactNode;
}

/**
 * The frame of a tool page (models, datasets, review, evaluation, users, upload, settings,
 * health): the guard, then the title with what the page is for, and the related pages
 * beside it where there are any.
 */
export function PageShell({ title, description, permission, path, className, links, children }: PageShellProps) {
  const heading = (
    <div>
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      <p className={links?.length ? "mt-1 max-w-2xl text-sm text-zinc-400" : "mt-1 text-sm text-zinc-400"}>
        {description}
      </p>
    </div>
  );
  return (
    <Guarded permission={permission} path={path}>
      <div className={className}>
        {links?.length ? (
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            {heading}
            <div className="flex gap-4 text-sm font-medium">
              {links.map((l) => (
                <Link key={l.href} href={l.href} className="text-indigo-300 hover:text-indigo-200">
                  {l.label}
                </Link>
              ))}
            </div>
          </div>
        ) : (
          heading
        )}
        {children}
      </div>
    </Guarded>
  );
}
