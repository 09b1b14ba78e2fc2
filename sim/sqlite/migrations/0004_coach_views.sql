-- 0004: indexes for the coach's views, so that they read indexes rather
-- than rows: a deal's summary columns come after its stored scorecard in
-- the row, and reading them from the row reads the scorecard's pages too.
--
-- A list pages by seeking an index in its own sort order (newest first, or
-- highest effective score first, the id breaking ties), and the desk's
-- filters (trainee, persona, outcome, dates) and the total are answered
-- from the same index. deals_team_date also holds every column TeamStats
-- reads. The queries of sim/sqlite spell COALESCE(override_score, score)
-- exactly as here, for SQLite to match the indexed expression.
DROP INDEX deals_created;
DROP INDEX deals_team_created;
DROP INDEX deals_user_created;
DROP INDEX deals_team_effective_score;

CREATE INDEX deals_date ON deals (created_at DESC, id);
CREATE INDEX deals_user_date ON deals (user_id, created_at DESC, id);
CREATE INDEX deals_team_score ON deals (team, COALESCE(override_score, score) DESC, created_at DESC, id,
	user_id, persona_id, outcome);
CREATE INDEX deals_team_date ON deals (team, created_at DESC, id,
	user_id, persona_id, outcome, last_seq, furthest, calls, turns, COALESCE(override_score, score),
	need_call, need_turns, offer_call, offer_turns, deal_call, deal_turns);

-- A deal's finding counts, read per deal by TeamStats: without a rowid,
-- the primary key's b-tree holds the count too, so no lookup follows.
CREATE TABLE deal_findings_new (
	deal_id  TEXT NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
	code     TEXT NOT NULL,
	severity TEXT NOT NULL,
	n        INTEGER NOT NULL,
	PRIMARY KEY (deal_id, code, severity)
) WITHOUT ROWID;
INSERT INTO deal_findings_new (deal_id, code, severity, n) SELECT deal_id, code, severity, n FROM deal_findings;
DROP TABLE deal_findings;
ALTER TABLE deal_findings_new RENAME TO deal_findings;
