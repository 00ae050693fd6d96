"use client";

import { useCallback, useEffect, useState } from "react";
import { ApiError, getHealth } from "@/app/_lib/api";
import { Alert } from "./Alert";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function label(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " ");
}

function Value({ value }: { value: Json }) {
  if (value === null) return <span className="text-zinc-500">—</span>;
  if (typeof value === "boolean")
    return <span className={value ? "text-emerald-300" : "text-rose-300"}>{value ? "yes" : "no"}</span>;
  if (typeof value !== "object") return <span className="break-all">{String(value)}</span>;
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== "object")) return <span>{value.map(String).join(", ") || "—"}</span>;
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
  return <Entries obj={value} />;
}

function Entries({ obj }: { obj: { [key: string]: Json } }) {
  return (
    <dl className="grid grid-cols-[minmax(6rem,max-content)_1fr] gap-x-6 gap-y-1.5 text-sm">
      {Object.entries(obj).map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-zinc-500 capitalize">{label(k)}</dt>
          <dd className="min-w-0 text-zinc-200">
            <Value value={v} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** /api/health, rendered generically (whatever keys the server reports). */
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
      {health !== null && (
        <div className="rounded-xl border border-zinc-800 bg-zinc-900/60 p-4" data-testid="health">
          {typeof health === "object" && !Array.isArray(health) ? <Entries obj={health} /> : <Value value={health} />}
        </div>
      )}
      <div className="flex gap-4 text-sm">
        <button type="button" onClick={() => void load()} className="font-medium text-indigo-300 hover:text-indigo-200">
          Refresh
        </button>
        <a href="/api/health" className="text-zinc-400 hover:text-zinc-200">
          Raw JSON
        </a>
      </div>
    </div>
  );
}
