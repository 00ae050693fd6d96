"use client";

import dynamic from "next/dynamic";
import Link from "next/link";
import { useEffect, useState } from "react";
import {
  errorMessage,
  getEvaluation,
  SCORE_METRICS,
  type EvaluationReport,
  type SourceScore,
  type VersionScore,
  type WorstMiss,
} from "@/app/_lib/api";
import { REVIEW_SOURCES, SOURCE_LABELS, sourceLabel } from "@/app/_lib/review";
import { Alert } from "./Alert";
import { ChartLoading } from "./charts";
import { DataTable, type Column } from "./DataTable";
import { EmptyNote } from "./EmptyNote";
import { ReviewSettingsPanel } from "./ReviewSettingsPanel";
import { useCan } from "./SessionProvider";
import { formatPrecise } from "./SpanEditor";

// recharts measures the page: drawn in the browser only, and loaded with the dashboard alone
const EvaluationChart = dynamic(() => import("./EvaluationChart").then((m) => m.EvaluationChart), {
  ssr: false,
  loading: () => <ChartLoading className="h-96" label="Loading the chart" />,
});

const METRICS = SCORE_METRICS;

const SOURCES = REVIEW_SOURCES;

const SECTION_TITLE = "text-lg font-semibold tracking-tight";
const TD_NUM = "px-4 py-2 text-right tabular-nums";

/**
 * GET /api/evaluation as a dashboard: decisions and agreement, one row per model version,
 * the scores over time (a chart), per source, and the worst misses, each linking to its
 * item. Admins also set how many annotators each new item wants.
 */
export function EvaluationView() {
  const [report, setReport] = useState<EvaluationReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const isAdmin = useCan("system:admin");

  useEffect(() => {
    const ac = new AbortController();
    getEvaluation(ac.signal)
      .then(setReport)
      .catch((err: unknown) => {
        if (err instanceof DOMException && err.name === "AbortError") return;
        setError(errorMessage(err, "The evaluation could not be loaded."));
      });
    return () => ac.abort();
  }, []);

  if (error) return <Alert tone="error">{error}</Alert>;
  if (!report)
    return (
      <div
        className="h-32 animate-pulse rounded-xl bg-zinc-900"
        role="status"
        aria-busy="true"
        aria-label="Loading the evaluation"
      />
    );

  const { versions } = report;
  return (
    <div className="space-y-10">
      <Overview report={report} />
      {versions.length === 0 ? (
        <div
          className="rounded-xl border border-dashed border-zinc-800 px-4 py-12 text-center text-sm text-zinc-400"
          data-testid="evaluation-empty"
        >
          No accepted or corrected spans yet.{" "}
          <Link href="/review" className="font-medium text-indigo-300 hover:text-indigo-200">
            Review some items
          </Link>{" "}
          to measure the models.
        </div>
      ) : (
        <>
          <section aria-labelledby="eval-versions" className="space-y-3">
            <h2 id="eval-versions" className={SECTION_TITLE}>
              Per model version
            </h2>
            <VersionsTable versions={versions} />
          </section>
          <section aria-labelledby="eval-time" className="space-y-3">
            <h2 id="eval-time" className={SECTION_TITLE}>
              Over time
            </h2>
            <EvaluationChart timeline={report.timeline} />
          </section>
          <section aria-labelledby="eval-sources" className="space-y-3">
            <h2 id="eval-sources" className={SECTION_TITLE}>
              Per source
            </h2>
            <SourcesTable versions={versions} bySource={report.bySource} />
          </section>
          <section aria-labelledby="eval-worst" className="space-y-3">
            <div>
              <h2 id="eval-worst" className={SECTION_TITLE}>
                Worst misses
              </h2>
              <p className="mt-1 text-sm text-zinc-400">
                The judged spans farthest from the model&rsquo;s, lowest IoU first. Open one to see every annotation of
                it.
              </p>
            </div>
            <WorstMisses worst={report.worst} />
          </section>
        </>
      )}
      {isAdmin && <ReviewSettingsPanel />}
    </div>
  );
}

/** Decisions so far and how much annotators agree. */
function Overview({ report }: { report: EvaluationReport }) {
  const { decisions, agreement } = report;
  const tiles: { label: string; value: string; note?: string; testId: string }[] = [
    { label: "Accepted", value: String(decisions.accept), testId: "evaluation-decisions-accept" },
    { label: "Corrected", value: String(decisions.correct), testId: "evaluation-decisions-correct" },
    { label: "Rejected", value: String(decisions.reject), testId: "evaluation-decisions-reject" },
    {
      label: "Agreement (mean pairwise IoU)",
      value: agreement.overall == null ? "—" : `${(agreement.overall * 100).toFixed(1)}%`,
      note:
        agreement.items === 0
          ? "No item has two judged spans yet"
          : `Over ${agreement.items} item${agreement.items === 1 ? "" : "s"} with two or more judged spans`,
      testId: "evaluation-agreement",
    },
  ];
  return (
    <section aria-labelledby="eval-overview">
      <h2 id="eval-overview" className="sr-only">
        Decisions and agreement
      </h2>
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="evaluation-overview">
        {tiles.map((t) => (
          <div key={t.label} className="rounded-xl border border-zinc-800 bg-zinc-900/60 p-4">
            <dt className="text-xs font-medium text-zinc-400">{t.label}</dt>
            <dd
              className="mt-1 text-2xl font-semibold tabular-nums text-zinc-100"
              data-testid={t.testId}
              data-items={t.testId === "evaluation-agreement" ? agreement.items : undefined}
            >
              {t.value}
            </dd>
            {t.note && <dd className="mt-1 text-xs text-zinc-400">{t.note}</dd>}
          </div>
        ))}
      </dl>
    </section>
  );
}

/** The header of a score table: the columns naming its rows, then Spans and the four metrics. */
function scoreColumns(names: string[]): Column[] {
  return [...names, ...["Spans", ...METRICS].map((label) => ({ key: label, label, numeric: true }))];
}

function VersionsTable({ versions }: { versions: VersionScore[] }) {
  return (
    <DataTable
      testId="evaluation-table"
      label="Per model version (table)"
      caption="Recall at 1 for IoU 0.3, 0.5 and 0.7, and mean IoU, in percent, per model version"
      columns={scoreColumns(["Model version"])}
    >
      <tbody className="divide-y divide-zinc-800">
        {versions.map((v) => (
          <tr key={v.modelVersion} data-testid="evaluation-row" data-model-version={v.modelVersion}>
            <th scope="row" className="px-4 py-2 text-left font-mono text-xs font-normal text-zinc-200">
              {v.modelVersion}
            </th>
            <td className={TD_NUM} data-testid="evaluation-count">
              {v.count}
            </td>
            {METRICS.map((m) => (
              <td key={m} className={TD_NUM} data-testid={`evaluation-${m}`}>
                {v[m].toFixed(1)}%
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}

/** Every version × source, the four sources always listed (a dash where there are no spans). */
function SourcesTable({ versions, bySource }: { versions: VersionScore[]; bySource: SourceScore[] }) {
  const known = new Map(bySource.map((s) => [`${s.modelVersion}\n${s.source}`, s]));
  const names = [...new Set([...versions.map((v) => v.modelVersion), ...bySource.map((s) => s.modelVersion)])].sort(
    (a, b) => a.localeCompare(b),
  );
  return (
    <DataTable
      testId="evaluation-sources"
      label="Per source (table)"
      caption={
        <>
          Spans, recall at 1 for IoU 0.3, 0.5 and 0.7, and mean IoU, in percent, per model version and per source of the
          item
        </>
      }
      columns={scoreColumns(["Model version", "Source"])}
    >
      {names.map((version) => (
        <tbody key={version} className="divide-y divide-zinc-800 border-t border-zinc-800 first-of-type:border-t-0">
          {SOURCES.map((source, i) => {
            const s = known.get(`${version}\n${source}`);
            return (
              <tr
                key={source}
                data-testid="evaluation-source-row"
                data-model-version={version}
                data-source={source}
                data-count={s?.count ?? 0}
              >
                {i === 0 && (
                  <th
                    scope="rowgroup"
                    rowSpan={SOURCES.length}
                    className="px-4 py-2 text-left align-top font-mono text-xs font-normal text-zinc-200"
                  >
                    {version}
                  </th>
                )}
                <th scope="row" className="px-4 py-2 text-left font-normal text-zinc-300">
                  {SOURCE_LABELS[source]}
                </th>
                <td className={TD_NUM} data-testid="evaluation-source-count">
                  {s?.count ?? 0}
                </td>
                {METRICS.map((m) => (
                  <td
                    key={m}
                    className={`${TD_NUM} ${s ? "" : "text-zinc-400"}`}
                    data-testid={`evaluation-source-${m}`}
                  >
                    {s ? (
                      `${s[m].toFixed(1)}%`
                    ) : (
                      <>
                        <span aria-hidden="true">—</span>
                        <span className="sr-only">no spans</span>
                      </>
                    )}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      ))}
    </DataTable>
  );
}

function WorstMisses({ worst }: { worst: WorstMiss[] }) {
  if (worst.length === 0) {
    return <EmptyNote testId="evaluation-worst-empty">No judged spans yet.</EmptyNote>;
  }
  return (
    <DataTable
      testId="evaluation-worst"
      label="Worst misses (table)"
      caption={
        <>
          The judged spans with the lowest IoU against the model&rsquo;s span, lowest first; each sentence links to its
          item
        </>
      }
      columns={[
        "Sentence",
        { key: "iou", label: "IoU", numeric: true },
        "Model’s span",
        "Judged span",
        "Model version",
        "Source",
      ]}
    >
      <tbody className="divide-y divide-zinc-800">
        {worst.map((w, i) => (
          <tr key={`${w.itemId}-${i}`} data-testid="worst-miss" data-item-id={w.itemId} data-iou={w.iou}>
            <th scope="row" className="max-w-sm px-4 py-2 text-left font-normal">
              <Link
                href={`/review/items/${encodeURIComponent(w.itemId)}`}
                className="font-medium text-indigo-300 hover:text-indigo-200"
                data-testid="worst-miss-link"
              >
                {w.sentence}
              </Link>
              <span className="block truncate text-xs text-zinc-400" title={w.videoName}>
                {w.videoName}
              </span>
            </th>
            <td className={TD_NUM} data-testid="worst-miss-iou">
              {(w.iou * 100).toFixed(1)}%
            </td>
            <td className="px-4 py-2 tabular-nums whitespace-nowrap text-zinc-300">
              {formatPrecise(w.prediction.start)}–{formatPrecise(w.prediction.end)}
            </td>
            <td className="px-4 py-2 tabular-nums whitespace-nowrap text-zinc-300">
              {formatPrecise(w.span.start)}–{formatPrecise(w.span.end)}
            </td>
            <td className="px-4 py-2 font-mono text-xs text-zinc-300">{w.modelVersion}</td>
            <td className="px-4 py-2 text-xs text-zinc-300">{sourceLabel(w.source)}</td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}
