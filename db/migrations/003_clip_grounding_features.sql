-- Per-clip features the grounder reads besides the embedding (the relevance scorer's clip
-- tower, ml/models/relevance.ts). Unsized vector: its width belongs to the model, not the
-- schema; no index (only fetched per candidate video). NULL for clips embedded without it.
ALTER TABLE clips ADD COLUMN ground_features vector;
