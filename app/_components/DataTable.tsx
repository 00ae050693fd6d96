import type { ReactNode } from "react";

/** A header cell: its text, or its content (with a key) and whether it heads numbers, which are right-aligned. */
export type Column = string | { key: string; label: ReactNode; numeric?: boolean };

/** One header row of plain cells. */
function HeadRow({ columns }: { columns: Column[] }) {
  return (
    <tr>
      {columns.map((c) => {
        const { key, label, numeric } = typeof c === "string" ? { key: c, label: c, numeric: false } : c;
        return (
          <th key={key} scope="col" className={numeric ? "px-4 py-2 text-right font-medium" : "px-4 py-2 font-medium"}>
            {label}
          </th>
        );
      })}
    </tr>
  );
}

interface DataTableProps {
  testId: string;
  /** what the table holds, for screen readers */
  caption: ReactNode;
  /** names the scrolling box as a region, so that the keyboard can reach and scroll it */
  label?: string;
  /** <colgroup>s, where the header groups its columns */
  colgroups?: ReactNode;
  /** the header's cells (one row of plain cells)… */
  columns?: Column[];
  /** …or its rows, where it needs more */
  head?: ReactNode;
  /** the <tbody>s */
  children: ReactNode;
  /** a note under the table, inside its box */
  footer?: ReactNode;
}

/** A table of the tool pages: in a bordered box that scrolls sideways on a narrow screen. */
export function DataTable({ testId, caption, label, colgroups, columns, head, children, footer }: DataTableProps) {
  const region = label ? ({ tabIndex: 0, role: "region", "aria-label": label } as const) : {};
  return (
    <div className="overflow-x-auto rounded-xl border border-zinc-800" {...region}>
      <table className="w-full text-sm" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        {colgroups}
        <thead className="bg-zinc-900/80 text-left text-xs text-zinc-400">
          {columns ? <HeadRow columns={columns} /> : head}
        </thead>
        {children}
      </table>
      {footer}
    </div>
  );
}
