"use client";

import { useId, useMemo } from "react";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { CurvePoint } from "@/app/_lib/models-api";
import { curveSeries, formatLoss, type CurveSeries } from "@/app/_lib/models-format";

/** One colour per component, light enough for AA contrast on the dark card. */
const COLORS: Record<string, string> = {
  relevance: "#a5b4fc", // indigo-300
  cpl: "#fcd34d", // amber-300
  locvtp: "#6ee7b7", // emerald-300
};
const FALLBACK = ["#7dd3fc", "#fda4af", "#f0abfc"];

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
      <p
        className="rounded-xl border border-dashed border-zinc-800 px-4 py-8 text-center text-sm text-zinc-400"
        data-testid="loss-curve-empty"
      >
        {live
          ? "The first loss values appear once training has taken its first steps."
          : "No loss values were recorded."}
      </p>
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
                    <CartesianGrid stroke="#3f3f46" strokeDasharray="3 3" />
                    <XAxis
                      dataKey="step"
                      type="number"
                      domain={["dataMin", "dataMax"]}
                      stroke="#a1a1aa"
                      tick={{ fill: "#a1a1aa" }}
                      tickMargin={6}
                      allowDecimals={false}
                    />
                    <YAxis
                      domain={["auto", "auto"]}
                      tickFormatter={(v: number) => formatLoss(v)}
                      stroke="#a1a1aa"
                      tick={{ fill: "#a1a1aa" }}
                      width={52}
                    />
                    <Tooltip
                      contentStyle={{
                        background: "#18181b",
                        border: "1px solid #3f3f46",
                        borderRadius: 8,
                        color: "#f4f4f5",
                      }}
                      labelStyle={{ color: "#f4f4f5", fontWeight: 600 }}
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
      <details className="text-sm">
        <summary className="inline-flex min-h-11 cursor-pointer items-center text-xs font-medium text-indigo-300 hover:text-indigo-200 sm:min-h-0">
          Show the losses as a table
        </summary>
        <div className="mt-2 overflow-x-auto" tabIndex={0} role="region" aria-label="Training losses (table)">
          <table className="w-full text-xs" data-testid="loss-curve-table">
            <caption className="sr-only">First, latest and lowest training loss per model, and the steps taken</caption>
            <thead className="text-left text-zinc-400">
              <tr>
                <th scope="col" className="px-2 py-1 font-medium">
                  Model
                </th>
                <th scope="col" className="px-2 py-1 text-right font-medium">
                  Steps
                </th>
                <th scope="col" className="px-2 py-1 text-right font-medium">
                  First loss
                </th>
                <th scope="col" className="px-2 py-1 text-right font-medium">
                  Latest loss
                </th>
                <th scope="col" className="px-2 py-1 text-right font-medium">
                  Lowest loss
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-800">
              {series.map((s) => (
                <tr key={s.model}>
                  <th scope="row" className="px-2 py-1 text-left font-normal text-zinc-300">
                    {s.label}
                  </th>
                  <td className="px-2 py-1 text-right tabular-nums text-zinc-200">
                    {s.points[s.points.length - 1].step.toLocaleString("en")}
                  </td>
                  <td className="px-2 py-1 text-right tabular-nums text-zinc-200">{formatLoss(s.first)}</td>
                  <td className="px-2 py-1 text-right tabular-nums text-zinc-200">{formatLoss(s.latest)}</td>
                  <td className="px-2 py-1 text-right tabular-nums text-zinc-200">{formatLoss(s.lowest)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
