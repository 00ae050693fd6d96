-- One name for the relevance scorer's per-clip features everywhere (SQL, TypeScript, docs):
-- clips.ground_features becomes clips.relevance, beside clips.embedding. A rename keeps the
-- stored values and the type (halfvec) as they are; nothing is rewritten.
ALTER TABLE clips RENAME COLUMN ground_features TO relevance;
