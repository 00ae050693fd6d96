import type { ReactNode } from "react";

interface DataTableProps {
  testId: string;
  /** what the table holds, for screen readers */
  caption: ReactNode;
  /** names the scrolling box as a region, so that the keyboard can reach and scroll it */
  label?: string;
  /** <colgroup>s, where the header groups its columns */
  colgroups?: ReactNode;
  /** the header's rows */
  head: ReactNode;
  /** the <tbody>s */
  children: ReactNode;
}

/** A table of the tool pages: in a bordered box that scrolls sideways on a narrow screen. */
export function DataTable({ testId, caption, label, colgroups, head, children }: DataTableProps) {
  const region = label ? ({ tabIndex: 0, role: "region", "aria-label": label } as const) : {};
  return (
    <div className="overflow-x-auto rounded-xl border border-zinc-800" {...region}>
      <table className="w-full text-sm" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        {colgroups}
        <thead className="bg-zinc-900/80 text-left text-xs text-zinc-400">{head}</thead>
        {children}
      </table>
    </div>
  );
}
