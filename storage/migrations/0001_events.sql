-- Georeferenced conflict events (UCDP GED, ACLED, HXL, GeoJSON, mission logs).
CREATE TABLE events (
	id             {{id}},
	source         TEXT    NOT NULL,
	source_id      TEXT    NOT NULL,
	hash           {{pad 8 blob}}NOT NULL, -- events.Event.Hash: tells an unchanged re-import from an update
	date_start     TEXT    NOT NULL, -- YYYY-MM-DD
	date_end       TEXT    NOT NULL,
	date_prec      INTEGER NOT NULL DEFAULT 0,
	day            INTEGER NOT NULL, -- date_start as days since 1970-01-01
	month          INTEGER NOT NULL, -- grid.Month: year*12 + month-1
	lat            {{real}}    NOT NULL,
	lon            {{real}}    NOT NULL,
	where_prec     INTEGER NOT NULL DEFAULT 0,
	country        TEXT    NOT NULL DEFAULT '',
	country_code   TEXT    NOT NULL DEFAULT '',
	admin1         TEXT    NOT NULL DEFAULT '',
	admin2         TEXT    NOT NULL DEFAULT '',
	admin1_code    TEXT    NOT NULL DEFAULT '',
	location       TEXT    NOT NULL DEFAULT '',
	cell           INTEGER NOT NULL, -- PRIO-GRID gid
	violence       INTEGER NOT NULL,
	event_type     TEXT    NOT NULL DEFAULT '',
	sub_event_type TEXT    NOT NULL DEFAULT '',
	conflict_name  TEXT    NOT NULL DEFAULT '',
	side_a         TEXT    NOT NULL DEFAULT '',
	side_b         TEXT    NOT NULL DEFAULT '',
	best           INTEGER NOT NULL DEFAULT 0,
	low            INTEGER NOT NULL DEFAULT 0,
	high           INTEGER NOT NULL DEFAULT 0,
	civilian       INTEGER NOT NULL DEFAULT -1,
	notes          TEXT    NOT NULL DEFAULT '',
	UNIQUE (source, source_id)
);
-- events_version counts committed imports that changed events. Readers keep
-- an in-process spatial/temporal index of the events table (storage/events.go)
-- and rebuild it when this number moves, so bbox, month-range, cluster and
-- cell-month queries need no further SQL indexes (measured in
-- docs/benchmarks/events.md).
CREATE TABLE events_version (
	one     INTEGER PRIMARY KEY CHECK (one = 1),
	version BIGINT  NOT NULL
);
INSERT INTO events_version (one, version) VALUES (1, 0);
