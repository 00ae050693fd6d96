import type { ComponentProps, ReactNode } from "react";
import type { CartesianGrid, Tooltip, XAxis } from "recharts";

// Types only from recharts: the pages import this module for the placeholder while the
// charts themselves load on their own (next/dynamic), so recharts must not come with it.

/**
 * The series colours, one after another, each light enough for AA contrast on the dark
 * card: indigo, amber, emerald, sky, rose and fuchsia (Tailwind's 300).
 */
export const CHART_COLORS = ["#a5b4fc", "#fcd34d", "#6ee7b7", "#7dd3fc", "#fda4af", "#f0abfc"] as const;

/** The grid, axes and tooltip of every chart, in the zinc of the cards they sit on. */
export const GRID_PROPS = { stroke: "#3f3f46", strokeDasharray: "3 3" } satisfies ComponentProps<typeof CartesianGrid>;
export const AXIS_PROPS = { stroke: "#a1a1aa", tick: { fill: "#a1a1aa" } } satisfies ComponentProps<typeof XAxis>;
export const TOOLTIP_PROPS = {
  contentStyle: { background: "#18181b", border: "1px solid #3f3f46", borderRadius: 8, color: "#f4f4f5" },
  labelStyle: { color: "#f4f4f5", fontWeight: 600 },
} satisfies ComponentProps<typeof Tooltip>;

/** What stands in a chart's place while it loads (`className`: its height). */
export function ChartLoading({ className, label }: { className: string; label: string }) {
  return (
    <div
      className={`${className} animate-pulse rounded-xl bg-zinc-900`}
      role="status"
      aria-busy="true"
      aria-label={label}
    />
  );
}

interface ChartTableProps {
  /** the disclosure's text */
  summary: string;
  /** the scrolling region's name */
  label: string;
  /** the table's caption, for screen readers */
  caption: ReactNode;
  testId: string;
  /** the header of the row names' column */
  rowsHeader: string;
  /** the value columns; `mono`: their headers are identifiers (model versions) */
  columns: { key: string; label: ReactNode; mono?: boolean }[];
  /** a row: its name, then one cell per column */
  rows: { key: string; label: ReactNode; cells: ReactNode[] }[];
}

/** A chart's numbers as a table, behind a disclosure, so that they can be read without the drawing. */
export function ChartTable({ summary, label, caption, testId, rowsHeader, columns, rows }: ChartTableProps) {
  return (
    <details className="text-sm">
      <summary className="inline-flex min-h-11 cursor-pointer items-center text-xs font-medium text-indigo-300 hover:text-indigo-200 sm:min-h-0">
        {summary}
      </summary>
      <div className="mt-2 overflow-x-auto" tabIndex={0} role="region" aria-label={label}>
        <table className="w-full text-xs" data-testid={testId}>
          <caption className="sr-only">{caption}</caption>
          <thead className="text-left text-zinc-400">
            <tr>
              <th scope="col" className="px-2 py-1 font-medium">
                {rowsHeader}
              </th>
              {columns.map((c) => (
                <th
                  key={c.key}
                  scope="col"
                  className={`px-2 py-1 text-right ${c.mono ? "font-mono font-normal" : "font-medium"}`}
                >
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-800">
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row" className="px-2 py-1 text-left font-normal tabular-nums text-zinc-300">
                  {r.label}
                </th>
                {r.cells.map((cell, i) => (
                  <td key={columns[i]?.key ?? i} className="px-2 py-1 text-right tabular-nums text-zinc-200">
                    {cell}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
