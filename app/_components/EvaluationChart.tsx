"use client";

import { useId, useMemo, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { SCORE_METRICS, type ScoreMetric, type TimelinePoint } from "@/app/_lib/api";
import { AXIS_PROPS, CHART_COLORS, ChartTable, GRID_PROPS, TOOLTIP_PROPS } from "./charts";
import { EmptyNote } from "./EmptyNote";

/**
 * Each series differs in three ways, so no one has to tell lines apart by colour alone:
 * colour, dash pattern and point symbol (all three also in the legend).
 */
const SERIES = [
  { color: CHART_COLORS[0], dash: undefined, symbol: "circle" },
  { color: CHART_COLORS[1], dash: "8 4", symbol: "square" },
  { color: CHART_COLORS[2], dash: "2 4", symbol: "diamond" },
  { color: CHART_COLORS[3], dash: "12 4 2 4", symbol: "triangle" },
  { color: CHART_COLORS[4], dash: "4 2", symbol: "star" },
  { color: CHART_COLORS[5], dash: "1 3", symbol: "cross" },
] as const;

const METRIC_LABELS: Record<ScoreMetric, string> = {
  "R1@0.3": "R1@0.3",
  "R1@0.5": "R1@0.5",
  "R1@0.7": "R1@0.7",
  mIoU: "mIoU",
};

const METRIC_MEANING: Record<ScoreMetric, string> = {
  "R1@0.3": "the share of spans the model's first span overlaps with an IoU of at least 0.3",
  "R1@0.5": "the share of spans the model's first span overlaps with an IoU of at least 0.5",
  "R1@0.7": "the share of spans the model's first span overlaps with an IoU of at least 0.7",
  mIoU: "the mean IoU of the model's span with the annotators' span",
};

interface Row {
  day: string;
  /** per model version: the score up to that day (carried forward on days without decisions for it) */
  values: Record<string, number | null>;
  counts: Record<string, number | null>;
}

const percent = (x: number) => `${x.toFixed(1)}%`;

/** The days, oldest first, with every version's cumulative score on each (null before its first decision). */
export function chartRows(timeline: TimelinePoint[], metric: ScoreMetric): { versions: string[]; rows: Row[] } {
  const versions = [...new Set(timeline.map((p) => p.modelVersion))].sort((a, b) => a.localeCompare(b));
  const days = [...new Set(timeline.map((p) => p.day))].sort();
  const at = new Map(timeline.map((p) => [`${p.day}\n${p.modelVersion}`, p]));
  const last: Record<string, TimelinePoint | null> = Object.fromEntries(versions.map((v) => [v, null]));
  const rows = days.map((day) => {
    const row: Row = { day, values: {}, counts: {} };
    for (const v of versions) {
      const p = at.get(`${day}\n${v}`) ?? last[v];
      last[v] = p;
      row.values[v] = p ? p[metric] : null;
      row.counts[v] = p ? p.count : null;
    }
    return row;
  });
  return { versions, rows };
}

/**
 * R1@0.3/0.5/0.7 or mIoU per model version over time (recharts): one metric at a time,
 * a line per model version, each day's value cumulative up to that day. The caption says
 * what is drawn, a summary gives the latest values in words and the numbers are there as
 * a table too.
 */
export function EvaluationChart({ timeline }: { timeline: TimelinePoint[] }) {
  const id = useId();
  const [metric, setMetric] = useState<ScoreMetric>("R1@0.5");
  const { versions, rows } = useMemo(() => chartRows(timeline, metric), [timeline, metric]);

  if (rows.length === 0) {
    return <EmptyNote testId="evaluation-chart-empty">No decisions to plot yet.</EmptyNote>;
  }

  const latest = rows[rows.length - 1];
  const summary = versions
    .map(
      (v) =>
        `${v}: ${latest.values[v] == null ? "no spans" : `${percent(latest.values[v])} over ${latest.counts[v]} span${latest.counts[v] === 1 ? "" : "s"}`}`,
    )
    .join("; ");

  return (
    <figure
      aria-labelledby={`${id}-caption`}
      aria-describedby={`${id}-summary`}
      className="space-y-3 rounded-xl border border-zinc-800 bg-zinc-900/60 p-4"
      data-testid="evaluation-chart"
      data-metric={metric}
      data-series={versions.length}
      data-days={rows.length}
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <figcaption id={`${id}-caption`} className="max-w-xl text-sm text-zinc-300">
          <span className="font-medium text-zinc-100">{METRIC_LABELS[metric]} over time, per model version</span>{" "}
          <span className="text-zinc-400">
            ({METRIC_MEANING[metric]}, in percent; each day counts every decision up to its end, UTC)
          </span>
        </figcaption>
        <fieldset className="flex flex-wrap gap-1">
          <legend className="sr-only">Metric to plot</legend>
          {SCORE_METRICS.map((m) => (
            <label
              key={m}
              className="cursor-pointer rounded-md px-2.5 py-1 text-xs font-medium text-zinc-300 ring-1 ring-zinc-700 hover:bg-zinc-800 has-[:checked]:bg-indigo-500/20 has-[:checked]:text-indigo-100 has-[:checked]:ring-indigo-400/70 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-indigo-400"
            >
              <input
                type="radio"
                name={`${id}-metric`}
                value={m}
                checked={metric === m}
                onChange={() => setMetric(m)}
                className="sr-only"
                data-testid={`evaluation-chart-metric-${m}`}
              />
              {METRIC_LABELS[m]}
            </label>
          ))}
        </fieldset>
      </div>

      <div className="h-72 w-full text-xs" data-testid="evaluation-chart-plot">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart
            data={rows}
            margin={{ top: 8, right: 16, bottom: 4, left: 0 }}
            desc={`${METRIC_LABELS[metric]} per model version per day. ${summary}`}
          >
            <CartesianGrid {...GRID_PROPS} />
            <XAxis dataKey="day" {...AXIS_PROPS} tickMargin={6} />
            <YAxis
              domain={[0, 100]}
              ticks={[0, 25, 50, 75, 100]}
              tickFormatter={(v: number) => `${v}%`}
              {...AXIS_PROPS}
              width={48}
            />
            <Tooltip
              {...TOOLTIP_PROPS}
              formatter={(value) => (typeof value === "number" ? percent(value) : String(value))}
            />
            <Legend wrapperStyle={{ color: "#d4d4d8", paddingTop: 8 }} />
            {versions.map((v, i) => {
              const s = SERIES[i % SERIES.length];
              return (
                <Line
                  key={v}
                  name={v}
                  dataKey={(row: Row) => row.values[v]}
                  type="linear"
                  stroke={s.color}
                  strokeWidth={2}
                  strokeDasharray={s.dash}
                  dot={{ symbol: s.symbol, r: 5, fill: s.color, stroke: s.color }}
                  activeDot={{ r: 6 }}
                  legendType={s.symbol}
                  connectNulls
                  isAnimationActive={false}
                />
              );
            })}
          </LineChart>
        </ResponsiveContainer>
      </div>

      <p id={`${id}-summary`} className="text-xs text-zinc-400" data-testid="evaluation-chart-summary">
        Latest ({latest.day}): {summary}.
      </p>
      <ChartTable
        summary="Show the plotted numbers as a table"
        label="The plotted numbers"
        caption={`${METRIC_LABELS[metric]} in percent per day (cumulative) and model version`}
        testId="evaluation-chart-table"
        rowsHeader="Day (UTC)"
        columns={versions.map((v) => ({ key: v, label: v, mono: true }))}
        rows={rows.map((r) => ({
          key: r.day,
          label: r.day,
          cells: versions.map((v) => (r.values[v] == null ? "—" : `${percent(r.values[v])} (${r.counts[v]})`)),
        }))}
      />
    </figure>
  );
}
