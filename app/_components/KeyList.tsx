/** A list of keyboard shortcuts: each key (or keys) beside what it does. */
export function KeyList({ keys }: { keys: readonly (readonly [keys: string, what: string])[] }) {
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
      {keys.map(([k, what]) => (
        <div key={k} className="contents">
          <dt>
            <kbd className="rounded bg-zinc-800 px-1.5 py-0.5 text-xs font-medium whitespace-nowrap text-zinc-200 ring-1 ring-zinc-700">
              {k}
            </kbd>
          </dt>
          <dd className="text-zinc-300">{what}</dd>
        </div>
      ))}
    </dl>
  );
}
