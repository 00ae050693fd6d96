"use client";

import Link from "next/link";
import { formatDate, formatDateFull } from "@/app/_lib/format";
import type { ModelsOverview } from "@/app/_lib/models-api";
import {
  canActivate,
  comparisonFor,
  isRunning,
  METRICS,
  modelsLabel,
  parseMetrics,
  percentOf,
  progressLine,
  recipeLabel,
  shownStatus,
  SPLITS,
} from "@/app/_lib/models-format";
import { DataTable } from "./DataTable";
import { ActivateButton, CancelButton } from "./ModelActions";
import { MetricCell, TH } from "./ModelMetrics";
import { ModelStatusBadge } from "./ModelStatusBadge";
import { ProgressBar } from "./ProgressBar";

/**
 * Every version, newest first: its status (a progress bar while it trains), what it
 * retrained and how, when, and its evaluation on the annotated spans and the held-out
 * sentences, each number with the active version's under it; Activate for a ready one,
 * Cancel for a run.
 */
export function ModelVersionsTable({
  overview,
  onChanged,
}: {
  overview: ModelsOverview;
  onChanged: () => void | Promise<void>;
}) {
  const { versions, pending } = overview;
  const activeVersion = overview.active.version;
  const active = versions.find((v) => v.version === activeVersion) ?? null;

  return (
    <DataTable
      testId="model-versions"
      label="Model versions (table)"
      caption={
        <>
          Model versions, newest first: status, what was retrained, when, and recall at 1 for IoU 0.3, 0.5 and 0.7 and
          mean IoU in percent on the annotated spans and on the held-out sentences, each with the active version&rsquo;s
          number and the difference
        </>
      }
      colgroups={
        <>
          <colgroup span={3} />
          <colgroup span={METRICS.length} />
          <colgroup span={METRICS.length} />
          <colgroup span={1} />
        </>
      }
      head={
        <>
          <tr>
            <td colSpan={3} className="px-3 pt-2" />
            {SPLITS.map((s) => (
              <th
                key={s.key}
                scope="colgroup"
                colSpan={METRICS.length}
                className="border-l border-zinc-800 px-3 pt-2 text-center font-medium text-zinc-300"
              >
                {s.label}
              </th>
            ))}
            <td className="px-3 pt-2" />
          </tr>
          <tr>
            <th scope="col" className={TH}>
              Version
            </th>
            <th scope="col" className={TH}>
              Status
            </th>
            <th scope="col" className={TH}>
              Retrained
            </th>
            {SPLITS.map((s) =>
              METRICS.map((m, i) => (
                <th
                  key={`${s.key}-${m.key}`}
                  scope="col"
                  className={`${TH} text-right whitespace-nowrap ${i === 0 ? "border-l border-zinc-800" : ""}`}
                >
                  {m.label}
                  <span className="sr-only"> on the {s.label.toLowerCase()}</span>
                </th>
              )),
            )}
            <th scope="col" className={TH}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </>
      }
    >
      <tbody className="divide-y divide-zinc-800">
        {versions.map((v) => {
          const status = shownStatus(v, pending);
          const metrics = parseMetrics(v.metrics);
          const comparison = comparisonFor(v, active);
          const running = isRunning(v.status);
          return (
            <tr
              key={v.version}
              data-testid="model-version-row"
              data-version={v.version}
              data-status={status}
              className={v.version === activeVersion ? "bg-emerald-500/5" : undefined}
            >
              <th scope="row" className="px-3 py-2 text-left align-top font-normal whitespace-nowrap">
                <Link
                  href={`/models/${v.version}`}
                  className="inline-flex min-h-11 items-center font-medium text-indigo-300 hover:text-indigo-200 sm:min-h-0"
                  data-testid="model-version-link"
                >
                  Version {v.version}
                </Link>
                {v.createdAt && (
                  <span className="block text-xs text-zinc-400" title={formatDateFull(v.createdAt) ?? undefined}>
                    {formatDate(v.createdAt)}
                  </span>
                )}
              </th>
              <td className="px-3 py-2 align-top">
                <ModelStatusBadge status={status} />
                {running && (
                  <div className="mt-2 w-36 space-y-1" data-testid="model-version-progress">
                    <ProgressBar
                      value={percentOf(v.progress)}
                      label={`Version ${v.version}: ${progressLine(v)}`}
                      tone="processing"
                    />
                    <p className="text-xs text-zinc-400">{progressLine(v)}</p>
                  </div>
                )}
                {v.status === "failed" && v.error && (
                  <p className="mt-1 max-w-56 truncate text-xs text-rose-300" title={v.error}>
                    {v.error}
                  </p>
                )}
              </td>
              <td className="px-3 py-2 align-top">
                <span className="block text-zinc-200">{modelsLabel(v.models)}</span>
                <span className="block text-xs text-zinc-400">
                  {recipeLabel(v.recipe)} recipe{v.parent !== null ? ` · from version ${v.parent}` : ""}
                </span>
              </td>
              {SPLITS.map((s) =>
                METRICS.map((m) => (
                  <MetricCell
                    key={`${s.key}-${m.key}`}
                    split={s.key}
                    metric={m.key}
                    set={metrics[s.key]}
                    comparison={comparison}
                  />
                )),
              )}
              <td className="px-3 py-2 text-right align-top">
                {v.version === activeVersion ? (
                  <span className="text-xs text-emerald-200">In use</span>
                ) : running ? (
                  <CancelButton version={v.version} what="training" onCancelled={onChanged} />
                ) : status === "switching" ? (
                  <CancelButton version={v.version} what="switch" onCancelled={onChanged} />
                ) : canActivate(v, pending) ? (
                  <>
                    <ActivateButton version={v.version} active={activeVersion} onChanged={onChanged} />
                    {v.gate && !v.gate.pass && (
                      <p className="mt-1 text-xs whitespace-nowrap text-amber-200" title={v.gate.reason}>
                        Held back by the gate
                      </p>
                    )}
                  </>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </DataTable>
  );
}
