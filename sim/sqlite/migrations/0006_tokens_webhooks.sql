-- 0006: API tokens for other tools, and webhooks with their delivery log.
--
-- An API token goes with the user who made it: deleting the user revokes
-- their tokens. Only the SHA-256 of a token's secret is stored. Ids are
-- never reused (AUTOINCREMENT): a token's id is part of it and of its
-- displayed prefix.
CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	name         TEXT NOT NULL,
	secret_hash  BLOB NOT NULL,        -- SHA-256 of the secret part
	team         TEXT NOT NULL,        -- one team, or '*' for every team
	access       TEXT NOT NULL CHECK (access IN ('read', 'read_write')),
	created_by   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at   TEXT NOT NULL,
	last_used_at TEXT                  -- NULL until used; updated at most once a minute
);
CREATE INDEX api_tokens_created_by ON api_tokens (created_by);

-- A webhook's secret signs its deliveries, so it is stored as it is.
CREATE TABLE webhooks (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	url        TEXT NOT NULL,
	events     TEXT NOT NULL,          -- comma-separated: deal.scored,deal.overridden
	team       TEXT NOT NULL DEFAULT '', -- '' for every team
	secret     TEXT NOT NULL,
	created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
	created_at TEXT NOT NULL
);

-- One row per event sent to a hook, updated after each attempt. The deal
-- is not a foreign key: the log outlives a deleted deal.
CREATE TABLE webhook_deliveries (
	id          INTEGER PRIMARY KEY,
	webhook_id  INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
	event       TEXT NOT NULL,
	deal_id     TEXT NOT NULL,
	state       TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
	attempts    INTEGER NOT NULL DEFAULT 0,
	status_code INTEGER NOT NULL DEFAULT 0,
	error       TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL
);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (webhook_id, id DESC);
