"use client";

import dynamic from "next/dynamic";
import Link from "next/link";
import { useEffect, type ReactNode } from "react";
import { formatDate } from "@/app/_lib/format";
import type { ModelVersionDetail } from "@/app/_lib/models-api";
import {
  canActivate,
  comparisonFor,
  dataRows,
  isRunning,
  modelsLabel,
  parseMetrics,
  percentOf,
  progressLine,
  recipeLabel,
  shownStatus,
} from "@/app/_lib/models-format";
import { SENTENCE_SOURCES } from "@/app/_lib/training-api";
import { useModelsOverview, useModelVersion } from "@/app/_lib/useModels";
import { Alert } from "./Alert";
import { ChartLoading } from "./charts";
import { ArrowLeftIcon } from "./icons";
import { ActivateButton, CancelButton } from "./ModelActions";
import { comparisonNote, VersionMetricsTable } from "./ModelMetrics";
import { Announcer, PendingSwitchPanel, useAnnouncer } from "./ModelsView";
import { ModelStatusBadge } from "./ModelStatusBadge";
import { ProgressBar } from "./ProgressBar";

// recharts measures the page: drawn in the browser only, and loaded with this page alone
const LossCurve = dynamic(() => import("./LossCurve").then((m) => m.LossCurve), {
  ssr: false,
  loading: () => <ChartLoading className="h-56" label="Loading the loss curve" />,
});

const SECTION_TITLE = "text-lg font-semibold tracking-tight";

const sourceLabel = (s: string) => SENTENCE_SOURCES.find((x) => x.source === s)?.label ?? s;

function BackLink() {
  return (
    <Link
      href="/models"
      className="inline-flex min-h-11 items-center gap-1.5 text-sm font-medium text-indigo-300 hover:text-indigo-200 sm:min-h-0"
    >
      <ArrowLeftIcon className="size-4" />
      All versions
    </Link>
  );
}

/**
 * One model version: while it trains, the phase with a progress bar and ETA and the loss
 * curve growing (GET /api/models/:version every 2 s, until it is done); then its evaluation
 * next to the version it is compared with, the data it learned from, its error if it
 * failed, and Activate / Cancel.
 */
export function ModelVersionView({ version }: { version: number }) {
  const [message, announce] = useAnnouncer();
  const overview = useModelsOverview(announce);
  const detail = useModelVersion(version);
  const listed = overview.value?.versions.find((v) => v.version === version) ?? null;
  const { reload: reloadDetail } = detail;

  // the overview keeps polling while anything runs: when it sees this version's status
  // change (a run ended, a switch finished), the detail is fetched again with it
  const listedStatus = listed?.status;
  const detailStatus = detail.value?.status;
  useEffect(() => {
    if (listedStatus && detailStatus && listedStatus !== detailStatus) void reloadDetail();
  }, [listedStatus, detailStatus, reloadDetail]);

  if (detail.notFound) {
    return (
      <div className="space-y-4 py-12 text-center" data-testid="model-version-not-found">
        <h1 className="text-2xl font-semibold">Model version {version} not found</h1>
        <p className="text-sm text-zinc-400">There is no model version with this number.</p>
        <BackLink />
      </div>
    );
  }
  if (!detail.value) {
    return (
      <div className="space-y-4">
        <BackLink />
        <h1 className="text-2xl font-semibold tracking-tight">Model version {version}</h1>
        {detail.error ? (
          <Alert tone="error">{detail.error}</Alert>
        ) : (
          <div
            className="h-40 animate-pulse rounded-xl bg-zinc-900"
            role="status"
            aria-busy="true"
            aria-label={`Loading version ${version}`}
          />
        )}
      </div>
    );
  }

  const refresh = async () => {
    await Promise.all([detail.reload(), overview.reload()]);
  };
  return (
    <VersionDetail
      v={detail.value}
      overviewState={overview}
      error={detail.error}
      onChanged={refresh}
      announcer={<Announcer message={message} />}
    />
  );
}

function VersionDetail({
  v,
  overviewState,
  error,
  onChanged,
  announcer,
}: {
  v: ModelVersionDetail;
  overviewState: ReturnType<typeof useModelsOverview>;
  error: string | null;
  onChanged: () => Promise<void>;
  announcer: ReactNode;
}) {
  const overview = overviewState.value;
  const pending = overview?.pending ?? null;
  const activeVersion = overview?.active.version ?? null;
  const active = overview?.versions.find((x) => x.version === activeVersion) ?? null;
  // the overview's status is the fresher one between two polls of the detail
  const listed = overview?.versions.find((x) => x.version === v.version);
  const current = listed ? { ...v, status: listed.status } : v;
  const status = shownStatus(current, pending);
  const running = isRunning(v.status);
  const metrics = parseMetrics(v.metrics);
  const comparison = comparisonFor(v, active);
  const measured = metrics.annotated !== null || metrics.heldOut !== null;
  const data = dataRows(v.data);

  return (
    <div className="space-y-8" data-testid="model-version" data-version={v.version} data-status={status}>
      {announcer}
      <div className="space-y-3">
        <BackLink />
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-3">
              <h1 className="text-2xl font-semibold tracking-tight">Model version {v.version}</h1>
              <ModelStatusBadge status={status} />
            </div>
            <p className="mt-1 text-sm text-zinc-400">
              {modelsLabel(v.models)} · {recipeLabel(v.recipe)} recipe
              {v.parent !== null && (
                <>
                  {" "}
                  · trained from{" "}
                  <Link href={`/models/${v.parent}`} className="font-medium text-indigo-300 hover:text-indigo-200">
                    version {v.parent}
                  </Link>
                </>
              )}
            </p>
          </div>
          <div className="flex gap-2">
            {running && <CancelButton version={v.version} what="training" onCancelled={onChanged} />}
            {activeVersion !== null && v.version !== activeVersion && canActivate(current, pending) && (
              <ActivateButton version={v.version} active={activeVersion} onChanged={onChanged} />
            )}
          </div>
        </div>
      </div>

      {error && <Alert tone="error">Could not refresh: {error}</Alert>}

      {running && (
        <div
          className="space-y-2 rounded-xl border border-sky-500/30 bg-sky-500/5 p-4"
          data-testid="training-progress"
          data-phase={v.phase ?? ""}
          data-progress={percentOf(v.progress)}
        >
          <ProgressBar
            value={percentOf(v.progress)}
            label={`Version ${v.version}: ${progressLine(v)}`}
            tone="processing"
            size="md"
          />
          <p className="text-sm text-zinc-200 tabular-nums" data-testid="training-progress-line">
            {progressLine(v)}
          </p>
        </div>
      )}
      {pending && pending.version === v.version && activeVersion !== null && (
        <PendingSwitchPanel pending={pending} active={activeVersion} onChanged={onChanged} />
      )}
      {current.status === "ready" && status === "ready" && listed?.gate && (
        <p
          className={`rounded-lg border px-4 py-3 text-sm ${
            listed.gate.pass
              ? "border-emerald-500/30 bg-emerald-500/5 text-emerald-100"
              : "border-amber-500/30 bg-amber-500/5 text-amber-100"
          }`}
          data-testid="version-gate"
          data-pass={listed.gate.pass}
        >
          <span className="font-medium">
            {listed.gate.pass
              ? "The evaluation gate lets it replace the active version."
              : "The evaluation gate holds it back."}
          </span>{" "}
          {listed.gate.reason}
          {!listed.gate.pass && " An admin can activate it anyway."}
        </p>
      )}
      {v.status === "failed" && (
        <Alert tone="error" title="Training failed">
          <span data-testid="model-version-error">{v.error ?? "The server gave no reason."}</span>
        </Alert>
      )}
      {v.status === "cancelled" && (
        <p className="text-sm text-zinc-400" data-testid="model-version-cancelled">
          This run was cancelled{v.finishedAt ? ` (${formatDate(v.finishedAt)})` : ""}.
        </p>
      )}

      <section aria-labelledby="version-loss" className="space-y-3">
        <h2 id="version-loss" className={SECTION_TITLE}>
          Training loss
        </h2>
        {v.version === 1 && v.curve.length === 0 ? (
          <p className="text-sm text-zinc-400">
            Version 1 is the shipped models, trained from the command line; its curves are not stored here.
          </p>
        ) : (
          <LossCurve curve={v.curve} live={running} />
        )}
      </section>

      <section aria-labelledby="version-eval" className="space-y-3">
        <div>
          <h2 id="version-eval" className={SECTION_TITLE}>
            Evaluation
          </h2>
          <p className="mt-1 max-w-2xl text-sm text-zinc-400" data-testid="version-comparison-note">
            {measured ? comparisonNote(comparison) : running ? "Measured once training is done." : "Not measured."}
          </p>
        </div>
        {measured && <VersionMetricsTable metrics={v.metrics} comparison={comparison} />}
      </section>

      <section aria-labelledby="version-data" className="space-y-3">
        <h2 id="version-data" className={SECTION_TITLE}>
          Data and settings
        </h2>
        <dl
          className="grid grid-cols-[minmax(8rem,max-content)_1fr] gap-x-6 gap-y-1.5 text-sm"
          data-testid="version-data"
        >
          {(
            [
              ...data,
              ["Sources", v.sources.length ? v.sources.map(sourceLabel).join(", ") : null],
              ["Seed", v.seed !== null ? String(v.seed) : null],
              ["Created", formatDate(v.createdAt)],
              ["Started", formatDate(v.startedAt)],
              ["Finished", formatDate(v.finishedAt)],
              ["Activated", formatDate(v.activatedAt)],
            ] satisfies [string, string | null][]
          )
            .filter((r): r is [string, string] => r[1] !== null && r[1] !== "")
            .map(([k, value]) => (
              <div key={k} className="contents">
                <dt className="text-zinc-400">{k}</dt>
                <dd className="min-w-0 break-words text-zinc-200 tabular-nums">{value}</dd>
              </div>
            ))}
        </dl>
      </section>
    </div>
  );
}
