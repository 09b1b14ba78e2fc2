-- 0002: the calls and turns each deal took to each milestone (0 when not
-- reached), so that a team's pace per persona is read from columns and an
-- index rather than from every stored scorecard.
ALTER TABLE deals ADD COLUMN need_call   INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deals ADD COLUMN need_turns  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deals ADD COLUMN offer_call  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deals ADD COLUMN offer_turns INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deals ADD COLUMN deal_call   INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deals ADD COLUMN deal_turns  INTEGER NOT NULL DEFAULT 0;
CREATE INDEX deals_team_persona ON deals (team, persona_id);

-- Deals stored before: the turns before the milestone's call are the sum
-- of the earlier calls' turns in calls_detail.
UPDATE deals SET
	need_call = COALESCE(json_extract(scorecard, '$.milestones.need.call'), 0),
	need_turns = CASE WHEN json_extract(scorecard, '$.milestones.need.reached') THEN
		json_extract(scorecard, '$.milestones.need.turn') + (SELECT COALESCE(SUM(json_extract(c.value, '$.turns')), 0)
			FROM json_each(scorecard, '$.calls_detail') c
			WHERE json_extract(c.value, '$.call') < json_extract(scorecard, '$.milestones.need.call')) ELSE 0 END,
	offer_call = COALESCE(json_extract(scorecard, '$.milestones.offer.call'), 0),
	offer_turns = CASE WHEN json_extract(scorecard, '$.milestones.offer.reached') THEN
		json_extract(scorecard, '$.milestones.offer.turn') + (SELECT COALESCE(SUM(json_extract(c.value, '$.turns')), 0)
			FROM json_each(scorecard, '$.calls_detail') c
			WHERE json_extract(c.value, '$.call') < json_extract(scorecard, '$.milestones.offer.call')) ELSE 0 END,
	deal_call = COALESCE(json_extract(scorecard, '$.milestones.deal.call'), 0),
	deal_turns = CASE WHEN json_extract(scorecard, '$.milestones.deal.reached') THEN
		json_extract(scorecard, '$.milestones.deal.turn') + (SELECT COALESCE(SUM(json_extract(c.value, '$.turns')), 0)
			FROM json_each(scorecard, '$.calls_detail') c
			WHERE json_extract(c.value, '$.call') < json_extract(scorecard, '$.milestones.deal.call')) ELSE 0 END
WHERE scorecard IS NOT NULL;
