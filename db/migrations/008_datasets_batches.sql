-- Imported moment datasets, their (video, sentence[, span]) queries, batch predictions
-- that turn queries into review items, and the app's settings.
CREATE TABLE datasets (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- 'moments' (shared/datasets.md), 'charades' (Charades-STA text), 'activitynet' (ActivityNet Captions JSON)
  format      text NOT NULL CHECK (format IN ('moments', 'charades', 'activitynet')),
  created_by  uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE dataset_queries (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  dataset_id  uuid NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
  -- the video's id inside the dataset, and the library video it was matched to
  dataset_video text NOT NULL,
  video_id    uuid REFERENCES videos (id) ON DELETE CASCADE,
  sentence    text NOT NULL CHECK (length(sentence) BETWEEN 1 AND 500),
  -- the dataset's own span, when it has one (weak queries have none)
  start_s     double precision,
  end_s       double precision,
  position    integer NOT NULL,
  CHECK ((start_s IS NULL) = (end_s IS NULL)),
  CHECK (start_s IS NULL OR end_s > start_s)
);
CREATE INDEX dataset_queries_dataset_idx ON dataset_queries (dataset_id, position);

-- A background job that asks the grounder for the span of many (video, sentence) pairs
-- and files each as a review item.
CREATE TABLE review_batches (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name         text NOT NULL,
  dataset_id   uuid REFERENCES datasets (id) ON DELETE SET NULL,
  -- the pairs still to predict, in order: [{videoId, sentence}]
  pairs        jsonb NOT NULL,
  status       text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  total        integer NOT NULL CHECK (total >= 0),
  done         integer NOT NULL DEFAULT 0,
  failed       integer NOT NULL DEFAULT 0,
  errors       jsonb NOT NULL DEFAULT '[]',
  error        text,
  created_by   uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  started_at   timestamptz,
  finished_at  timestamptz
);
CREATE INDEX review_batches_created_idx ON review_batches (created_at DESC);

ALTER TABLE review_items ADD COLUMN batch_id uuid REFERENCES review_batches (id) ON DELETE SET NULL;
-- the position of the pair in its batch: a retried job skips pairs it already filed
ALTER TABLE review_items ADD COLUMN batch_position integer;
CREATE UNIQUE INDEX review_items_batch_position_idx ON review_items (batch_id, batch_position) WHERE batch_id IS NOT NULL;

CREATE TABLE settings (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- 'imported': batch predictions over an imported dataset's queries
ALTER TABLE review_items DROP CONSTRAINT review_items_source_check;
ALTER TABLE review_items ADD CONSTRAINT review_items_source_check CHECK (source IN ('flagged', 'batch', 'described', 'imported'));

-- batch jobs are leased too; they concern no single video
ALTER TABLE job_leases ALTER COLUMN video_id DROP NOT NULL;
