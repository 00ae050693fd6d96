"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { errorMessage, getEvaluation, type VersionScore } from "@/app/_lib/api";
import { Alert } from "./Alert";

const METRICS = ["R1@0.3", "R1@0.5", "R1@0.7", "mIoU"] as const;

/** GET /api/evaluation as a table: one row per model version. */
export function EvaluationView() {
  const [versions, setVersions] = useState<VersionScore[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const ac = new AbortController();
    getEvaluation(ac.signal)
      .then(setVersions)
      .catch((err: unknown) => {
        if (err instanceof DOMException && err.name === "AbortError") return;
        setError(errorMessage(err, "The evaluation could not be loaded."));
      });
    return () => ac.abort();
  }, []);

  if (error) return <Alert tone="error">{error}</Alert>;
  if (!versions) return <div className="h-32 animate-pulse rounded-xl bg-zinc-900" aria-busy="true" aria-label="Loading the evaluation" />;
  if (versions.length === 0) {
    return (
      <div className="rounded-xl border border-dashed border-zinc-800 px-4 py-12 text-center text-sm text-zinc-400" data-testid="evaluation-empty">
        No accepted or corrected spans yet.{" "}
        <Link href="/review" className="font-medium text-indigo-300 hover:text-indigo-200">
          Review some items
        </Link>{" "}
        to measure the models.
      </div>
    );
  }
  return (
    <div className="overflow-x-auto rounded-xl border border-zinc-800">
      <table className="w-full text-sm" data-testid="evaluation-table">
        <caption className="sr-only">Recall at 1 for IoU 0.3, 0.5 and 0.7, and mean IoU, in percent, per model version</caption>
        <thead className="bg-zinc-900/80 text-left text-xs text-zinc-400">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">
              Model version
            </th>
            <th scope="col" className="px-4 py-2 text-right font-medium">
              Spans
            </th>
            {METRICS.map((m) => (
              <th key={m} scope="col" className="px-4 py-2 text-right font-medium">
                {m}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-800">
          {versions.map((v) => (
            <tr key={v.modelVersion} data-testid="evaluation-row" data-model-version={v.modelVersion}>
              <th scope="row" className="px-4 py-2 text-left font-mono text-xs font-normal text-zinc-200">
                {v.modelVersion}
              </th>
              <td className="px-4 py-2 text-right tabular-nums" data-testid="evaluation-count">
                {v.count}
              </td>
              {METRICS.map((m) => (
                <td key={m} className="px-4 py-2 text-right tabular-nums" data-testid={`evaluation-${m}`}>
                  {v[m].toFixed(1)}%
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
