-- Georeferenced conflict events (UCDP GED, ACLED, HXL, GeoJSON, mission logs).
CREATE TABLE events (
	id             INTEGER PRIMARY KEY,
	source         TEXT    NOT NULL,
	source_id      TEXT    NOT NULL,
	hash           BLOB    NOT NULL,
	date_start     TEXT    NOT NULL, -- YYYY-MM-DD
	date_end       TEXT    NOT NULL,
	date_prec      INTEGER NOT NULL DEFAULT 0,
	month          INTEGER NOT NULL, -- grid.Month: year*12 + month-1
	lat            REAL    NOT NULL,
	lon            REAL    NOT NULL,
	where_prec     INTEGER NOT NULL DEFAULT 0,
	country        TEXT    NOT NULL DEFAULT '',
	country_code   TEXT    NOT NULL DEFAULT '',
	admin1         TEXT    NOT NULL DEFAULT '',
	admin2         TEXT    NOT NULL DEFAULT '',
	admin1_code    TEXT    NOT NULL DEFAULT '',
	location       TEXT    NOT NULL DEFAULT '',
	cell           INTEGER NOT NULL,
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
CREATE INDEX events_month_lon_lat ON events (month, lon, lat);
CREATE INDEX events_cell_month ON events (cell, month);
