-- 0005: what the trainee was shown of the customer's answer on a turn, when
-- an LLM voice reworded the engine's line (the engine's line stays the one
-- the deal is replayed and scored on).
ALTER TABLE events ADD COLUMN shown TEXT NOT NULL DEFAULT '';
