/**
 * The ingestion job queue: pg-boss on the same Postgres (embedded or server), so
 * workers can run anywhere that reaches the database and jobs survive restarts. A job
 * that throws, or whose worker dies (no completion within the timeout), is retried up
 * to `retryLimit` times; after that pg-boss moves it to the dead-letter queue, where a
 * worker marks the video failed.
 */
import PgBoss from "pg-boss";

export const INGEST_QUEUE = "ingest-video";
export const INGEST_DEAD_QUEUE = "ingest-video-dead";

/** Batch predictions: the grounder's span for many (video, sentence) pairs, filed as review items. */
export const REVIEW_BATCH_QUEUE = "review-batch";

/** On-screen text of a ready video (lib/ocr/job.ts). */
export const OCR_QUEUE = "ocr-video";

/**
 * Training a model version on the library's sentences (lib/training/job.ts). A run outlives the
 * ingestion timeout: its expiry is the last resort only (a dead worker's lease sends it back at
 * once), and a retried run resumes from its last checkpoint.
 */
export const TRAIN_QUEUE = "train-model";
/** Training jobs whose every attempt died with its worker: a worker marks the version failed. */
export const TRAIN_DEAD_QUEUE = "train-model-dead";
const TRAIN_EXPIRE_SECONDS = 23 * 3600;

export interface TrainJob {
  version: number;
}

export interface IngestJob {
  videoId: string;
}

export interface ReviewBatchJob {
  batchId: string;
}

/**
 * Re-embedding the library for a pending model version (lib/models/reembed.ts). One job at a
 * time ("stately": at most one queued and one running), whatever the version: the job works on
 * whichever version model_state names as pending.
 */
export const REEMBED_QUEUE = "reembed-version";
const REEMBED_KEY = "library";

export interface ReembedJob {
  /** the version pending when the job was queued (informational: the job reads model_state) */
  version: number;
}

export interface Queue {
  boss: PgBoss;
  enqueueIngest(videoId: string): Promise<string | null>;
  /** null when a re-embedding job is already queued (it serves whichever version is pending) */
  enqueueReembed(version: number): Promise<string | null>;
  /** `startAfterSeconds`: a batch waiting for its videos to finish processing looks again later */
  enqueueReviewBatch(batchId: string, startAfterSeconds?: number): Promise<string | null>;
  enqueueOcr(videoId: string): Promise<string | null>;
  enqueueTraining(version: number): Promise<string | null>;
  stop(): Promise<void>;
}

export async function startQueue(
  connectionString: string,
  o: { retryLimit: number; timeoutSeconds: number; supervise?: boolean },
): Promise<Queue> {
  const boss = new PgBoss({
    connectionString,
    max: 3,
    // Only workers run maintenance (expiring dead jobs, archiving); web processes just send.
    supervise: o.supervise ?? false,
    schedule: false,
  });
  boss.on("error", (err) => console.error("[queue]", err.message));
  await boss.start();
  // every work queue retries with backoff; pg-boss refuses a queue that exists already
  const retrying = (name: string, extra: Record<string, unknown> = {}) =>
    boss
      .createQueue(name, {
        name,
        retryLimit: o.retryLimit,
        retryDelay: 2,
        retryBackoff: true,
        expireInSeconds: o.timeoutSeconds,
        ...extra,
      })
      .catch(ignoreExists);
  await boss.createQueue(INGEST_DEAD_QUEUE, { name: INGEST_DEAD_QUEUE, retryLimit: 0 }).catch(ignoreExists);
  await retrying(INGEST_QUEUE, { deadLetter: INGEST_DEAD_QUEUE });
  // a batch job resumes where it stopped, so retrying it is always safe
  await retrying(REVIEW_BATCH_QUEUE);
  // a re-embedding resumes where it stopped (staged videos are skipped), so retrying is safe
  await retrying(REEMBED_QUEUE, { policy: "stately" });
  await retrying(OCR_QUEUE);
  await boss.createQueue(TRAIN_DEAD_QUEUE, { name: TRAIN_DEAD_QUEUE, retryLimit: 0 }).catch(ignoreExists);
  await retrying(TRAIN_QUEUE, { expireInSeconds: TRAIN_EXPIRE_SECONDS, deadLetter: TRAIN_DEAD_QUEUE });
  return {
    boss,
    enqueueReembed: (version) =>
      boss.send(REEMBED_QUEUE, { version } satisfies ReembedJob, { singletonKey: REEMBED_KEY }),
    // singletonKey: a video is never queued twice at the same time.
    enqueueIngest: (videoId) => boss.send(INGEST_QUEUE, { videoId } satisfies IngestJob, { singletonKey: videoId }),
    enqueueOcr: (videoId) => boss.send(OCR_QUEUE, { videoId } satisfies IngestJob, { singletonKey: videoId }),
    enqueueReviewBatch: (batchId, startAfterSeconds = 0) =>
      boss.send(
        REVIEW_BATCH_QUEUE,
        { batchId } satisfies ReviewBatchJob,
        startAfterSeconds ? { startAfter: startAfterSeconds } : {},
      ),
    enqueueTraining: (version) =>
      boss.send(TRAIN_QUEUE, { version } satisfies TrainJob, { singletonKey: `version-${version}` }),
    stop: () => boss.stop({ graceful: true, wait: true, timeout: 10_000 }),
  };
}

function ignoreExists(err: Error): void {
  if (!/already exists/i.test(err.message)) throw err;
}

/**
 * Jobs left `active` by a worker that is known to be gone (the embedded database has a
 * single owner, so at its start no worker can be running) are failed now, which sends
 * them to retry at once instead of after the expiry timeout.
 */
export async function requeueOrphanedJobs(queue: Queue, reason: string): Promise<number> {
  const rows = await queue.boss
    .getDb()
    .executeSql("SELECT id FROM pgboss.job WHERE name = $1 AND state = 'active'", [INGEST_QUEUE]);
  const ids = (rows as { rows: { id: string }[] }).rows.map((r) => r.id);
  for (const id of ids) await queue.boss.fail(INGEST_QUEUE, id, { message: reason });
  return ids.length;
}
