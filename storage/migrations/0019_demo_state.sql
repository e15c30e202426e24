-- What `vigil serve --demo` loaded (package demo): one row per kind of demo
-- material ("events", "alerts", "survey", "forecast:osv:priogrid" …) with
-- its state ("done", "computing", "failed: …"), so that a later start
-- recomputes nothing and the UI can say which data are demo material
-- (GET /api/v1/demo).
CREATE TABLE demo_state (
	name       TEXT PRIMARY KEY,
	state      TEXT NOT NULL,
	updated_at TEXT NOT NULL -- RFC 3339 UTC
);
