/**
 * Liveness of ingestion workers. Each worker holds a lease it renews every third of
 * WORKER_LEASE_SECONDS and records the jobs it runs against it. Every worker also reaps:
 * a lease not renewed for WORKER_LEASE_SECONDS belongs to a dead worker (SIGKILL, lost
 * machine), whose jobs are failed back to pg-boss, which retries them with backoff.
 * pg-boss's own expiry (JOB_TIMEOUT_SECONDS) stays as the last resort.
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import * as leases from "@/db/repositories/leases";
import * as videosRepo from "@/db/repositories/videos";
import type { Context } from "../context";
import type { Queue } from "../queue";

export interface WorkerLease {
  id: string;
  take(jobId: string, queue: string, videoId: string | null): Promise<void>;
  release(jobId: string): Promise<void>;
  stop(): Promise<void>;
}

/** Fails the jobs of dead workers back to the queue; returns how many. */
export async function reapDeadWorkers(
  ctx: Context,
  queue: Queue,
  leaseSeconds: number,
  log: (m: string) => void,
): Promise<number> {
  const expired = await leases.reapExpiredWorkers(ctx.db, leaseSeconds);
  for (const job of expired) {
    log(`${job.videoId ?? job.queue}: its worker stopped answering; retrying the job`);
    if (job.videoId)
      await videosRepo.markRetrying(ctx.db, job.videoId, "the worker processing this video stopped; retrying");
    await queue.boss.fail(job.queue, job.jobId, { message: "worker lease expired" });
  }
  return expired.length;
}

export async function holdLease(
  ctx: Context,
  queue: Queue,
  o: { leaseSeconds: number; log: (m: string) => void; onLost: () => void },
): Promise<WorkerLease> {
  const id = randomUUID();
  await leases.registerWorker(ctx.db, { id, host: os.hostname(), pid: process.pid });
  let stopped = false;
  let beating: Promise<void> = Promise.resolve();
  const beat = async () => {
    try {
      if (!(await leases.heartbeat(ctx.db, id))) {
        o.log("this worker's lease was taken away (it did not answer for a while); its jobs went to other workers");
        o.onLost();
        await leases.registerWorker(ctx.db, { id, host: os.hostname(), pid: process.pid });
      }
      await reapDeadWorkers(ctx, queue, o.leaseSeconds, o.log);
    } catch (err) {
      o.log(`heartbeat failed: ${(err as Error).message}`);
    }
  };
  const timer = setInterval(
    () => {
      if (!stopped) beating = beating.then(beat);
    },
    Math.max(250, (o.leaseSeconds * 1000) / 3),
  );
  timer.unref();
  beating = beating.then(() =>
    reapDeadWorkers(ctx, queue, o.leaseSeconds, o.log).then(
      () => undefined,
      () => undefined,
    ),
  );
  return {
    id,
    take: (jobId, queueName, videoId) => leases.takeJob(ctx.db, { jobId, queue: queueName, workerId: id, videoId }),
    release: (jobId) => leases.releaseJob(ctx.db, jobId),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await beating;
      await leases.removeWorker(ctx.db, id).catch(() => undefined);
    },
  };
}
