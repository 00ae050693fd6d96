-- Sentences people type to describe what happens in a video, without times: weak
-- captions the models can be retrained on (issue 22).
CREATE TABLE video_descriptions (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  video_id   uuid NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
  sentence   text NOT NULL CHECK (length(sentence) BETWEEN 1 AND 500),
  added_by   uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- the order they were typed in (several arrive in one statement, with one created_at)
  seq        bigint GENERATED ALWAYS AS IDENTITY
);
CREATE UNIQUE INDEX video_descriptions_sentence_idx ON video_descriptions (video_id, lower(sentence));
