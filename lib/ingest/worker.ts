/**
 * The ingestion worker: takes jobs from the queue and runs the pipeline. Runs inside
 * `npm start` (as a child process) or on its own (`npm run worker`), any number of
 * times, on any machine that reaches the database.
 */
import type PgBoss from "pg-boss";
import { getState } from "@/db/repositories/model-versions";
import * as videosRepo from "@/db/repositories/videos";
import type { Context } from "../context";
import {
  INGEST_DEAD_QUEUE,
  INGEST_QUEUE,
  OCR_QUEUE,
  REEMBED_QUEUE,
  REVIEW_BATCH_QUEUE,
  TRAIN_DEAD_QUEUE,
  TRAIN_QUEUE,
  startQueue,
  type IngestJob,
  type Queue,
  type ReembedJob,
  type ReviewBatchJob,
  type TrainJob,
} from "../queue";
import { runOcr, stopOcrEngine } from "../ocr/job";
import { failBatch, handleBatchJob } from "../review/batches";
import { failTraining, runTraining, TrainingInputError } from "../training/job";
import { getClipEncoder } from "../models";
import { failReembed, handleReembedJob } from "../models/reembed";
import { holdLease } from "./leases";
import { IngestError, ingestVideo } from "./pipeline";

export interface Worker {
  stop(): Promise<void>;
}

/**
 * `onLeaseLost`: called when this worker was presumed dead (it did not renew its lease
 * in time) and its jobs were handed out again; `npm run worker` exits so that it never
 * works on a video another worker now has.
 */
export async function startWorker(
  ctx: Context,
  o: { concurrency?: number; log?: (msg: string) => void; onLeaseLost?: () => void } = {},
): Promise<Worker> {
  const log = o.log ?? ((m: string) => console.log(`[worker] ${m}`));
  const queue: Queue = await startQueue(ctx.config.databaseUrl!, {
    retryLimit: ctx.config.jobRetryLimit,
    timeoutSeconds: ctx.config.jobTimeoutSeconds,
    supervise: true,
  });
  const concurrency = o.concurrency ?? ctx.config.workerConcurrency;
  const lease = await holdLease(ctx, queue, {
    leaseSeconds: ctx.config.workerLeaseSeconds,
    log,
    onLost: o.onLeaseLost ?? (() => undefined),
  });
  const handle = async ([job]: PgBoss.JobWithMetadata<IngestJob>[]) => {
    const { videoId } = job.data;
    await lease.take(job.id, INGEST_QUEUE, videoId);
    try {
      await run(job, videoId);
    } finally {
      await lease.release(job.id).catch(() => undefined);
    }
  };
  const run = async (job: PgBoss.JobWithMetadata<IngestJob>, videoId: string) => {
    const attempt = job.retryCount + 1;
    log(`${videoId}: start (attempt ${attempt} of ${job.retryLimit + 1})`);
    const t0 = Date.now();
    try {
      // OCR shows as waiting from the start: it follows as soon as the clips are in
      if (ctx.config.ocr)
        await videosRepo.setOcrState(ctx.db, videoId, { status: "queued", progress: 0 }, { unlessDone: true });
      const result = await ingestVideo(ctx, videoId);
      log(`${videoId}: ${result} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      if (result === "ready") await queueOcr(videoId);
    } catch (err) {
      const message = (err as Error).message || String(err);
      log(`${videoId}: attempt ${attempt} failed: ${message}`);
      if (err instanceof IngestError && err.permanent) {
        // Retrying cannot help: fail the video once, with the reason, and end the job.
        await videosRepo.markFailed(ctx.db, videoId, message);
        return;
      }
      if (job.retryCount >= job.retryLimit) await videosRepo.markFailed(ctx.db, videoId, message);
      else await videosRepo.markRetrying(ctx.db, videoId, `attempt ${attempt} failed, retrying: ${message}`);
      throw err;
    }
  };
  // On-screen text, once a video is searchable by its clips; not again after a re-embed.
  const queueOcr = async (videoId: string) => {
    const v = await videosRepo.findVideo(ctx.db, videoId);
    if (!v || v.ocrStatus === "done") return;
    if (!ctx.config.ocr) {
      await videosRepo.setOcrState(ctx.db, videoId, { status: "off", progress: 0 });
      return;
    }
    await videosRepo.setOcrState(ctx.db, videoId, { status: "queued", progress: 0 });
    await queue.enqueueOcr(videoId);
  };
  for (let i = 0; i < concurrency; i++) {
    await queue.boss.work<IngestJob>(
      INGEST_QUEUE,
      { batchSize: 1, pollingIntervalSeconds: 1, includeMetadata: true },
      handle,
    );
  }
  // Jobs that exhausted their retries without reaching the handler's catch (their worker
  // died each time) land here: the video must not stay "processing" forever.
  await queue.boss.work<IngestJob>(
    INGEST_DEAD_QUEUE,
    { batchSize: 1, pollingIntervalSeconds: 2, includeMetadata: true },
    async ([job]) => {
      const v = await videosRepo.findVideo(ctx.db, job.data.videoId);
      if (v && v.status !== "ready" && v.status !== "failed") {
        await videosRepo.markFailed(
          ctx.db,
          v.id,
          v.error ?? "processing was interrupted too many times (the worker stopped or timed out)",
        );
      }
    },
  );
  if (ctx.config.ocr) {
    await queue.boss.work<IngestJob>(
      OCR_QUEUE,
      { batchSize: 1, pollingIntervalSeconds: 1, includeMetadata: true },
      async ([job]) => {
        const { videoId } = job.data;
        await lease.take(job.id, OCR_QUEUE, null);
        try {
          await runOcr(ctx, videoId, log);
        } catch (err) {
          const message = (err as Error).message || String(err);
          log(`${videoId}: on-screen text failed (attempt ${job.retryCount + 1}): ${message}`);
          await videosRepo
            .setOcrState(ctx.db, videoId, {
              status: job.retryCount >= job.retryLimit ? "failed" : "queued",
              error: message,
            })
            .catch(() => undefined);
          throw err;
        } finally {
          await lease.release(job.id).catch(() => undefined);
        }
      },
    );
    // videos from before OCR (or from while it was off) are read now, in the background
    const unread = await videosRepo.findVideosWithoutOcr(ctx.db);
    for (const id of unread) await queueOcr(id);
    if (unread.length) log(`reading on-screen text of ${unread.length} video(s) added before OCR was on`);
  }
  // Re-embedding the library for a model version about to become active (lib/models/reembed.ts).
  await queue.boss.work<ReembedJob>(
    REEMBED_QUEUE,
    { batchSize: 1, pollingIntervalSeconds: 1, includeMetadata: true },
    async ([job]) => {
      await lease.take(job.id, REEMBED_QUEUE, null);
      try {
        await handleReembedJob(ctx, queue, log);
      } catch (err) {
        const message = (err as Error).message || String(err);
        log(`re-embedding for model version ${job.data.version}: attempt ${job.retryCount + 1} failed: ${message}`);
        if (job.retryCount >= job.retryLimit) await failReembed(ctx, message);
        throw err;
      } finally {
        await lease.release(job.id).catch(() => undefined);
      }
    },
  );
  // a switch whose job was lost (a restored backup, a database reset of the queue) goes on
  const { pending } = await getState(ctx.db);
  if (pending !== null) await queue.enqueueReembed(pending);
  // Batch predictions for review, one slice per job (lib/review/batches.ts).
  await queue.boss.work<ReviewBatchJob>(
    REVIEW_BATCH_QUEUE,
    { batchSize: 1, pollingIntervalSeconds: 1, includeMetadata: true },
    async ([job]) => {
      const { batchId } = job.data;
      await lease.take(job.id, REVIEW_BATCH_QUEUE, null);
      try {
        await handleBatchJob(ctx, queue, batchId, log);
      } catch (err) {
        const message = (err as Error).message || String(err);
        log(`batch ${batchId}: attempt ${job.retryCount + 1} failed: ${message}`);
        if (job.retryCount >= job.retryLimit) await failBatch(ctx, batchId, message);
        throw err;
      } finally {
        await lease.release(job.id).catch(() => undefined);
      }
    },
  );
  // Training model versions on the library's sentences (lib/training/job.ts), one run at a time.
  await queue.boss.work<TrainJob>(
    TRAIN_QUEUE,
    { batchSize: 1, pollingIntervalSeconds: 1, includeMetadata: true },
    async ([job]) => {
      const { version } = job.data;
      await lease.take(job.id, TRAIN_QUEUE, null);
      try {
        log(`model version ${version}: training (attempt ${job.retryCount + 1} of ${job.retryLimit + 1})`);
        const result = await runTraining(ctx, version, { log });
        log(`model version ${version}: ${result}`);
      } catch (err) {
        const message = (err as Error).message || String(err);
        log(`model version ${version}: attempt ${job.retryCount + 1} failed: ${message}`);
        // a retry resumes from the last checkpoint; bad input or the last attempt fails the version
        if (err instanceof TrainingInputError || job.retryCount >= job.retryLimit) {
          await failTraining(ctx, version, message);
          if (err instanceof TrainingInputError) return;
        }
        throw err;
      } finally {
        await lease.release(job.id).catch(() => undefined);
      }
    },
  );
  // a run whose every attempt died with its worker must not stay 'training' (and block the next)
  await queue.boss.work<TrainJob>(
    TRAIN_DEAD_QUEUE,
    { batchSize: 1, pollingIntervalSeconds: 2, includeMetadata: true },
    async ([job]) => {
      await failTraining(
        ctx,
        job.data.version,
        "training was interrupted too many times (its worker stopped each time)",
      );
    },
  );
  // Embeddings from another model version are not comparable with today's queries:
  // re-embed them (once per video; singleton jobs keep several workers from doubling up).
  const encoder = await getClipEncoder(ctx);
  const stale = await videosRepo.findStaleVideos(ctx.db, encoder.version);
  for (const id of stale) await queue.enqueueIngest(id);
  if (stale.length) log(`re-embedding ${stale.length} video(s) indexed with an older model than ${encoder.version}`);
  log(`listening on "${INGEST_QUEUE}" with concurrency ${concurrency}`);
  return {
    async stop() {
      await queue.stop();
      await lease.stop();
      await stopOcrEngine();
    },
  };
}
