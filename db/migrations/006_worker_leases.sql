-- Worker leases: each ingestion worker heartbeats its row; a job it takes is recorded
-- against it. A worker whose heartbeat is older than the lease is dead (killed, machine
-- gone), and its jobs go back to the queue at once instead of after pg-boss's expiry.
CREATE TABLE worker_leases (
  id           uuid PRIMARY KEY,
  host         text NOT NULL,
  pid          integer NOT NULL,
  started_at   timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE job_leases (
  job_id     uuid PRIMARY KEY,
  queue      text NOT NULL,
  worker_id  uuid NOT NULL REFERENCES worker_leases (id) ON DELETE CASCADE,
  video_id   uuid NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX job_leases_worker_idx ON job_leases (worker_id);
