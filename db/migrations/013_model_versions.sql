-- Versioned models (issue 22): every trained set of weights is a version; version 1 is the
-- shipped models/ folder, version N ≥ 2 lives in DATA_DIR/models/<N>/ (docs/models.md).
CREATE TABLE model_versions (
  version      integer PRIMARY KEY CHECK (version >= 1),
  parent       integer REFERENCES model_versions (version),
  status       text NOT NULL CHECK (status IN ('training', 'evaluating', 'ready', 'active', 'failed', 'cancelled')),
  -- the components retrained for this version ('relevance', 'cpl', 'locvtp'); the others are the parent's
  models       text[] NOT NULL,
  -- 'shipped' for version 1, else the training recipe ('quick', 'library', 'shapes', …)
  recipe       text NOT NULL,
  -- the training sentences' sources (subtitles, descriptions, datasets, review items, …)
  sources      text[] NOT NULL DEFAULT '{}',
  seed         integer,
  -- what it was trained on: videos, sentences per source, the held-out split
  data         jsonb NOT NULL DEFAULT '{}',
  -- {annotated: {n, r1_03, r1_05, r1_07, miou}, heldOut: {...}, active: {...}} once evaluated
  metrics      jsonb,
  -- 0..1 of the current phase ('features', 'training', 'evaluating', 're-embedding')
  progress     real NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
  phase        text,
  eta_seconds  real,
  -- loss points [{step, loss, model, at}] appended while training, thinned to at most 2000
  curve        jsonb NOT NULL DEFAULT '[]',
  -- the last checkpoint written (a crashed run resumes from it)
  checkpoint   text,
  error        text,
  job_id       text,
  requested_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  started_at   timestamptz,
  finished_at  timestamptz,
  activated_at timestamptz
);

INSERT INTO model_versions (version, parent, status, models, recipe, started_at, finished_at, activated_at)
VALUES (1, NULL, 'active', '{}', 'shipped', now(), now(), now());

-- Which version answers searches, and the one whose clip vectors are being recomputed before
-- it takes over (the switch is one transaction: lib/models/activation.ts). One row.
CREATE TABLE model_state (
  id               boolean PRIMARY KEY DEFAULT true CHECK (id),
  active           integer NOT NULL REFERENCES model_versions (version),
  pending          integer REFERENCES model_versions (version),
  pending_progress real NOT NULL DEFAULT 0,
  pending_done     integer NOT NULL DEFAULT 0,
  pending_total    integer NOT NULL DEFAULT 0,
  CHECK (pending IS NULL OR pending <> active)
);
INSERT INTO model_state (id, active) VALUES (true, 1);

-- The version whose encoder made each clip's vectors (all of them are version 1's so far).
ALTER TABLE clips ADD COLUMN model_version integer NOT NULL DEFAULT 1;

-- Vectors recomputed for a pending version: the same columns as clips, staged here until the
-- switch moves them into clips in one transaction, so search never sees two versions at once.
CREATE TABLE clips_pending (
  video_id      uuid NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
  idx           integer NOT NULL,
  start_s       double precision NOT NULL,
  end_s         double precision NOT NULL,
  embedding     vector(128) NOT NULL,
  relevance     halfvec,
  model_version integer NOT NULL REFERENCES model_versions (version) ON DELETE CASCADE,
  PRIMARY KEY (model_version, video_id, idx),
  CHECK (end_s > start_s)
);

-- One row per video re-embedded for a pending version, written with its clips_pending rows:
-- the video-level vector the switch copies into videos, and the mark that the video is done
-- (a restarted re-embedding skips it).
CREATE TABLE videos_pending (
  video_id      uuid NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
  model_version integer NOT NULL REFERENCES model_versions (version) ON DELETE CASCADE,
  -- the encoder's own version string (videos.model_version)
  encoder       text NOT NULL,
  embedding     vector(128) NOT NULL,
  PRIMARY KEY (model_version, video_id)
);
