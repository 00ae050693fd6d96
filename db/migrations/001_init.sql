-- Videos, their fixed-length clips and the embeddings that search runs on.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE videos (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  original_name text NOT NULL,
  stored_path   text NOT NULL,
  sha256        text NOT NULL UNIQUE,
  bytes         bigint NOT NULL,
  duration      double precision,
  fps           double precision,
  width         integer,
  height        integer,
  codec         text,
  container     text,
  status        text NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'processing', 'ready', 'failed')),
  progress      real NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 100),
  error         text,
  -- a non-fatal problem, e.g. a truncated file that decoded only partly
  warning       text,
  attempts      integer NOT NULL DEFAULT 0,
  model_version text,
  clip_seconds  double precision,
  poster_path   text,
  sprite_path   text,
  sprite        jsonb,
  -- mean of the clip embeddings, l2-normalised: video-level retrieval
  embedding     vector(128),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  ready_at      timestamptz
);

CREATE INDEX videos_status_idx ON videos (status);
CREATE INDEX videos_created_idx ON videos (created_at DESC);

CREATE TABLE clips (
  video_id  uuid NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
  idx       integer NOT NULL,
  start_s   double precision NOT NULL,
  end_s     double precision NOT NULL,
  embedding vector(128) NOT NULL,
  PRIMARY KEY (video_id, idx),
  CHECK (end_s > start_s)
);

CREATE INDEX clips_embedding_hnsw ON clips USING hnsw (embedding vector_cosine_ops);
CREATE INDEX videos_embedding_hnsw ON videos USING hnsw (embedding vector_cosine_ops);
