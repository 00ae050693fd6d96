"use client";

import { useId, useState } from "react";
import { errorMessage } from "@/app/_lib/api";
import { FORMAT_NAMES, predictDataset, type BatchDto, type DatasetDto } from "@/app/_lib/datasets-api";
import { formatDate } from "@/app/_lib/format";
import { Alert } from "./Alert";
import { DataTable } from "./DataTable";
import { EmptyNote } from "./EmptyNote";
import { SECONDARY_BUTTON, Success } from "./forms";

interface DatasetListProps {
  datasets: DatasetDto[] | null;
  error: string | null;
  /** a batch was queued for a dataset */
  onBatch: (batch: BatchDto) => void;
}

/** GET /api/datasets as a table, each dataset with a "Predict for review" button. */
export function DatasetList({ datasets, error, onBatch }: DatasetListProps) {
  const id = useId();
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ datasetId: string; message: string } | null>(null);
  const [queued, setQueued] = useState<BatchDto | null>(null);

  const predict = async (d: DatasetDto) => {
    setBusy(d.id);
    setFailure(null);
    setQueued(null);
    try {
      const batch = await predictDataset(d.id);
      setQueued(batch);
      onBatch(batch);
    } catch (err) {
      setFailure({ datasetId: d.id, message: errorMessage(err, "The predictions could not be queued.") });
    } finally {
      setBusy(null);
    }
  };

  if (error) return <Alert tone="error">{error}</Alert>;
  if (!datasets)
    return (
      <div className="h-24 animate-pulse rounded-xl bg-zinc-900" aria-busy="true" aria-label="Loading the datasets" />
    );
  if (datasets.length === 0) {
    return <EmptyNote testId="datasets-empty">No dataset imported yet.</EmptyNote>;
  }
  const failed = failure && datasets.find((d) => d.id === failure.datasetId);
  return (
    <div className="space-y-3">
      {failure && (
        <Alert tone="error" title={failed ? `Predictions for “${failed.name}” could not be queued` : undefined}>
          {failure.message}
        </Alert>
      )}
      {queued && (
        <Success testId="dataset-predict-queued">
          {queued.total} {queued.total === 1 ? "prediction" : "predictions"} for &ldquo;{queued.name}&rdquo; queued:
          follow {queued.total === 1 ? "it" : "them"} under Batch predictions.
        </Success>
      )}
      <DataTable
        testId="datasets-table"
        caption="Imported datasets"
        columns={[
          "Name",
          "Format",
          { key: "videos", label: "Videos", numeric: true },
          {
            key: "queries",
            label: (
              <>
                Queries <span className="font-normal">(timed)</span>
              </>
            ),
            numeric: true,
          },
          "Created",
          { key: "actions", label: <span className="sr-only">Actions</span> },
        ]}
      >
        <tbody className="divide-y divide-zinc-800">
          {datasets.map((d) => (
            <tr key={d.id} data-testid="dataset-row" data-dataset-id={d.id}>
              <th
                scope="row"
                id={`${id}-${d.id}`}
                className="max-w-xs truncate px-4 py-2 text-left font-medium text-zinc-100"
                title={d.name}
              >
                {d.name}
              </th>
              <td className="whitespace-nowrap px-4 py-2 text-zinc-300">{FORMAT_NAMES[d.format] ?? d.format}</td>
              <td className="px-4 py-2 text-right tabular-nums text-zinc-300" data-testid="dataset-videos">
                {d.videos}
              </td>
              <td
                className="whitespace-nowrap px-4 py-2 text-right tabular-nums text-zinc-300"
                data-testid="dataset-queries"
              >
                {d.queries} <span className="text-zinc-400">({d.timedQueries})</span>
              </td>
              <td className="whitespace-nowrap px-4 py-2 text-zinc-300">
                <time dateTime={d.createdAt}>{formatDate(d.createdAt)}</time>
              </td>
              <td className="px-4 py-2 text-right">
                {d.videos === 0 ? (
                  <span className="whitespace-nowrap text-xs text-zinc-400">No video in the library</span>
                ) : (
                  <button
                    type="button"
                    onClick={() => void predict(d)}
                    disabled={busy !== null}
                    aria-describedby={`${id}-${d.id}`}
                    className={`${SECONDARY_BUTTON} whitespace-nowrap max-sm:min-h-11`}
                    data-testid="dataset-predict"
                  >
                    {busy === d.id ? "Queuing…" : "Predict for review"}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </DataTable>
    </div>
  );
}
