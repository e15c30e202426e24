-- Deployment coverage (package coverage): deployment sites over month spans
-- and saved planning scenarios. Months are grid.Month (year*12 + month-1).
CREATE TABLE deployments (
	id          {{id}},
	source      TEXT    NOT NULL,
	source_id   TEXT    NOT NULL,
	mission     TEXT    NOT NULL,
	country     TEXT    NOT NULL DEFAULT '',
	location    TEXT    NOT NULL DEFAULT '',
	lat         {{real}} NOT NULL,
	lon         {{real}} NOT NULL,
	cell        INTEGER NOT NULL,
	kind        TEXT    NOT NULL,
	start_month INTEGER NOT NULL,
	end_month   INTEGER NOT NULL,
	military    INTEGER NOT NULL DEFAULT 0,
	police      INTEGER NOT NULL DEFAULT 0,
	civilian    INTEGER NOT NULL DEFAULT 0,
	women       INTEGER NOT NULL DEFAULT 0,
	men         INTEGER NOT NULL DEFAULT 0,
	units       TEXT    NOT NULL DEFAULT '', -- ';'-separated unit types
	mobility    TEXT    NOT NULL,
	cost        {{real}} NOT NULL DEFAULT 0,
	UNIQUE (source, source_id),
	CHECK (end_month >= start_month),
	CHECK (military >= 0 AND police >= 0 AND civilian >= 0 AND women >= 0 AND men >= 0)
);
CREATE INDEX deployments_span ON deployments (start_month, end_month);
CREATE INDEX deployments_mission ON deployments (mission, start_month);

CREATE TABLE coverage_scenarios (
	id         {{id}},
	name       TEXT    NOT NULL,
	kind       TEXT    NOT NULL, -- plan, cut, try
	month      INTEGER NOT NULL,
	created_by TEXT    NOT NULL,
	created_at TEXT    NOT NULL, -- RFC 3339 UTC
	body       TEXT    NOT NULL  -- JSON: the request and its result
);
CREATE INDEX coverage_scenarios_month ON coverage_scenarios (month, id);
