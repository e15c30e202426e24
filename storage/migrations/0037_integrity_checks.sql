-- Verify and respond (package integrity, check.go): one check per
-- narrative walking new → monitoring → verifying → rated → response
-- planned → responded → closed, its log (state changes, notes, evidence
-- links, assignments, deadlines, ratings, publication, answers sent), and
-- the tipline items already answered (each sender is answered once).
-- Times are UTC text 'YYYY-MM-DDTHH:MM:SSZ'. slug is the public fact-check
-- page's id, set when the check is published.
CREATE TABLE integrity_checks (
	narrative_id {{pad 8 int}}PRIMARY KEY REFERENCES integrity_narratives (id),
	state        TEXT    NOT NULL,
	claim        TEXT    NOT NULL DEFAULT '',
	rating       TEXT    NOT NULL DEFAULT '',
	summary_en   TEXT    NOT NULL DEFAULT '',
	summary_fr   TEXT    NOT NULL DEFAULT '',
	assignee     TEXT    NOT NULL DEFAULT '',
	deadline     TEXT,
	slug         TEXT    UNIQUE,
	published_at TEXT,
	replies_sent {{pad 8 int}}NOT NULL DEFAULT 0,
	updated      TEXT    NOT NULL,
	updated_by   TEXT    NOT NULL
);
CREATE INDEX integrity_checks_published ON integrity_checks (published_at);

CREATE TABLE integrity_check_log (
	id           {{serial}},
	narrative_id {{pad 8 int}}NOT NULL REFERENCES integrity_narratives (id),
	at           TEXT    NOT NULL,
	actor        TEXT    NOT NULL,
	kind         TEXT    NOT NULL,
	from_state   TEXT    NOT NULL DEFAULT '',
	to_state     TEXT    NOT NULL DEFAULT '',
	text         TEXT    NOT NULL DEFAULT '',
	url          TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX integrity_check_log_narrative ON integrity_check_log (narrative_id, id);

-- outcome: sent, opted_out (the number opted out: nothing sent),
-- no_number (anonymous or purged), no_gateway (the channel's gateway takes
-- no queued messages).
CREATE TABLE integrity_check_replies (
	narrative_id {{pad 8 int}}NOT NULL REFERENCES integrity_narratives (id),
	item_id      {{pad 8 int}}NOT NULL REFERENCES integrity_items (id),
	outcome      TEXT    NOT NULL,
	at           TEXT    NOT NULL,
	PRIMARY KEY (narrative_id, item_id)
);

-- Opt-out replies (STOP, ARRET…) from numbers that are not contacts (a
-- tipline sender): the keyed hash of the number only, never the number.
CREATE TABLE contact_optouts (
	phone_mac TEXT PRIMARY KEY,
	at        TEXT NOT NULL,
	how       TEXT NOT NULL DEFAULT ''
);
