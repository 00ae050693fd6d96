"use client";

import { useId, useMemo } from "react";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { CurvePoint } from "@/app/_lib/models-api";
import { curveSeries, formatLoss, type CurveSeries } from "@/app/_lib/models-format";
import { AXIS_PROPS, CHART_COLORS, ChartTable, GRID_PROPS, TOOLTIP_PROPS } from "./charts";
import { EmptyNote } from "./EmptyNote";

/** One colour per component; any other takes one of the rest. */
const COLORS: Record<string, string> = { relevance: CHART_COLORS[0], cpl: CHART_COLORS[1], locvtp: CHART_COLORS[2] };
const FALLBACK = CHART_COLORS.slice(3);

const LOSS_COLUMNS = ["Steps", "First loss", "Latest loss", "Lowest loss"].map((label) => ({ key: label, label }));

function summaryOf(s: CurveSeries): string {
  const steps = s.points[s.points.length - 1].step;
  return `${s.label}: loss ${formatLoss(s.first)} at the start, ${formatLoss(s.latest)} at step ${steps.toLocaleString("en")} (lowest ${formatLoss(s.lowest)})`;
}

/**
 * The training loss per component (recharts), one small chart each since their losses are
 * on different scales; drawn without animation, as it grows with every poll. A summary
 * says the numbers in words, and a table gives them too.
 */
export function LossCurve({ curve, live }: { curve: CurvePoint[]; live: boolean }) {
  const id = useId();
  const series = useMemo(() => curveSeries(curve), [curve]);

  if (series.length === 0) {
    return (
      <EmptyNote testId="loss-curve-empty">
        {live
          ? "The first loss values appear once training has taken its first steps."
          : "No loss values were recorded."}
      </EmptyNote>
    );
  }

  return (
    <div className="space-y-4" data-testid="loss-curve" data-series={series.length} data-points={curve.length}>
      <div className="grid gap-4 lg:grid-cols-2">
        {series.map((s, i) => {
          const color = COLORS[s.model] ?? FALLBACK[i % FALLBACK.length];
          const summary = summaryOf(s);
          return (
            <figure
              key={s.model}
              aria-labelledby={`${id}-${s.model}-caption`}
              aria-describedby={`${id}-${s.model}-summary`}
              className="space-y-2 rounded-xl border border-zinc-800 bg-zinc-900/60 p-4"
              data-testid="loss-curve-series"
              data-model={s.model}
              data-points={s.points.length}
              data-latest={s.latest}
            >
              <figcaption id={`${id}-${s.model}-caption`} className="text-sm text-zinc-300">
                <span className="font-medium text-zinc-100">{s.label}</span>{" "}
                <span className="text-zinc-400">training loss by step</span>
              </figcaption>
              <div className="h-48 w-full text-xs">
                <ResponsiveContainer width="100%" height="100%">
                  <LineChart
                    data={s.points}
                    margin={{ top: 8, right: 12, bottom: 4, left: 0 }}
                    desc={`Training loss of the ${s.label} by step. ${summary}.`}
                  >
                    <CartesianGrid {...GRID_PROPS} />
                    <XAxis
                      dataKey="step"
                      type="number"
                      domain={["dataMin", "dataMax"]}
                      {...AXIS_PROPS}
                      tickMargin={6}
                      allowDecimals={false}
                    />
                    <YAxis
                      domain={["auto", "auto"]}
                      tickFormatter={(v: number) => formatLoss(v)}
                      {...AXIS_PROPS}
                      width={52}
                    />
                    <Tooltip
                      {...TOOLTIP_PROPS}
                      labelFormatter={(step) => `Step ${String(step)}`}
                      formatter={(value) => [typeof value === "number" ? formatLoss(value) : String(value), "loss"]}
                    />
                    <Line
                      dataKey="loss"
                      type="linear"
                      stroke={color}
                      strokeWidth={2}
                      dot={s.points.length <= 40 ? { r: 2.5, fill: color, stroke: color } : false}
                      activeDot={{ r: 4 }}
                      isAnimationActive={false}
                    />
                  </LineChart>
                </ResponsiveContainer>
              </div>
              <p id={`${id}-${s.model}-summary`} className="text-xs text-zinc-400" data-testid="loss-curve-summary">
                {summary}.
              </p>
            </figure>
          );
        })}
      </div>
      <ChartTable
        summary="Show the losses as a table"
        label="Training losses (table)"
        caption="First, latest and lowest training loss per model, and the steps taken"
        testId="loss-curve-table"
        rowsHeader="Model"
        columns={LOSS_COLUMNS}
        rows={series.map((s) => ({
          key: s.model,
          label: s.label,
          cells: [
            s.points[s.points.length - 1].step.toLocaleString("en"),
            formatLoss(s.first),
            formatLoss(s.latest),
            formatLoss(s.lowest),
          ],
        }))}
      />
    </div>
  );
}
