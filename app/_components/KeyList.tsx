import type { ReactNode } from "react";

/** A list of keyboard shortcuts: each key (or keys) beside what it does, with a note under it where `notes` has one. */
export function KeyList({
  keys,
  notes = {},
  testId,
}: {
  keys: readonly (readonly [keys: string, what: string])[];
  notes?: Partial<Record<string, ReactNode>>;
  testId?: string;
}) {
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm" data-testid={testId}>
      {keys.map(([k, what]) => (
        <div key={k} className="contents">
          <dt>
            <kbd className="rounded bg-zinc-800 px-1.5 py-0.5 text-xs font-medium whitespace-nowrap text-zinc-200 ring-1 ring-zinc-700">
              {k}
            </kbd>
          </dt>
          <dd className="text-zinc-300">
            {what}
            {notes[k] && <span className="block text-xs text-zinc-400">{notes[k]}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}
