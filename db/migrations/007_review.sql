-- Review: a model's predicted span for a (video, sentence), waiting for annotators, and
-- their decisions. A decision keeps the prediction it judged, so an item's model
-- version and span can be evaluated long after the models changed.
CREATE TABLE review_items (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  video_id           uuid NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
  sentence           text NOT NULL CHECK (length(sentence) BETWEEN 1 AND 500),
  -- 'flagged' (a search result someone marked), 'batch' (batch predictions), 'described'
  -- (a sentence an annotator typed for the video)
  source             text NOT NULL CHECK (source IN ('flagged', 'batch', 'described')),
  model_version      text NOT NULL,
  pred_start         double precision NOT NULL,
  pred_end           double precision NOT NULL CHECK (pred_end > pred_start),
  alternatives       jsonb NOT NULL DEFAULT '[]',
  -- how many annotators should decide this item
  annotations_wanted integer NOT NULL DEFAULT 1 CHECK (annotations_wanted >= 1),
  created_by         uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  -- one annotator holds an item at a time, until the claim expires
  claimed_by         uuid REFERENCES users (id) ON DELETE SET NULL,
  claim_expires_at   timestamptz
);
CREATE INDEX review_items_queue_idx ON review_items (created_at, id);
CREATE INDEX review_items_video_idx ON review_items (video_id);

-- an annotator put the item aside: it comes back to them after everything else
CREATE TABLE review_skips (
  item_id    uuid NOT NULL REFERENCES review_items (id) ON DELETE CASCADE,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  skipped_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (item_id, user_id)
);

CREATE TABLE annotations (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  item_id       uuid NOT NULL REFERENCES review_items (id) ON DELETE CASCADE,
  annotator_id  uuid REFERENCES users (id) ON DELETE SET NULL,
  decision      text NOT NULL CHECK (decision IN ('accept', 'reject', 'correct')),
  -- the span the annotator says is right: the prediction (accept), theirs (correct), none (reject)
  start_s       double precision,
  end_s         double precision,
  sentence      text NOT NULL,
  not_in_video  boolean NOT NULL DEFAULT false,
  model_version text NOT NULL,
  pred_start    double precision NOT NULL,
  pred_end      double precision NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  undone_at     timestamptz,
  CHECK ((decision = 'reject') = (start_s IS NULL AND end_s IS NULL)),
  CHECK (start_s IS NULL OR end_s > start_s)
);
CREATE INDEX annotations_item_idx ON annotations (item_id) WHERE undone_at IS NULL;
CREATE INDEX annotations_annotator_idx ON annotations (annotator_id, created_at DESC);
