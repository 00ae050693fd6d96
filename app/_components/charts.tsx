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

/** What a chart says instead when there is nothing to draw yet. */
export function ChartEmpty({ testId, children }: { testId: string; children: ReactNode }) {
  return (
    <p
      className="rounded-xl border border-dashed border-zinc-800 px-4 py-8 text-center text-sm text-zinc-400"
      data-testid={testId}
    >
      {children}
    </p>
  );
}

/** A chart's numbers as a table, behind a disclosure; `children` is the <table>. */
export function ChartTable({ summary, label, children }: { summary: string; label: string; children: ReactNode }) {
  return (
    <details className="text-sm">
      <summary className="inline-flex min-h-11 cursor-pointer items-center text-xs font-medium text-indigo-300 hover:text-indigo-200 sm:min-h-0">
        {summary}
      </summary>
      <div className="mt-2 overflow-x-auto" tabIndex={0} role="region" aria-label={label}>
        {children}
      </div>
    </details>
  );
}
