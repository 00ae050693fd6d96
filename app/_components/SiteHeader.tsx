import Link from "next/link";
import type { SessionUser } from "@/app/_lib/api";
import { can } from "@/lib/auth/roles";
import { LogoIcon } from "./icons";
import { NavLink } from "./NavLink";
import { SearchBox } from "./SearchBox";
import { UserMenu } from "./UserMenu";

/** Signed in: navigation the role can use, the search box and the account menu. Anonymous: the logo alone. */
export function SiteHeader({ user }: { user: SessionUser | null }) {
  return (
    <header className="sticky top-0 z-30 border-b border-zinc-800 bg-zinc-950/85 backdrop-blur supports-[backdrop-filter]:bg-zinc-950/70">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3 sm:flex-nowrap sm:px-6">
        <Link
          href="/"
          className="flex min-h-11 items-center gap-2 text-base font-semibold tracking-tight text-white sm:min-h-0"
        >
          <LogoIcon className="size-6 text-indigo-400" />
          Moments
        </Link>
        {user && (
          <>
            <nav aria-label="Main" className="flex flex-wrap items-center gap-1">
              <NavLink href="/" matches={["/videos/"]}>
                Library
              </NavLink>
              {can(user.role, "videos:upload") && <NavLink href="/upload">Upload</NavLink>}
              {can(user.role, "videos:annotate") && (
                <NavLink href="/review" matches={["/evaluation"]}>
                  Review
                </NavLink>
              )}
              {can(user.role, "videos:annotate") && <NavLink href="/datasets">Datasets</NavLink>}
              {can(user.role, "models:train") && (
                <NavLink href="/models" matches={["/models/"]}>
                  Models
                </NavLink>
              )}
            </nav>
            <div className="order-last w-full sm:order-none sm:ml-auto sm:max-w-sm">
              <SearchBox />
            </div>
            <div className="ml-auto sm:ml-0">
              <UserMenu user={user} />
            </div>
          </>
        )}
      </div>
    </header>
  );
}
