-- Coverage inputs set through the API (package coverage): a per-cell
-- population layer with optional access friction (year 0 = every year),
-- rainy-season months per country overriding the documented defaults, and a
-- version counter bumped by every change to deployments, population or
-- seasons so servers can cache prepared coverage inputs (web/coverage_cache.go).
CREATE TABLE coverage_population (
	gid        INTEGER NOT NULL,
	year       INTEGER NOT NULL DEFAULT 0,
	population {{real}} NOT NULL CHECK (population >= 0),
	friction   {{real}} NOT NULL DEFAULT 0 CHECK (friction = 0 OR (friction >= 1 AND friction <= 100)),
	PRIMARY KEY (gid, year)
);

CREATE TABLE coverage_population_meta (
	one       INTEGER PRIMARY KEY CHECK (one = 1),
	name      TEXT    NOT NULL,
	loaded_by TEXT    NOT NULL,
	loaded_at TEXT    NOT NULL -- RFC 3339 UTC
);

CREATE TABLE coverage_seasons (
	country    TEXT PRIMARY KEY,
	months     TEXT NOT NULL, -- comma-separated months 1-12, '' = no rainy season
	updated_by TEXT NOT NULL,
	updated_at TEXT NOT NULL  -- RFC 3339 UTC
);

CREATE TABLE coverage_version (
	one     INTEGER PRIMARY KEY CHECK (one = 1),
	version BIGINT  NOT NULL
);
INSERT INTO coverage_version (one, version) VALUES (1, 0);
