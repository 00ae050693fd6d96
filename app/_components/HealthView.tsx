"use client";

import Link from "next/link";
import { useCallback, useEffect, useState, type ReactNode } from "react";
import { ApiError, getHealth } from "@/app/_lib/api";
import { formatBytes } from "@/app/_lib/format";
import { healthModelState, pendingLine } from "@/app/_lib/models-format";
import type { HealthLevel, HealthSummary } from "@/lib/health-summary";
import { describeModelVersion, modelLabel } from "@/lib/model-names";
import { Alert } from "./Alert";
import { CheckIcon, ErrorIcon, WarningIcon } from "./icons";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

function isObj(v: Json | undefined): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function str(v: Json | undefined): string | null {
  return typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : null;
}

function label(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " ");
}

// ——— the summary ———

const LEVELS: Record<HealthLevel, { box: string; text: string; icon: string; Icon: typeof CheckIcon; word: string }> = {
  ok: {
    box: "border-emerald-500/40 bg-emerald-500/10",
    text: "text-emerald-100",
    icon: "text-emerald-300",
    Icon: CheckIcon,
    word: "OK",
  },
  warning: {
    box: "border-amber-500/40 bg-amber-500/10",
    text: "text-amber-100",
    icon: "text-amber-300",
    Icon: WarningIcon,
    word: "Needs attention",
  },
  error: {
    box: "border-rose-500/40 bg-rose-500/10",
    text: "text-rose-100",
    icon: "text-rose-300",
    Icon: ErrorIcon,
    word: "Not working",
  },
};

function isLevel(v: Json | undefined): v is HealthLevel {
  return v === "ok" || v === "warning" || v === "error";
}

/** The server's summary; a server without one (older, or the public answer) gets one from its status. */
function summaryOf(report: Obj): HealthSummary {
  const s = report.summary;
  if (isObj(s) && isLevel(s.level) && typeof s.headline === "string") {
    const notes = Array.isArray(s.notes)
      ? s.notes
          .filter(isObj)
          .flatMap((n) => (isLevel(n.level) && typeof n.text === "string" ? [{ level: n.level, text: n.text }] : []))
      : [];
    return { level: s.level, headline: s.headline, notes };
  }
  if (report.status === "unavailable")
    return { level: "error", headline: "The database does not answer: search and uploads are unavailable.", notes: [] };
  if (report.status === "degraded")
    return { level: "warning", headline: "Search works; a disk is nearly full, so uploads are refused.", notes: [] };
  return { level: "ok", headline: "The server answers.", notes: [] };
}

function SummaryCard({ summary }: { summary: HealthSummary }) {
  const l = LEVELS[summary.level];
  return (
    <section
      aria-labelledby="health-headline"
      data-testid="health-summary"
      data-level={summary.level}
      className={`rounded-xl border p-4 sm:p-5 ${l.box}`}
    >
      <div className="flex items-start gap-3">
        <l.Icon className={`mt-0.5 size-6 shrink-0 ${l.icon}`} />
        <div className="min-w-0 space-y-3">
          <h2 id="health-headline" className={`text-lg font-semibold ${l.text}`} data-testid="health-headline">
            <span className="sr-only">{l.word}: </span>
            {summary.headline}
          </h2>
          {summary.notes.length > 0 && (
            <ul className="space-y-2 text-sm" data-testid="health-notes">
              {summary.notes.map((n, i) => {
                const nl = LEVELS[n.level];
                return (
                  <li key={i} className="flex gap-2 text-zinc-100" data-testid="health-note" data-level={n.level}>
                    <nl.Icon className={`mt-0.5 size-4 shrink-0 ${nl.icon}`} />
                    <span>
                      {n.level !== "ok" && <span className="sr-only">{nl.word}: </span>}
                      {n.text}
                    </span>
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      </div>
    </section>
  );
}

// ——— the details ———

/** A small label in words, never a red "no": good, neutral or a problem. */
function Pill({
  tone,
  children,
  testId,
}: {
  tone: "good" | "neutral" | "warning" | "bad";
  children: ReactNode;
  testId?: string;
}) {
  const styles = {
    good: "bg-emerald-500/10 text-emerald-200 ring-emerald-500/30",
    neutral: "bg-zinc-800 text-zinc-300 ring-zinc-700",
    warning: "bg-amber-500/10 text-amber-200 ring-amber-500/30",
    bad: "bg-rose-500/10 text-rose-200 ring-rose-500/30",
  }[tone];
  return (
    <span
      data-testid={testId}
      data-tone={tone}
      className={`inline-block rounded px-1.5 py-0.5 text-xs font-medium ring-1 ${styles}`}
    >
      {children}
    </span>
  );
}

function Rows({ rows }: { rows: [string, ReactNode][] }) {
  const shown = rows.filter(([, v]) => v !== null && v !== undefined && v !== "");
  if (shown.length === 0) return <p className="text-sm text-zinc-400">Nothing reported.</p>;
  return (
    <dl className="grid grid-cols-[minmax(7rem,max-content)_1fr] gap-x-6 gap-y-1.5 text-sm">
      {shown.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-zinc-400">{k}</dt>
          <dd className="min-w-0 break-words text-zinc-200">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="space-y-2 border-t border-zinc-800 pt-4 first:border-t-0 first:pt-0">
      <h3 className="text-sm font-semibold text-zinc-200">{title}</h3>
      {children}
    </section>
  );
}

/** A model: its readable name, the full version on hover (and for screen readers, after it). */
function Model({ model, testId }: { model: Json | undefined; testId: string }) {
  if (!isObj(model)) return null;
  const version = str(model.version);
  const error = str(model.error);
  if (!version) return <Pill tone="bad">{error ? `could not be loaded: ${error}` : "not loaded"}</Pill>;
  const name = str(model.label) ?? modelLabel(version);
  const parts = describeModelVersion(version);
  return (
    <span data-testid={testId} title={version} data-version={version}>
      {parts.length > 1 ? name : `${parts[0]?.name ?? name}`}
      {parts.length === 1 && parts[0]?.detail && <span className="text-zinc-400"> · {parts[0].detail}</span>}
      <span className="sr-only"> (version {version})</span>
    </span>
  );
}

/** The model version that answers searches (issue 22), and the switch to another one while the library is re-embedded. */
function modelVersionInUse(models: Obj): ReactNode {
  const { version, pending } = healthModelState(models);
  if (version === null && pending === null) return null;
  return (
    <span data-testid="health-model-version" data-version={version ?? undefined}>
      {version !== null && (
        <Link href={`/models/${version}`} className="font-medium text-indigo-300 hover:text-indigo-200">
          Version {version}
        </Link>
      )}
      {pending && (
        <span className="block text-zinc-300" data-testid="health-model-pending" data-version={pending.version}>
          switching to version {pending.version}: {pendingLine(pending)}
        </span>
      )}
    </span>
  );
}

const BACKENDS: Record<string, string> = {
  "tfjs-node-gpu": "TensorFlow on the GPU (tfjs-node-gpu)",
  "tfjs-node": "TensorFlow native on the CPU (tfjs-node)",
  tensorflow: "TensorFlow native (tfjs-node)",
  wasm: "WebAssembly",
  cpu: "plain JavaScript (slowest)",
};

/** A failed import of an optional package reads "not installed", not as the stack it threw. */
function notInstalled(reason: string | null): boolean {
  return (
    !!reason &&
    /cannot find (package|module)|err_module_not_found|module_not_found|not found|no such file/i.test(reason)
  );
}

function Compute({ tfjs }: { tfjs: Json | undefined }) {
  if (!isObj(tfjs)) return null;
  // the candidate says which package provides "tensorflow" (GPU or CPU); older reports lack it
  const backend = str(tfjs.candidate) && tfjs.candidate !== "none" ? str(tfjs.candidate) : str(tfjs.backend);
  const why = str(tfjs.why);
  const tried = Array.isArray(tfjs.tried) ? tfjs.tried.filter(isObj) : [];
  const working = tried.some((t) => t.ok === true);
  return (
    <div className="space-y-2">
      <Rows
        rows={[
          [
            "In use",
            backend ? (
              <Pill tone={backend === "unavailable" ? "bad" : "good"}>{BACKENDS[backend] ?? backend}</Pill>
            ) : null,
          ],
          ["Why", why ? <span className="text-sm break-words text-zinc-300">{why}</span> : null],
        ]}
      />
      {tried.length > 0 && (
        <ul className="space-y-1 text-sm" aria-label="Backends tried, fastest first" data-testid="health-backends">
          {tried.map((t, i) => {
            const name = str(t.name) ?? `backend ${i + 1}`;
            const reason = str(t.reason);
            // a fallback works: what came before it is an optional accelerator, not a fault
            const optional = working && t.ok !== true;
            return (
              <li
                key={i}
                className="flex flex-wrap items-baseline gap-x-2 gap-y-1"
                data-testid="health-backend"
                data-name={name}
              >
                <span className="font-mono text-xs text-zinc-200">{name}</span>
                {t.ok === true ? (
                  <Pill tone="good">in use</Pill>
                ) : optional ? (
                  <Pill tone="neutral">
                    {notInstalled(reason) ? "not installed (optional)" : "not available (optional)"}
                  </Pill>
                ) : (
                  <Pill tone="bad">failed</Pill>
                )}
                {reason && !(optional && notInstalled(reason)) && (
                  <span className="w-full text-xs break-words text-zinc-400">{reason}</span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

const KNOWN = new Set(["summary", "status", "disk", "database", "ffmpeg", "tfjs", "models", "queue"]);

/** Anything else the server reports, generically; yes/no in neutral words. */
function Value({ value }: { value: Json }) {
  if (value === null) return <span className="text-zinc-400">—</span>;
  if (typeof value === "boolean") return <span>{value ? "yes" : "no"}</span>;
  if (typeof value !== "object") return <span className="break-all">{String(value)}</span>;
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== "object"))
      return <span>{value.map(String).join(", ") || "—"}</span>;
    return (
      <ul className="space-y-2">
        {value.map((v, i) => (
          <li key={i}>
            <Value value={v} />
          </li>
        ))}
      </ul>
    );
  }
  return (
    <dl className="grid grid-cols-[minmax(6rem,max-content)_1fr] gap-x-6 gap-y-1.5 text-sm">
      {Object.entries(value).map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-zinc-400 capitalize">{label(k)}</dt>
          <dd className="min-w-0 text-zinc-200">
            <Value value={v} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Details({ report }: { report: Obj }) {
  const models = isObj(report.models) ? report.models : null;
  const db = isObj(report.database) ? report.database : null;
  const ff = isObj(report.ffmpeg) ? report.ffmpeg : null;
  const disks = Array.isArray(report.disk) ? report.disk.filter(isObj) : [];
  const queue = isObj(report.queue) ? report.queue : null;
  const jobs = queue && isObj(queue.jobs) ? queue.jobs : null;
  const other = Object.fromEntries(Object.entries(report).filter(([k]) => !KNOWN.has(k)));
  const status = str(report.status);
  return (
    <div className="space-y-4">
      {status && (
        <Section title="Server">
          <Rows
            rows={[
              [
                "Status",
                <Pill key="s" tone={status === "ok" ? "good" : status === "degraded" ? "warning" : "bad"}>
                  {status}
                </Pill>,
              ],
            ]}
          />
        </Section>
      )}
      {models && (
        <Section title="Search models">
          <Rows
            rows={[
              ["Model version in use", modelVersionInUse(models)],
              ["Clip and text encoder", <Model key="c" model={models.clipEncoder} testId="health-model-clip" />],
              ["Grounder", <Model key="g" model={models.grounder} testId="health-model-grounder" />],
              ["Grounding method", isObj(models.grounder) ? str(models.grounder.defaultMethod) : null],
              ["Embedding size", isObj(models.clipEncoder) ? str(models.clipEncoder.dim) : null],
            ]}
          />
        </Section>
      )}
      {isObj(report.tfjs) && (
        <Section title="Compute">
          <Compute tfjs={report.tfjs} />
        </Section>
      )}
      {db && (
        <Section title="Database">
          <Rows
            rows={[
              [
                "Mode",
                str(db.mode) === "pglite"
                  ? "embedded (PGlite)"
                  : str(db.mode) === "postgres"
                    ? "PostgreSQL server"
                    : str(db.mode),
              ],
              ["Server version", str(db.serverVersion)],
              [
                "pgvector",
                str(db.pgvector) ?? (
                  <Pill key="p" tone="bad">
                    missing
                  </Pill>
                ),
              ],
              ["Schema version", str(db.schemaVersion)],
            ]}
          />
        </Section>
      )}
      {ff && (
        <Section title="Media tools (ffmpeg)">
          <Rows
            rows={[
              [
                "Found",
                str(ff.source) === "none" ? (
                  <Pill key="f" tone="bad">
                    not found
                  </Pill>
                ) : (
                  str(ff.source)
                ),
              ],
              ["Version", str(ff.version)],
              [
                "Path",
                str(ff.path) ? (
                  <span key="p" className="font-mono text-xs break-all">
                    {str(ff.path)}
                  </span>
                ) : null,
              ],
              ["Problem", str(ff.error)],
            ]}
          />
        </Section>
      )}
      {disks.length > 0 && (
        <Section title="Disk space">
          <ul className="space-y-1.5 text-sm">
            {disks.map((d, i) => (
              <li key={i} className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
                <span className="font-mono text-xs break-all text-zinc-300">{str(d.dir) ?? "—"}</span>
                <span className="text-zinc-200">
                  {typeof d.freeBytes === "number" ? `${formatBytes(d.freeBytes)} free` : "free space unknown"}
                </span>
                {d.low === true ? <Pill tone="warning">nearly full</Pill> : <Pill tone="good">enough space</Pill>}
              </li>
            ))}
          </ul>
        </Section>
      )}
      {queue && (
        <Section title="Processing queue">
          {jobs && Object.keys(jobs).length > 0 ? (
            <Rows rows={Object.entries(jobs).map(([state, n]): [string, ReactNode] => [label(state), str(n)])} />
          ) : (
            <p className="text-sm text-zinc-400">No jobs.</p>
          )}
        </Section>
      )}
      {Object.keys(other).length > 0 && (
        <Section title="Other">
          <Value value={other} />
        </Section>
      )}
    </div>
  );
}

/** /api/health for people: a green/amber/red summary first, the details folded under it. */
export function HealthView() {
  const [health, setHealth] = useState<Json | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    () =>
      getHealth().then(
        (h) => {
          setHealth(h as Json);
          setError(null);
        },
        (err: unknown) => setError(err instanceof ApiError ? err.message : "The server could not be reached."),
      ),
    [],
  );

  useEffect(() => {
    load();
  }, [load]);

  return (
    <div className="space-y-4">
      {error && <Alert tone="error">{error}</Alert>}
      {health === null && !error && <p className="text-sm text-zinc-400">Checking…</p>}
      {isObj(health ?? undefined) && <SummaryCard summary={summaryOf(health as Obj)} />}
      {health !== null && (
        <details className="group rounded-xl border border-zinc-800 bg-zinc-900/60" data-testid="health-details">
          <summary className="flex min-h-11 cursor-pointer items-center gap-2 rounded-xl px-4 py-2 text-sm font-medium text-zinc-200 hover:bg-zinc-800/60">
            <span aria-hidden="true" className="inline-block transition-transform group-open:rotate-90">
              ▸
            </span>
            Details: models, compute, database, media tools, disk and queue
          </summary>
          <div className="border-t border-zinc-800 p-4" data-testid="health">
            {isObj(health) ? <Details report={health} /> : <Value value={health} />}
          </div>
        </details>
      )}
      <div className="flex gap-4 text-sm">
        <button
          type="button"
          onClick={() => void load()}
          className="min-h-11 font-medium text-indigo-300 hover:text-indigo-200 sm:min-h-0"
        >
          Refresh
        </button>
        <a
          href="/api/health"
          className="inline-flex min-h-11 items-center text-zinc-300 hover:text-zinc-100 sm:min-h-0"
        >
          Raw JSON
        </a>
      </div>
    </div>
  );
}
