-- Information integrity (package integrity): content items, the narratives
-- they are grouped into and the mission's lexicon. Times are UTC text
-- 'YYYY-MM-DDTHH:MM:SSZ'; day is the item's date, for daily counts.
-- Narrative ids are assigned by integrity.Service (its grouper numbers them).
CREATE TABLE integrity_narratives (
	id          {{pad 8 int}}PRIMARY KEY,
	name        TEXT    NOT NULL DEFAULT '',
	status      TEXT    NOT NULL DEFAULT 'new',
	merged_into {{pad 8 int}}NOT NULL DEFAULT 0,
	split_from  {{pad 8 int}}NOT NULL DEFAULT 0,
	created     TEXT    NOT NULL
);

-- The author handle is sealed (crypt, aad integrity_items.author), never
-- stored in clear. (source, source_id) makes imports idempotent.
CREATE TABLE integrity_items (
	id            {{serial}},
	source        TEXT    NOT NULL,
	source_id     TEXT    NOT NULL,
	kind          TEXT    NOT NULL,
	via           TEXT    NOT NULL,
	text          TEXT    NOT NULL,
	lang          TEXT    NOT NULL,
	author_sealed {{blob}},
	posted        TEXT    NOT NULL,
	day           TEXT    NOT NULL,
	url           TEXT    NOT NULL DEFAULT '',
	shares        {{pad 8 int}}NOT NULL DEFAULT 0,
	reactions     {{pad 8 int}}NOT NULL DEFAULT 0,
	views         {{pad 8 int}}NOT NULL DEFAULT 0,
	replies       {{pad 8 int}}NOT NULL DEFAULT 0,
	place         TEXT    NOT NULL DEFAULT '',
	place_from    TEXT    NOT NULL DEFAULT '',
	lat           {{real}},
	lon           {{real}},
	media         TEXT    NOT NULL DEFAULT '[]',
	score         {{real}}    NOT NULL,
	label         TEXT    NOT NULL,
	reasons       TEXT    NOT NULL DEFAULT '[]',
	matches       TEXT    NOT NULL DEFAULT '[]',
	narrative_id  {{pad 8 int}}NOT NULL REFERENCES integrity_narratives (id),
	created       TEXT    NOT NULL,
	UNIQUE (source, source_id)
);
CREATE INDEX integrity_items_narrative ON integrity_items (narrative_id, id);
CREATE INDEX integrity_items_day ON integrity_items (day);

-- One row per lexicon match of an item (term spikes, targeted groups).
CREATE TABLE integrity_item_terms (
	item_id {{pad 8 int}}NOT NULL REFERENCES integrity_items (id),
	term    TEXT    NOT NULL,
	grp     TEXT    NOT NULL DEFAULT '',
	day     TEXT    NOT NULL
);
CREATE INDEX integrity_item_terms_item ON integrity_item_terms (item_id);

-- The mission's lexicon: variants are '|'-separated.
CREATE TABLE integrity_terms (
	id       {{serial}},
	term     TEXT    NOT NULL,
	variants TEXT    NOT NULL DEFAULT '',
	language TEXT    NOT NULL DEFAULT '',
	meaning  TEXT    NOT NULL DEFAULT '',
	grp      TEXT    NOT NULL DEFAULT '',
	severity {{pad 8 int}}NOT NULL DEFAULT 1,
	source   TEXT    NOT NULL DEFAULT '',
	UNIQUE (term, language)
);
