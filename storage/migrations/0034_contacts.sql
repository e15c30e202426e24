-- Community contacts and broadcasts (package contacts). Phone numbers and
-- names are AES-GCM ciphertext; phone_mac is a keyed hash (HMAC-SHA256) of
-- the normalised number so that a reply from a number finds its contact
-- without storing the number in clear. groups is ",g1,g2," (comma-framed
-- so a group is matched whole).
CREATE TABLE contacts (
	id           {{id}},
	phone_sealed {{blob}} NOT NULL,
	phone_mac    TEXT NOT NULL UNIQUE,
	name_sealed  {{blob}},
	language     TEXT NOT NULL,
	place        TEXT NOT NULL DEFAULT '',
	lat          {{real}},
	lon          {{real}},
	groups       TEXT NOT NULL DEFAULT ',',
	consent_at   TEXT NOT NULL,
	consent_how  TEXT NOT NULL,
	consent_by   TEXT NOT NULL,
	opted_out_at TEXT,
	opt_out_how  TEXT NOT NULL DEFAULT '',
	created      TEXT NOT NULL
);

-- A broadcast: its audience (a group, or a radius around a point), its
-- text per language, and when it is to go. Counts are written when it is
-- queued; sent is read from the outbox.
CREATE TABLE broadcasts (
	id           {{id}},
	channel_id   {{int}} NOT NULL REFERENCES alert_channels (id),
	actor        TEXT NOT NULL,
	group_name   TEXT NOT NULL DEFAULT '',
	near_place   TEXT NOT NULL DEFAULT '',
	lat          {{real}},
	lon          {{real}},
	radius_km    {{real}},
	messages     TEXT NOT NULL,
	fallback     TEXT NOT NULL,
	scheduled_at TEXT NOT NULL,
	queued_at    TEXT,
	queued       {{int}} NOT NULL DEFAULT 0,
	skipped      {{int}} NOT NULL DEFAULT 0,
	no_language  {{int}} NOT NULL DEFAULT 0,
	created      TEXT NOT NULL
);
CREATE INDEX broadcasts_due ON broadcasts (queued_at, scheduled_at);

-- The outbox carries broadcasts too: alert_id becomes optional and each
-- row may name its contact and broadcast (a contact who opts out is never
-- handed a queued message).{{if sqlite}} SQLite cannot drop NOT NULL in place: rebuild.
CREATE TABLE alert_outbox_new (
	id           INTEGER PRIMARY KEY,
	channel_id   INTEGER NOT NULL REFERENCES alert_channels (id),
	alert_id     INTEGER REFERENCES alerts (id),
	uuid         TEXT    NOT NULL UNIQUE,
	message      TEXT    NOT NULL,
	to_sealed    BLOB,
	created      TEXT    NOT NULL,
	sent_at      TEXT,
	contact_id   INTEGER REFERENCES contacts (id),
	broadcast_id INTEGER REFERENCES broadcasts (id)
);
INSERT INTO alert_outbox_new (id, channel_id, alert_id, uuid, message, to_sealed, created, sent_at)
	SELECT id, channel_id, alert_id, uuid, message, to_sealed, created, sent_at FROM alert_outbox;
DROP TABLE alert_outbox;
ALTER TABLE alert_outbox_new RENAME TO alert_outbox;
CREATE INDEX alert_outbox_pending ON alert_outbox (channel_id, sent_at, id);{{else}}
ALTER TABLE alert_outbox ALTER COLUMN alert_id DROP NOT NULL;
ALTER TABLE alert_outbox ADD COLUMN contact_id BIGINT REFERENCES contacts (id);
ALTER TABLE alert_outbox ADD COLUMN broadcast_id BIGINT REFERENCES broadcasts (id);{{end}}
CREATE INDEX alert_outbox_contact ON alert_outbox (contact_id);
CREATE INDEX alert_outbox_broadcast ON alert_outbox (broadcast_id);
