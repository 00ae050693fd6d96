import {
  calibrationWords,
  deltaTone,
  deltaWords,
  formatDelta,
  formatMetric,
  metricDelta,
  METRICS,
  parseMetrics,
  SPLITS,
  type Comparison,
  type MetricKey,
  type MetricSet,
  type SplitKey,
} from "@/app/_lib/models-format";
import { DataTable } from "./DataTable";

const TONES = { better: "text-emerald-300", worse: "text-rose-300", same: "text-zinc-400" } as const;

export const TH = "px-3 py-2 font-medium";
export const TD_NUM = "px-3 py-2 text-right align-top tabular-nums";

/**
 * One metric of one version, in percent, with the compared version's number and the
 * difference under it ("v1 43.0% +2.2"): signed, so better and worse read without colour;
 * in words for screen readers.
 */
export function MetricCell({
  split,
  metric,
  set,
  comparison,
}: {
  split: SplitKey;
  metric: MetricKey;
  set: MetricSet | null;
  comparison: Comparison | null;
}) {
  const value = set?.values[metric] ?? null;
  const other = comparison?.[split]?.values[metric] ?? null;
  const delta = metricDelta(value, other);
  const tone = deltaTone(delta);
  const compared = comparison !== null && (other !== null || value !== null);
  return (
    <td
      className={TD_NUM}
      data-testid={`metric-${split}-${metric}`}
      data-value={value ?? ""}
      data-compared={other ?? ""}
      data-compared-version={comparison?.version}
      data-delta={delta ?? ""}
    >
      <span className="block text-zinc-100">
        {value === null ? (
          <>
            <span aria-hidden="true">—</span>
            <span className="sr-only">not measured</span>
          </>
        ) : (
          formatMetric(value)
        )}
      </span>
      {compared && comparison && (
        <>
          <span className="block text-xs whitespace-nowrap text-zinc-400" aria-hidden="true">
            v{comparison.version} {formatMetric(other)}
            {delta !== null && <span className={`ml-1 font-medium ${TONES[tone]}`}>{formatDelta(delta)}</span>}
          </span>
          <span className="sr-only">; {deltaWords(delta, comparison.version, other)}</span>
        </>
      )}
    </td>
  );
}

/** "Compared with version 1, measured in the same evaluation" / "…version 1's own evaluation". */
export function comparisonNote(c: Comparison | null): string {
  if (!c) return "No other version's numbers to compare with.";
  return c.sameRun
    ? `Under each number: version ${c.version}'s, measured in the same evaluation, and the difference in points.`
    : `Under each number: the active version ${c.version}'s own evaluation, and the difference in points.`;
}

/** A version's evaluation: one row per split (annotated spans, held-out sentences), with the comparison under each number. */
export function VersionMetricsTable({ metrics, comparison }: { metrics: unknown; comparison: Comparison | null }) {
  const parsed = parseMetrics(metrics);
  const calibration = calibrationWords(metrics);
  return (
    <DataTable
      testId="version-metrics"
      label="Evaluation (table)"
      footer={
        calibration && (
          <p className="border-t border-zinc-800 px-3 py-2 text-xs text-zinc-400" data-testid="version-calibration">
            {calibration}
          </p>
        )
      }
      caption={
        <>
          Recall at 1 for IoU 0.3, 0.5 and 0.7, and mean IoU, in percent, on the library&rsquo;s annotated spans and on
          the held-out sentences that have times; video R1 and R5: how often a held-out sentence&rsquo;s own video is
          ranked first and in the top 5. {comparisonNote(comparison)}
        </>
      }
      head={
        <tr>
          <th scope="col" className={TH}>
            Measured on
          </th>
          <th scope="col" className={`${TH} text-right`}>
            Items
          </th>
          {METRICS.map((m) => (
            <th key={m.key} scope="col" className={`${TH} text-right`}>
              {m.label}
            </th>
          ))}
        </tr>
      }
    >
      <tbody className="divide-y divide-zinc-800">
        {SPLITS.map((s) => {
          const set = parsed[s.key];
          return (
            <tr key={s.key} data-testid="version-metrics-row" data-split={s.key}>
              <th scope="row" className="px-3 py-2 text-left align-top font-normal">
                <span className="block font-medium text-zinc-100">{s.label}</span>
                <span className="block text-xs text-zinc-400">{s.hint}</span>
              </th>
              <td className={`${TD_NUM} text-zinc-300`} data-testid={`metric-${s.key}-n`}>
                {set?.n ?? "—"}
              </td>
              {METRICS.map((m) => (
                <MetricCell key={m.key} split={s.key} metric={m.key} set={set} comparison={comparison} />
              ))}
            </tr>
          );
        })}
      </tbody>
    </DataTable>
  );
}
