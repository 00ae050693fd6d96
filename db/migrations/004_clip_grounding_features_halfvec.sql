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
-- half precision ends at ±65504: clamp larger stored values first (as new inserts are), or the
-- conversion would fail and block the upgrade
UPDATE clips
   SET ground_features = (SELECT array_agg(LEAST(GREATEST(x, -65504), 65504) ORDER BY i)::vector
                            FROM unnest(ground_features::real[]) WITH ORDINALITY AS u(x, i))
 WHERE ground_features IS NOT NULL
   AND EXISTS (SELECT 1 FROM unnest(ground_features::real[]) AS v(x) WHERE abs(x) > 65504);
ALTER TABLE clips ALTER COLUMN ground_features TYPE halfvec USING ground_features::halfvec;
