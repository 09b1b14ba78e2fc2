-- 0003: a turn writes its event and the deal's summary columns; the full
-- scorecard is written when a call ends or the deal finishes.
-- scorecard_seq is the event the stored scorecard was made after: when it
-- is behind last_seq, the scorecard is rebuilt from the events on read.
-- price_agreed and time_agreed are the deal's commitment, for lists and CSV.
ALTER TABLE deals ADD COLUMN scorecard_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deals ADD COLUMN price_agreed  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deals ADD COLUMN time_agreed   INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deals ADD COLUMN in_call       INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deals ADD COLUMN persona_version TEXT NOT NULL DEFAULT '';
CREATE INDEX deals_team_effective_score ON deals (team, COALESCE(override_score, score));
CREATE INDEX deals_user_persona ON deals (user_id, persona_id);

UPDATE deals SET
	scorecard_seq = last_seq,
	persona_version = COALESCE(json_extract(scorecard, '$.persona_version'), ''),
	price_agreed = COALESCE(json_extract(scorecard, '$.commitment.price'), 0),
	time_agreed = COALESCE(json_extract(scorecard, '$.commitment.time'), 0),
	in_call = CASE WHEN NOT over AND json_array_length(scorecard, '$.calls_detail') > 0
		AND json_extract(scorecard, '$.calls_detail[#-1].ended_by') = '' THEN 1 ELSE 0 END
WHERE scorecard IS NOT NULL;
