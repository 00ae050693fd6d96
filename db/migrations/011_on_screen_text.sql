-- On-screen text (OCR) as cues beside subtitles, fuzzy text search, and OCR's own progress.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- 'ocr': text read on the frames. Subtitle sources (sidecar, embedded, dataset) replace
-- each other; OCR cues are replaced on their own. Cue numbers restart per source.
ALTER TABLE cues DROP CONSTRAINT cues_pkey;
ALTER TABLE cues ADD PRIMARY KEY (video_id, source, idx);
-- misread words ("revenve") still find their cue: trigram similarity on the text
CREATE INDEX cues_text_trgm_idx ON cues USING gin (lower(text) gin_trgm_ops);

-- OCR runs after a video is ready (it never holds search back): null = not run (OCR off
-- or a video from before), queued, running, done, failed
ALTER TABLE videos ADD COLUMN ocr_status text CHECK (ocr_status IN ('queued', 'running', 'done', 'failed', 'off'));
ALTER TABLE videos ADD COLUMN ocr_progress real NOT NULL DEFAULT 0;
ALTER TABLE videos ADD COLUMN ocr_error text;
