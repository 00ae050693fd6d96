-- Each clip's own object-slot statistics (ml/encoders.ts objectSlotStatistics: per object colour,
-- its components' area, position, size, fill and radial fill over the clip's frames), beside the
-- relevance features. The span verifier reads the slot of a sentence's colour: the scorer's
-- features sum the slots and lose which colour has which shape. Half precision like relevance;
-- NULL for clips stored before (the verifier stays silent on them until they are re-embedded).
ALTER TABLE clips ADD COLUMN slots halfvec;
ALTER TABLE clips_pending ADD COLUMN slots halfvec;
