-- 0005: what the trainee was shown of the customer's answer on a turn, when
-- an LLM voice reworded the engine's line, why a rewording was dropped and
-- how long the voice took (the engine's line stays the one
-- the deal is replayed and scored on).
ALTER TABLE events ADD COLUMN shown TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN voice_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN voice_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN voice_tokens INTEGER NOT NULL DEFAULT 0;
-- Per deal, for lists and the CSV: turns voiced, voicings dropped by the
-- guard, the time the voice took and the tokens its model spent.
ALTER TABLE deals ADD COLUMN voiced_turns INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deals ADD COLUMN voice_dropped INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deals ADD COLUMN voice_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deals ADD COLUMN voice_tokens INTEGER NOT NULL DEFAULT 0;
