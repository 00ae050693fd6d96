/**
 * Batch predictions: the grounder proposes a span for each of many (video, sentence)
 * pairs — an imported dataset's queries, or sentences typed for a video — and each
 * becomes a review item. Runs in the workers as a pg-boss job, in slices of at most
 * SLICE_SECONDS that re-queue the rest, so a long batch never outlives the job timeout
 * and never starves ingestion; a crashed slice is retried and skips what was filed.
 */
import * as batches from "@/db/repositories/batches";
import type { Batch, BatchPair } from "@/db/repositories/batches";
import * as datasetsRepo from "@/db/repositories/datasets";
import * as videosRepo from "@/db/repositories/videos";
import { isDatabaseUnavailable } from "@/db/pool";
import type { Context } from "../context";
import type { Queue } from "../queue";
import { AppError, badRequest, notFound } from "../errors";
import { createItem } from "./service";

export const MAX_BATCH_PAIRS = 10_000;
const SLICE_SECONDS = 60;
/** how long a batch waits before looking again at videos still processing */
const WAIT_FOR_VIDEOS_SECONDS = 3;

export interface BatchDto {
  id: string;
  name: string;
  datasetId: string | null;
  status: Batch["status"];
  total: number;
  done: number;
  failed: number;
  errors: { videoId: string; sentence: string; message: string }[];
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

export function toBatchDto(b: Batch): BatchDto {
  return {
    id: b.id,
    name: b.name,
    datasetId: b.datasetId,
    status: b.status,
    total: b.total,
    done: b.done,
    failed: b.failed,
    errors: b.errors.slice(0, 20).map(({ videoId, sentence, message }) => ({ videoId, sentence, message })),
    createdAt: b.createdAt.toISOString(),
    startedAt: b.startedAt?.toISOString() ?? null,
    finishedAt: b.finishedAt?.toISOString() ?? null,
    error: b.error,
  };
}

/** Records the batch and queues its job. Pairs must name library videos; sentences are trimmed. */
export async function startBatch(
  ctx: Context,
  o: { name: string; datasetId?: string | null; pairs: BatchPair[]; createdBy: string | null },
): Promise<Batch> {
  const pairs = o.pairs.map((p) => ({ videoId: p.videoId.toLowerCase(), sentence: p.sentence.trim() }));
  if (pairs.length === 0) throw badRequest("The batch has no (video, sentence) pairs.", "empty_batch");
  if (pairs.length > MAX_BATCH_PAIRS)
    throw new AppError(
      413,
      "payload_too_large",
      `A batch holds at most ${MAX_BATCH_PAIRS} pairs; this one has ${pairs.length}.`,
    );
  const empty = pairs.findIndex((p) => !p.sentence);
  if (empty >= 0) throw badRequest(`Pair ${empty + 1} has an empty sentence.`, "empty_sentence");
  const known = await videosRepo.existingVideoIds(ctx.db, [...new Set(pairs.map((p) => p.videoId))]);
  const unknown = pairs.find((p) => !known.has(p.videoId));
  if (unknown) throw notFound(`No video with id ${unknown.videoId}.`);
  const batch = await batches.insertBatch(ctx.db, {
    name: o.name,
    datasetId: o.datasetId ?? null,
    pairs,
    createdBy: o.createdBy,
  });
  await (await ctx.queue()).enqueueReviewBatch(batch.id);
  return batch;
}

/** Batch predictions over an imported dataset's queries whose videos are in the library. */
export async function startDatasetBatch(ctx: Context, datasetId: string, createdBy: string | null): Promise<Batch> {
  const dataset = await datasetsRepo.findDataset(ctx.db, datasetId);
  if (!dataset) throw notFound(`No dataset with id ${datasetId}.`);
  const queries = await datasetsRepo.listDatasetQueries(ctx.db, datasetId);
  const pairs = queries.filter((q) => q.videoId).map((q) => ({ videoId: q.videoId!, sentence: q.sentence }));
  if (pairs.length === 0)
    throw badRequest(`The dataset "${dataset.name}" has no query whose video is in the library.`, "empty_batch");
  return startBatch(ctx, { name: dataset.name, datasetId, pairs, createdBy });
}

export async function getBatch(ctx: Context, id: string): Promise<Batch> {
  const b = await batches.findBatch(ctx.db, id);
  if (!b) throw notFound(`No batch with id ${id}.`);
  return b;
}

export type SliceOutcome = "done" | "continue" | "waiting";

/**
 * Files items for the batch's pairs not yet done, in order, for up to `sliceSeconds`.
 * Pairs whose video is still processing wait; a video that failed fails its pairs.
 * "continue" / "waiting": the caller queues the batch again (at once / a little later).
 */
export async function runBatchSlice(
  ctx: Context,
  batchId: string,
  o: { sliceSeconds?: number; log?: (m: string) => void } = {},
): Promise<SliceOutcome> {
  const batch = await batches.findBatch(ctx.db, batchId);
  if (!batch || batch.status === "done" || batch.status === "failed") return "done";
  await batches.markRunning(ctx.db, batchId);
  const pairs = await batches.batchPairs(ctx.db, batchId);
  const finished = await batches.finishedPositions(ctx.db, batchId);
  const deadline = Date.now() + (o.sliceSeconds ?? SLICE_SECONDS) * 1000;
  const source = batch.datasetId ? "imported" : "batch";
  const statuses = new Map<string, string | null>();
  const statusOf = async (videoId: string) => {
    if (!statuses.has(videoId)) statuses.set(videoId, (await videosRepo.findVideo(ctx.db, videoId))?.status ?? null);
    return statuses.get(videoId);
  };
  let waiting = false;
  for (let position = 0; position < pairs.length; position++) {
    if (finished.has(position)) continue;
    if (Date.now() > deadline) return "continue";
    const { videoId, sentence } = pairs[position];
    const status = await statusOf(videoId);
    if (status === "queued" || status === "processing") {
      waiting = true;
      continue;
    }
    try {
      if (status === null) throw new Error("the video was deleted");
      if (status === "failed") throw new Error("the video failed to process");
      await createItem(ctx, {
        videoId,
        sentence,
        source,
        createdBy: batch.createdBy,
        batch: { id: batchId, position },
      });
      await batches.refreshProgress(ctx.db, batchId);
    } catch (err) {
      // an outage is not the pair's fault: the job fails and is retried from here
      if (isDatabaseUnavailable(err)) throw err;
      const message = (err as Error).message || String(err);
      o.log?.(`batch ${batchId}: pair ${position + 1} (${videoId}) failed: ${message}`);
      await batches.recordFailure(ctx.db, batchId, { position, videoId, sentence, message });
    }
  }
  if (waiting) return "waiting";
  await batches.finish(ctx.db, batchId, { status: "done" });
  return "done";
}

/** The worker's handler for one job: a slice, then the batch queued again if it is not done. */
export async function handleBatchJob(
  ctx: Context,
  queue: Queue,
  batchId: string,
  log?: (m: string) => void,
): Promise<void> {
  const outcome = await runBatchSlice(ctx, batchId, { log });
  if (outcome === "continue") await queue.enqueueReviewBatch(batchId);
  if (outcome === "waiting") await queue.enqueueReviewBatch(batchId, WAIT_FOR_VIDEOS_SECONDS);
}

/** Marks a batch failed when its job exhausted its retries. */
export async function failBatch(ctx: Context, batchId: string, message: string): Promise<void> {
  await batches.finish(ctx.db, batchId, { status: "failed", error: message });
}
