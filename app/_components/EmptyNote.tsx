import type { ReactNode } from "react";

/** What a list, table or chart says in its place while it has nothing to show. */
export function EmptyNote({ testId, children }: { testId: string; children: ReactNode }) {
  return (
    <p
      className="rounded-xl border border-dashed border-zinc-800 px-4 py-8 text-center text-sm text-zinc-400"
      data-testid={testId}
    >
      {children}
    </p>
  );
}
