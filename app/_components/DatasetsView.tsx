"use client";

import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { errorMessage } from "@/app/_lib/api";
import {
  isBatchActive,
  listBatches,
  listDatasets,
  type BatchDto,
  type DatasetDto,
  type ImportResponse,
} from "@/app/_lib/datasets-api";
import { usePolling } from "@/app/_lib/usePolling";
import { POLL_MS } from "@/app/_lib/useVideoList";
import { BatchList } from "./BatchList";
import { DatasetExport } from "./DatasetExport";
import { DatasetImport } from "./DatasetImport";
import { DatasetList } from "./DatasetList";
import { TrainingData } from "./TrainingData";

/** A request's answer, or its message (null when it was aborted). */
type Loaded<T> = { ok: true; value: T } | { ok: false; error: string | null };

/** Never rejects: effects hand the outcome to a setter in a callback. */
function load<T>(p: Promise<T>, fallback: string): Promise<Loaded<T>> {
  return p.then(
    (value): Loaded<T> => ({ ok: true, value }),
    (err: unknown): Loaded<T> => ({
      ok: false,
      error: err instanceof DOMException && err.name === "AbortError" ? null : errorMessage(err, fallback),
    }),
  );
}

function Section({
  id,
  title,
  description,
  children,
}: {
  id: string;
  title: string;
  description?: string;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <div>
        <h2 id={id} className="text-lg font-semibold tracking-tight text-zinc-100">
          {title}
        </h2>
        {description && <p className="mt-0.5 text-sm text-zinc-400">{description}</p>}
      </div>
      {children}
    </section>
  );
}

/**
 * The /datasets page: import, the datasets with "Predict for review", the batch
 * predictions (polled while any is queued or running), the export, and the training
 * data (the library's sentences by source, and the videos without any).
 */
export function DatasetsView() {
  const [datasets, setDatasets] = useState<DatasetDto[] | null>(null);
  const [datasetsError, setDatasetsError] = useState<string | null>(null);
  const [batches, setBatches] = useState<BatchDto[] | null>(null);
  const [batchesError, setBatchesError] = useState<string | null>(null);
  // a list fetched before a batch was added here must not hide that batch
  const batchGeneration = useRef(0);
  // an import brings sentences: the training data is counted again
  const [imports, setImports] = useState(0);

  const applyDatasets = useCallback((r: Loaded<DatasetDto[]>) => {
    if (r.ok) {
      setDatasets(r.value);
      setDatasetsError(null);
    } else if (r.error !== null) setDatasetsError(r.error);
  }, []);

  const applyBatches = useCallback((generation: number, r: Loaded<BatchDto[]>) => {
    if (generation !== batchGeneration.current) return;
    if (r.ok) {
      setBatches(r.value);
      setBatchesError(null);
    } else if (r.error !== null) setBatchesError(r.error);
  }, []);

  const reloadBatches = useCallback(() => {
    const generation = batchGeneration.current;
    return load(listBatches(), "The batch predictions could not be loaded.").then((r) => applyBatches(generation, r));
  }, [applyBatches]);

  useEffect(() => {
    const ac = new AbortController();
    const generation = batchGeneration.current;
    load(listDatasets(ac.signal), "The datasets could not be loaded.").then(applyDatasets);
    load(listBatches(ac.signal), "The batch predictions could not be loaded.").then((r) => applyBatches(generation, r));
    return () => ac.abort();
  }, [applyDatasets, applyBatches]);

  usePolling(reloadBatches, POLL_MS, batches?.some(isBatchActive) ?? false);

  const addBatch = useCallback((b: BatchDto) => {
    batchGeneration.current++;
    setBatches((cur) => [b, ...(cur ?? []).filter((x) => x.id !== b.id)]);
  }, []);

  const onImported = useCallback(
    (r: ImportResponse) => {
      if (r.batch) addBatch(r.batch);
      setImports((n) => n + 1);
      void load(listDatasets(), "The datasets could not be loaded.").then(applyDatasets);
    },
    [addBatch, applyDatasets],
  );

  return (
    <div className="space-y-10">
      <DatasetImport batches={batches} onImported={onImported} />
      <Section
        id="datasets-h"
        title="Datasets"
        description="Imported datasets: their videos found in the library and their sentences (queries), with or without a span."
      >
        <DatasetList datasets={datasets} error={datasetsError} onBatch={addBatch} />
      </Section>
      <Section
        id="batches-h"
        title="Batch predictions"
        description="The model proposes a span for each sentence in the background; each becomes an item of the review queue."
      >
        <BatchList batches={batches} error={batchesError} />
      </Section>
      <Section
        id="export-h"
        title="Export"
        description="What annotators decided, as a moment dataset in the shared format."
      >
        <DatasetExport />
      </Section>
      <Section
        id="training-h"
        title="Training data"
        description="The sentences retraining learns from, per video: typed descriptions, subtitles, imported datasets and review items. No times needed."
      >
        <TrainingData refreshKey={imports} />
      </Section>
    </div>
  );
}
