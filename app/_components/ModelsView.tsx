"use client";

import Link from "next/link";
import { useCallback, useState } from "react";
import { formatDateFull, formatRelative } from "@/app/_lib/format";
import type { ModelsOverview, PendingSwitch } from "@/app/_lib/models-api";
import { isRunning, modelsLabel, pendingLine, percentOf, recipeLabel } from "@/app/_lib/models-format";
import { useModelsOverview } from "@/app/_lib/useModels";
import { Alert } from "./Alert";
import { CancelButton } from "./ModelActions";
import { ModelVersionsTable } from "./ModelVersionsTable";
import { ProgressBar } from "./ProgressBar";
import { TrainForm } from "./TrainForm";

const SECTION_TITLE = "text-lg font-semibold tracking-tight";

/** A polite live region that says what changed (a run finished, a switch happened); the newest sentence only. */
export function useAnnouncer(): [string, (message: string) => void] {
  const [message, setMessage] = useState("");
  const announce = useCallback((m: string) => setMessage(m), []);
  return [message, announce];
}

export function Announcer({ message }: { message: string }) {
  return (
    <p className="sr-only" aria-live="polite" data-testid="models-announcer">
      {message}
    </p>
  );
}

/** The switch in progress: search answers with the active version until the library is re-embedded with the new one. */
export function PendingSwitchPanel({
  pending,
  active,
  onChanged,
}: {
  pending: PendingSwitch;
  active: number;
  onChanged: () => void | Promise<void>;
}) {
  const line = pendingLine(pending);
  return (
    <div
      className="space-y-2 rounded-xl border border-amber-500/30 bg-amber-500/5 p-4"
      data-testid="pending-switch"
      data-version={pending.version}
      data-done={pending.done}
      data-total={pending.total}
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="font-medium text-amber-100">Switching to version {pending.version}</p>
          <p className="text-sm text-zinc-300">
            Search keeps answering with version {active} until every video has version {pending.version}&rsquo;s
            vectors, then switches at once.
          </p>
        </div>
        <CancelButton version={pending.version} what="switch" onCancelled={onChanged} />
      </div>
      <ProgressBar
        value={percentOf(pending.progress)}
        label={`Switching to version ${pending.version}: ${line}`}
        tone="accent"
        size="md"
      />
      <p className="text-xs text-zinc-300 tabular-nums" data-testid="pending-switch-line">
        {line}
      </p>
    </div>
  );
}

/** Which version answers searches, and the switch to another one while it runs. */
function InUse({ overview, onChanged }: { overview: ModelsOverview; onChanged: () => void | Promise<void> }) {
  const activeVersion = overview.active.version;
  const active = overview.versions.find((v) => v.version === activeVersion);
  return (
    <div className="space-y-3">
      <div
        className="flex flex-wrap items-baseline gap-x-3 gap-y-1 rounded-xl border border-emerald-500/30 bg-emerald-500/5 p-4"
        data-testid="active-version"
        data-version={activeVersion}
      >
        <p className="text-base font-semibold text-emerald-100">
          <Link href={`/models/${activeVersion}`} className="hover:underline">
            Version {activeVersion}
          </Link>{" "}
          answers searches
        </p>
        {active && (
          <p className="text-sm text-zinc-300">
            {modelsLabel(active.models)} · {recipeLabel(active.recipe)} recipe
            {active.activatedAt && (
              <>
                {" "}
                · active since{" "}
                <time dateTime={active.activatedAt} title={formatDateFull(active.activatedAt) ?? undefined}>
                  {formatRelative(active.activatedAt)}
                </time>
              </>
            )}
          </p>
        )}
      </div>
      {overview.pending && (
        <PendingSwitchPanel pending={overview.pending} active={activeVersion} onChanged={onChanged} />
      )}
    </div>
  );
}

/**
 * The Models page (admins): the version in use and any switch in progress, the form that
 * trains a new version, and every version with its evaluation next to the active one's.
 * Polls every 2 s while something runs.
 */
export function ModelsView() {
  const [message, announce] = useAnnouncer();
  const { value: overview, error, reload } = useModelsOverview(announce);

  if (!overview) {
    if (error) return <Alert tone="error">{error}</Alert>;
    return (
      <div
        className="h-40 animate-pulse rounded-xl bg-zinc-900"
        role="status"
        aria-busy="true"
        aria-label="Loading the model versions"
      />
    );
  }

  const running = overview.versions.find((v) => isRunning(v.status))?.version ?? null;
  return (
    <div className="space-y-10">
      <Announcer message={message} />
      {error && <Alert tone="error">Could not refresh: {error}</Alert>}
      <section aria-labelledby="models-in-use" className="space-y-3">
        <h2 id="models-in-use" className="sr-only">
          In use
        </h2>
        <InUse overview={overview} onChanged={reload} />
      </section>

      <section aria-labelledby="models-train" className="space-y-3">
        <div>
          <h2 id="models-train" className={SECTION_TITLE}>
            Train a new version
          </h2>
          <p className="mt-1 max-w-2xl text-sm text-zinc-400">
            The chosen models learn from the library&rsquo;s own sentences, starting from the active version. When it is
            done, the new version is evaluated against the active one and becomes active only if it is not worse on the
            annotated spans; otherwise it waits here for an admin.
          </p>
        </div>
        <div className="rounded-xl border border-zinc-800 bg-zinc-900/60 p-4 sm:p-5">
          <TrainForm recipes={overview.recipes} running={running} onStarted={() => reload()} />
        </div>
      </section>

      <section aria-labelledby="models-versions" className="space-y-3">
        <div>
          <h2 id="models-versions" className={SECTION_TITLE}>
            Versions
          </h2>
          <p className="mt-1 max-w-2xl text-sm text-zinc-400">
            Recall at 1 (R1) at IoU 0.3, 0.5 and 0.7 and mean IoU, in percent. Under each number: the version it is
            compared with (the one active when it was evaluated, else the active one) and the difference in points (+
            better, − worse).
          </p>
        </div>
        <ModelVersionsTable overview={overview} onChanged={reload} />
      </section>
    </div>
  );
}
