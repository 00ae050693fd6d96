-- The grounding features in half precision: search fetches them for every candidate video, and
-- that fetch was the largest stage of a search (docs/benchmarks.md). Half precision keeps ~3
-- significant digits, far finer than the scorer needs; the embeddings (HNSW) stay float32.
ALTER TABLE clips ALTER COLUMN ground_features TYPE halfvec USING ground_features::halfvec;
