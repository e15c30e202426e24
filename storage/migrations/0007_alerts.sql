-- Community alert network (package alerts). Reporter phone numbers and
-- names, channel secrets and outgoing recipients are AES-GCM ciphertext
-- (package crypt); times are RFC 3339 UTC text with microseconds.
CREATE TABLE alert_channels (
	id          {{id}},
	chan_key    TEXT    NOT NULL UNIQUE,
	kind        TEXT    NOT NULL,
	name        TEXT    NOT NULL,
	legal_basis TEXT    NOT NULL,
	created     TEXT    NOT NULL,
	disabled    INTEGER NOT NULL DEFAULT 0,
	secret      {{blob}}
);
CREATE TABLE alert_incidents (
	id           {{id}},
	status       TEXT    NOT NULL,
	priority     TEXT    NOT NULL DEFAULT '',
	assignee     TEXT    NOT NULL DEFAULT '',
	title        TEXT    NOT NULL DEFAULT '',
	summary      TEXT    NOT NULL DEFAULT '',
	loc_status   TEXT    NOT NULL,
	loc_text     TEXT    NOT NULL DEFAULT '',
	loc_note     TEXT    NOT NULL DEFAULT '',
	loc_place    TEXT    NOT NULL DEFAULT '',
	lat          {{real}},
	lon          {{real}},
	precision_m  {{real}}    NOT NULL DEFAULT 0,
	first_at     TEXT    NOT NULL,
	last_at      TEXT    NOT NULL,
	alert_count  INTEGER NOT NULL DEFAULT 0,
	triaged_at   TEXT,
	verified_at  TEXT,
	responded_at TEXT,
	resolved_at  TEXT,
	closed_at    TEXT,
	escalated_at TEXT,
	event_id     {{int}},
	cap_count    INTEGER NOT NULL DEFAULT 0,
	updated_at   TEXT    NOT NULL
);
CREATE INDEX alert_incidents_open ON alert_incidents (status, last_at);
CREATE INDEX alert_incidents_first ON alert_incidents (first_at);
CREATE TABLE alerts (
	id          {{id}},
	channel_id  {{int}} NOT NULL REFERENCES alert_channels (id),
	incident_id {{int}} NOT NULL REFERENCES alert_incidents (id),
	gateway_id  TEXT,
	message     TEXT    NOT NULL,
	received_at TEXT    NOT NULL,
	sent_at     TEXT,
	sent_to     TEXT    NOT NULL DEFAULT '',
	phone       {{blob}},
	name        {{blob}},
	anonymised  INTEGER NOT NULL DEFAULT 0,
	loc_status  TEXT    NOT NULL,
	loc_text    TEXT    NOT NULL DEFAULT '',
	loc_note    TEXT    NOT NULL DEFAULT '',
	loc_place   TEXT    NOT NULL DEFAULT '',
	lat         {{real}},
	lon         {{real}},
	precision_m {{real}}    NOT NULL DEFAULT 0,
	UNIQUE (channel_id, gateway_id)
);
CREATE INDEX alerts_incident ON alerts (incident_id, id);
CREATE INDEX alerts_received ON alerts (received_at);
CREATE TABLE alert_log (
	id          {{id}},
	incident_id {{int}} NOT NULL REFERENCES alert_incidents (id),
	at          TEXT    NOT NULL,
	actor       TEXT    NOT NULL,
	kind        TEXT    NOT NULL,
	text        TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX alert_log_incident ON alert_log (incident_id, id);
CREATE TABLE alert_cap (
	id          {{id}},
	incident_id {{int}} NOT NULL REFERENCES alert_incidents (id),
	identifier  TEXT    NOT NULL UNIQUE,
	sent        TEXT    NOT NULL,
	headline    TEXT    NOT NULL,
	xml         {{blob}}    NOT NULL
);
CREATE INDEX alert_cap_incident ON alert_cap (incident_id, id);
CREATE TABLE alert_outbox (
	id         {{id}},
	channel_id {{int}} NOT NULL REFERENCES alert_channels (id),
	alert_id   {{int}} NOT NULL REFERENCES alerts (id),
	uuid       TEXT    NOT NULL UNIQUE,
	message    TEXT    NOT NULL,
	to_sealed  {{blob}},
	created    TEXT    NOT NULL,
	sent_at    TEXT
);
CREATE INDEX alert_outbox_pending ON alert_outbox (channel_id, sent_at, id);
