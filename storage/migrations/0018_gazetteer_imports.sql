-- Gazetteers a mission imports (web/places_api.go): the CSV as uploaded,
-- kept whole so that a server rebuilds its place index at start; the newest
-- is used together with the gazetteer Vigil ships.
CREATE TABLE gazetteer_imports (
	id          {{id}},
	name        TEXT    NOT NULL,
	places      INTEGER NOT NULL,
	csv         {{pad 8 blob}}NOT NULL,
	imported_by TEXT    NOT NULL,
	imported_at TEXT    NOT NULL -- RFC 3339 UTC
);
