-- The grounding features in half precision: search fetches them for every candidate video, and
-- that fetch was the largest stage of a search (docs/benchmarks.md). Half precision keeps 11
-- significant bits, far finer than the scorer needs; the embeddings (HNSW) stay float32.
DO $$
DECLARE v text := (SELECT extversion FROM pg_extension WHERE extname = 'vector');
BEGIN
  IF string_to_array(split_part(v, '-', 1), '.')::int[] < ARRAY[0, 7] THEN
    RAISE EXCEPTION 'pgvector % is too old: MomentSearch needs 0.7 or newer (halfvec). Install a newer pgvector, then run ALTER EXTENSION vector UPDATE', v;
  END IF;
END $$;
ALTER TABLE clips ALTER COLUMN ground_features TYPE halfvec USING ground_features::halfvec;
