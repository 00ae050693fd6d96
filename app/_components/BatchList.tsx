"use client";

import { useState } from "react";
import type { BatchDto } from "@/app/_lib/datasets-api";
import { Alert } from "./Alert";
import { BatchProgress } from "./BatchProgress";
import { EmptyNote } from "./EmptyNote";

/** How many batches show before "Show all". */
const SHOWN = 8;

/** GET /api/review/batches, newest first, each with its live progress. */
export function BatchList({ batches, error }: { batches: BatchDto[] | null; error: string | null }) {
  const [all, setAll] = useState(false);
  if (error && !batches) return <Alert tone="error">{error}</Alert>;
  if (!batches)
    return (
      <div
        className="h-20 animate-pulse rounded-xl bg-zinc-900"
        aria-busy="true"
        aria-label="Loading the batch predictions"
      />
    );
  if (batches.length === 0) {
    return (
      <EmptyNote testId="batches-empty">
        No batch predictions yet. Import a dataset with &ldquo;Queue predictions for review&rdquo;, press &ldquo;Predict
        for review&rdquo; on a dataset, or type several sentences for a video on its page.
      </EmptyNote>
    );
  }
  const shown = all ? batches : batches.slice(0, SHOWN);
  return (
    <div className="space-y-2">
      {error && (
        <Alert tone="warning" title="The progress could not be refreshed">
          {error}
        </Alert>
      )}
      <ul className="space-y-2" data-testid="batch-list">
        {shown.map((b) => (
          <li
            key={b.id}
            className="rounded-xl border border-zinc-800 bg-zinc-900/60 p-3"
            data-testid="batch-row"
            data-batch-id={b.id}
            data-status={b.status}
          >
            <BatchProgress batch={b} />
          </li>
        ))}
      </ul>
      {batches.length > SHOWN && (
        <button
          type="button"
          onClick={() => setAll((v) => !v)}
          aria-expanded={all}
          className="rounded-md px-2 py-1 text-sm font-medium text-indigo-300 hover:text-indigo-200 max-sm:min-h-11"
        >
          {all ? "Show fewer" : `Show all ${batches.length}`}
        </button>
      )}
    </div>
  );
}
