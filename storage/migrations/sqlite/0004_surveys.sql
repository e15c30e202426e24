-- Survey forms (XForms) and their OpenRosa submissions (packages surveys,
-- openrosa). Respondents' answers are personal data: submission XML, parsed
-- answers and attachments are stored only AES-GCM sealed (sealed columns);
-- xml_mac is unused (resubmissions are compared on the opened XML).
CREATE TABLE survey_forms (
	id       INTEGER PRIMARY KEY,
	form_id  TEXT    NOT NULL UNIQUE, -- the XForm's id attribute
	version  TEXT    NOT NULL DEFAULT '',
	title    TEXT    NOT NULL DEFAULT '',
	xml      BLOB    NOT NULL,        -- the form definition (no personal data)
	hash     TEXT    NOT NULL,        -- md5 of xml, hex (OpenRosa formList)
	state    TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
	created  TEXT    NOT NULL,
	updated  TEXT    NOT NULL
);
CREATE TABLE survey_form_media (
	form_id      INTEGER NOT NULL REFERENCES survey_forms (id) ON DELETE CASCADE,
	name         TEXT    NOT NULL,
	content_type TEXT    NOT NULL DEFAULT 'application/octet-stream',
	hash         TEXT    NOT NULL, -- md5, hex
	content      BLOB    NOT NULL,
	PRIMARY KEY (form_id, name)
);
CREATE TABLE survey_form_access (
	form_id INTEGER NOT NULL REFERENCES survey_forms (id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	PRIMARY KEY (form_id, user_id)
);
CREATE INDEX survey_form_access_user ON survey_form_access (user_id);
CREATE TABLE survey_submissions (
	id             INTEGER PRIMARY KEY,
	form_id        INTEGER NOT NULL REFERENCES survey_forms (id),
	instance_id    TEXT    NOT NULL,
	form_version   TEXT    NOT NULL DEFAULT '',
	xml_mac        BLOB    NOT NULL,
	xml_sealed     BLOB    NOT NULL,
	answers_sealed BLOB    NOT NULL,
	enumerator     TEXT    NOT NULL DEFAULT '',
	received       TEXT    NOT NULL, -- RFC 3339 UTC
	UNIQUE (form_id, instance_id)
);
CREATE TABLE survey_attachments (
	submission_id INTEGER NOT NULL REFERENCES survey_submissions (id) ON DELETE CASCADE,
	name          TEXT    NOT NULL,
	content_type  TEXT    NOT NULL DEFAULT 'application/octet-stream',
	size          INTEGER NOT NULL,
	sealed        BLOB    NOT NULL,
	PRIMARY KEY (submission_id, name)
);
