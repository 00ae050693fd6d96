import type { ReactNode } from "react";
import { LogoIcon } from "./icons";

/** The frame of the sign-in and first-run pages: a centred card under the bare header. */
export function AuthCard({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  return (
    <div className="mx-auto max-w-sm py-8 sm:py-16">
      <div className="rounded-2xl border border-zinc-800 bg-zinc-900/60 p-6 shadow-xl sm:p-8">
        <LogoIcon className="size-8 text-indigo-400" />
        <h1 className="mt-4 text-xl font-semibold tracking-tight">{title}</h1>
        {intro && <div className="mt-1 text-sm text-zinc-400">{intro}</div>}
        <div className="mt-6">{children}</div>
      </div>
    </div>
  );
}
