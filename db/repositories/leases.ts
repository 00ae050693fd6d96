/** All SQL touching `worker_leases` and `job_leases`. Times come from the database's clock, so workers on machines with skewed clocks agree. */
import type { Queryable } from "../pool";

export async function registerWorker(db: Queryable, w: { id: string; host: string; pid: number }): Promise<void> {
  await db.query(
    `INSERT INTO worker_leases (id, host, pid) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()`,
    [w.id, w.host, w.pid],
  );
}

/** Renews the lease; false when it was already taken away (the worker was presumed dead). */
export async function heartbeat(db: Queryable, workerId: string): Promise<boolean> {
  const r = await db.query("UPDATE worker_leases SET heartbeat_at = now() WHERE id = $1", [workerId]);
  return (r.rowCount ?? 0) > 0;
}

export async function removeWorker(db: Queryable, workerId: string): Promise<void> {
  await db.query("DELETE FROM worker_leases WHERE id = $1", [workerId]);
}

export async function takeJob(
  db: Queryable,
  j: { jobId: string; queue: string; workerId: string; videoId: string | null },
): Promise<void> {
  await db.query(
    `INSERT INTO job_leases (job_id, queue, worker_id, video_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (job_id) DO UPDATE SET worker_id = EXCLUDED.worker_id, started_at = now()`,
    [j.jobId, j.queue, j.workerId, j.videoId],
  );
}

export async function releaseJob(db: Queryable, jobId: string): Promise<void> {
  await db.query("DELETE FROM job_leases WHERE job_id = $1", [jobId]);
}

export interface ExpiredJob {
  jobId: string;
  queue: string;
  /** null for jobs that concern no single video (batch predictions) */
  videoId: string | null;
  workerId: string;
}

/**
 * Removes the leases of workers silent for `leaseSeconds` and returns the jobs they
 * held. One statement: of two reapers running at once, only one gets each job.
 */
export async function reapExpiredWorkers(db: Queryable, leaseSeconds: number): Promise<ExpiredJob[]> {
  const r = await db.query<{ job_id: string; queue: string; video_id: string | null; worker_id: string }>(
    `WITH dead AS (
       DELETE FROM worker_leases WHERE heartbeat_at < now() - make_interval(secs => $1) RETURNING id
     )
     SELECT j.job_id, j.queue, j.video_id, j.worker_id FROM job_leases j JOIN dead ON dead.id = j.worker_id`,
    [leaseSeconds],
  );
  return r.rows.map((row) => ({ jobId: row.job_id, queue: row.queue, videoId: row.video_id, workerId: row.worker_id }));
}
