-- 0001: users, sessions, deals with their events and scorecards, coaches'
-- comments and overrides, team settings.
--
-- Times are TEXT in UTC, fixed width ("2006-01-02T15:04:05.000000000Z"), so
-- they sort and compare as strings.

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	username      TEXT NOT NULL,
	username_key  TEXT NOT NULL UNIQUE, -- lower-cased: usernames are unique case-insensitively
	name          TEXT NOT NULL DEFAULT '',
	role          TEXT NOT NULL CHECK (role IN ('trainee', 'coach', 'admin')),
	team          TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL,        -- bcrypt
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL
);
CREATE INDEX users_team ON users (team);

CREATE TABLE sessions (
	token_hash BLOB PRIMARY KEY,        -- SHA-256 of the token; the token itself is never stored
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- A deal goes with its trainee: deleting a user deletes their deals.
CREATE TABLE deals (
	id             TEXT PRIMARY KEY,
	user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	team           TEXT NOT NULL,       -- the trainee's team when the deal began
	persona_id     TEXT NOT NULL,
	scenario       TEXT NOT NULL DEFAULT '',
	lang           TEXT NOT NULL,
	seed           INTEGER NOT NULL,
	created_at     TEXT NOT NULL,
	updated_at     TEXT NOT NULL,
	last_seq       INTEGER NOT NULL DEFAULT 0,

	-- The latest scorecard as the engine made it (never recalculated here),
	-- and what filters and stats need from it.
	scorecard      TEXT,                -- JSON; NULL before the first event
	engine_version TEXT NOT NULL DEFAULT '',
	over           INTEGER NOT NULL DEFAULT 0,
	furthest       INTEGER NOT NULL DEFAULT 0, -- 0 none, 1 need, 2 offer, 3 deal
	outcome        TEXT NOT NULL DEFAULT 'none',
	score          INTEGER NOT NULL DEFAULT 0, -- the scorecard's
	override_score INTEGER,                    -- the latest override's, if any
	calls          INTEGER NOT NULL DEFAULT 0,
	turns          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX deals_created ON deals (created_at);
CREATE INDEX deals_team_created ON deals (team, created_at);
CREATE INDEX deals_user_created ON deals (user_id, created_at);

CREATE TABLE events (
	deal_id TEXT NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
	seq     INTEGER NOT NULL CHECK (seq >= 1),
	kind    TEXT NOT NULL,
	goal    TEXT NOT NULL DEFAULT '',
	text    TEXT NOT NULL DEFAULT '',
	at      TEXT NOT NULL,
	PRIMARY KEY (deal_id, seq)
);

-- Finding codes of a deal's latest scorecard, counted, for team stats.
CREATE TABLE deal_findings (
	deal_id  TEXT NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
	code     TEXT NOT NULL,
	severity TEXT NOT NULL,
	n        INTEGER NOT NULL,
	PRIMARY KEY (deal_id, code, severity)
);

-- author_name keeps the author's name as it was, for when the author is
-- deleted.
CREATE TABLE comments (
	id          INTEGER PRIMARY KEY,
	deal_id     TEXT NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
	call        INTEGER NOT NULL,
	turn        INTEGER NOT NULL,
	author_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
	author_name TEXT NOT NULL,
	text        TEXT NOT NULL,
	created_at  TEXT NOT NULL
);
CREATE INDEX comments_deal ON comments (deal_id);

CREATE TABLE overrides (
	id          INTEGER PRIMARY KEY,
	deal_id     TEXT NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
	author_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
	author_name TEXT NOT NULL,
	score       INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
	reason      TEXT NOT NULL,
	created_at  TEXT NOT NULL
);
CREATE INDEX overrides_deal ON overrides (deal_id);

CREATE TABLE team_settings (
	team           TEXT PRIMARY KEY,
	hints_disabled INTEGER NOT NULL DEFAULT 0,
	updated_at     TEXT NOT NULL
);
