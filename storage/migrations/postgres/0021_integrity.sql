-- Information integrity (package integrity): content items, the narratives
-- they are grouped into and the mission's lexicon. Times are UTC text
-- 'YYYY-MM-DDTHH:MM:SSZ'; day is the item's date, for daily counts.
-- Narrative ids are assigned by integrity.Service (its grouper numbers them).
CREATE TABLE integrity_narratives (
	id          BIGINT  PRIMARY KEY,
	name        TEXT    NOT NULL DEFAULT '',
	status      TEXT    NOT NULL DEFAULT 'new',
	merged_into BIGINT  NOT NULL DEFAULT 0,
	split_from  BIGINT  NOT NULL DEFAULT 0,
	created     TEXT    NOT NULL
);

-- The author handle is sealed (crypt, aad integrity_items.author), never
-- stored in clear. (source, source_id) makes imports idempotent.
CREATE TABLE integrity_items (
	id            BIGSERIAL PRIMARY KEY,
	source        TEXT    NOT NULL,
	source_id     TEXT    NOT NULL,
	kind          TEXT    NOT NULL,
	via           TEXT    NOT NULL,
	text          TEXT    NOT NULL,
	lang          TEXT    NOT NULL,
	author_sealed BYTEA,
	posted        TEXT    NOT NULL,
	day           TEXT    NOT NULL,
	url           TEXT    NOT NULL DEFAULT '',
	shares        BIGINT  NOT NULL DEFAULT 0,
	reactions     BIGINT  NOT NULL DEFAULT 0,
	views         BIGINT  NOT NULL DEFAULT 0,
	replies       BIGINT  NOT NULL DEFAULT 0,
	place         TEXT    NOT NULL DEFAULT '',
	place_from    TEXT    NOT NULL DEFAULT '',
	lat           DOUBLE PRECISION,
	lon           DOUBLE PRECISION,
	media         TEXT    NOT NULL DEFAULT '[]',
	score         DOUBLE PRECISION    NOT NULL,
	label         TEXT    NOT NULL,
	reasons       TEXT    NOT NULL DEFAULT '[]',
	matches       TEXT    NOT NULL DEFAULT '[]',
	narrative_id  BIGINT  NOT NULL REFERENCES integrity_narratives (id),
	created       TEXT    NOT NULL,
	UNIQUE (source, source_id)
);
CREATE INDEX integrity_items_narrative ON integrity_items (narrative_id, id);
CREATE INDEX integrity_items_day ON integrity_items (day);

-- One row per lexicon match of an item (term spikes, targeted groups).
CREATE TABLE integrity_item_terms (
	item_id BIGINT  NOT NULL REFERENCES integrity_items (id),
	term    TEXT    NOT NULL,
	grp     TEXT    NOT NULL DEFAULT '',
	day     TEXT    NOT NULL
);
CREATE INDEX integrity_item_terms_item ON integrity_item_terms (item_id);

-- The mission's lexicon: variants are '|'-separated.
CREATE TABLE integrity_terms (
	id       BIGSERIAL PRIMARY KEY,
	term     TEXT    NOT NULL,
	variants TEXT    NOT NULL DEFAULT '',
	language TEXT    NOT NULL DEFAULT '',
	meaning  TEXT    NOT NULL DEFAULT '',
	grp      TEXT    NOT NULL DEFAULT '',
	severity BIGINT  NOT NULL DEFAULT 1,
	source   TEXT    NOT NULL DEFAULT '',
	UNIQUE (term, language)
);
