-- Withdrawal-watch triggers that fired (package performance): one row per
-- withdrawn cell and month, recorded the first time the watch saw it fire,
-- so that leadership is alerted once per withdrawal.
CREATE TABLE perf_watch_triggers (
	cell       INTEGER NOT NULL,
	month      TEXT NOT NULL,
	area       TEXT NOT NULL DEFAULT '',
	mission    TEXT NOT NULL DEFAULT '',
	location   TEXT NOT NULL DEFAULT '',
	evidence   TEXT NOT NULL,
	first_seen TEXT NOT NULL,
	notified   INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (cell, month)
);
