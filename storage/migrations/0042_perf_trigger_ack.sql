-- A leadership alert (a withdrawal-watch trigger) acknowledged by a leader
-- or analyst: who, when (RFC 3339 UTC, '' while unacknowledged) and their
-- note. An acknowledged alert leaves the navigation's count.
ALTER TABLE perf_watch_triggers ADD COLUMN acked_by TEXT NOT NULL DEFAULT '';
ALTER TABLE perf_watch_triggers ADD COLUMN acked_at TEXT NOT NULL DEFAULT '';
ALTER TABLE perf_watch_triggers ADD COLUMN ack_note TEXT NOT NULL DEFAULT '';
