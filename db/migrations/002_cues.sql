-- Subtitle / caption cues: timed text that full-text search ranks beside the embeddings.
CREATE TABLE cues (
  video_id uuid NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
  idx      integer NOT NULL,
  start_s  double precision NOT NULL,
  end_s    double precision NOT NULL,
  text     text NOT NULL,
  -- 'sidecar' (.srt/.vtt beside the upload), 'embedded' (a subtitle stream), 'dataset'
  source   text NOT NULL,
  tsv      tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED,
  PRIMARY KEY (video_id, idx)
);

CREATE INDEX cues_tsv_idx ON cues USING gin (tsv);
