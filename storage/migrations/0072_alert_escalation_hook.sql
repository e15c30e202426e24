-- The escalation webhook set by an administrator on Administration →
-- Escalation notices (alerts.HookStore): one row at most (id 1), its URL
-- sealed with the key ring (aad alert_escalation_hook.url: it often
-- carries a token), who set it and when. It wins over vigil serve's
-- --alerts-escalation-url; every server on the database reads it at its
-- next post.
CREATE TABLE alert_escalation_hook (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	url_sealed {{blob}} NOT NULL,
	updated    TEXT NOT NULL,
	updated_by TEXT NOT NULL
);
