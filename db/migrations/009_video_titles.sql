-- A title people choose, separate from the uploaded file's name; the library sorts and
-- searches by it (or by the file name while there is none), by duration, by date.
ALTER TABLE videos ADD COLUMN title text CHECK (title IS NULL OR length(title) BETWEEN 1 AND 255);
-- when the current processing attempt started: the estimate of time left comes from it
ALTER TABLE videos ADD COLUMN processing_started_at timestamptz;
CREATE INDEX videos_display_name_idx ON videos (lower(coalesce(title, original_name)), id);
CREATE INDEX videos_duration_idx ON videos (duration, id);
CREATE INDEX videos_status_created_idx ON videos (status, created_at DESC);
