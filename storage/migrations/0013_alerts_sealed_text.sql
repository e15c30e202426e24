-- Reporters' free text sealed at rest (package crypt, AES-256-GCM): the
-- message body of an alert, the free-text location it was read from and the
-- location note (which quotes the words of the message that matched a
-- place), for alerts and for incidents (whose location is the first alert's).
-- The clear columns message, loc_text and loc_note stay for the schema but
-- are written as '' from now on; rows written in clear by an older version
-- are sealed and blanked by the Go step alerts.Service.SealStoredText, which
-- runs when vigil opens the store with the key (it needs the key, SQL
-- cannot do it).
ALTER TABLE alerts ADD COLUMN message_sealed {{blob}};
ALTER TABLE alerts ADD COLUMN loc_text_sealed {{blob}};
ALTER TABLE alerts ADD COLUMN loc_note_sealed {{blob}};
ALTER TABLE alert_incidents ADD COLUMN loc_text_sealed {{blob}};
ALTER TABLE alert_incidents ADD COLUMN loc_note_sealed {{blob}};

-- One-row change counter of the triage queue: every transaction that
-- creates or changes an alert or incident adds one, so servers that share
-- the database (PostgreSQL) see each other's changes by polling it (the
-- live queue stream, GET /api/v1/alerts/stream).
CREATE TABLE alert_changes (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	version {{pad 8 int}}NOT NULL
);
INSERT INTO alert_changes (id, version) VALUES (1, 0);
