-- The escalation webhook's outbox (alerts.Notice): a notice is written in
-- the transaction that escalates (by hand or overdue; another capability's
-- notice, e.g. a withdrawal-watch trigger, on its own), then posted by the
-- server's delivery loop with bounded retries and marked sent; a crash
-- between the two loses nothing. notice_key is sent with the notice
-- (Idempotency-Key, "notice_id") so that the receiver recognises a notice
-- sent again after a crash. body is the JSON posted, no more: no
-- reporter's number, name or message. Rows are deleted
-- alerts.NoticeKeep after they were sent or given up.
CREATE TABLE alert_notices (
	id         {{id}},
	notice_key TEXT    NOT NULL UNIQUE,
	body       TEXT    NOT NULL,
	created    TEXT    NOT NULL,
	tries      INTEGER NOT NULL DEFAULT 0,
	next_at    TEXT    NOT NULL,
	sent_at    TEXT,
	gave_up_at TEXT,
	last_error TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX alert_notices_due ON alert_notices (next_at) WHERE sent_at IS NULL AND gave_up_at IS NULL;
