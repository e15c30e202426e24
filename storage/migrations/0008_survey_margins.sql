-- Population margins a mission loads to calibrate survey weights and to see
-- who is unheard (package surveys): named sets of counts by area and group
-- dimensions. Aggregate counts, no personal data; stored as JSON.
CREATE TABLE survey_margins (
	id      {{id}},
	name    TEXT NOT NULL UNIQUE,
	dims    TEXT NOT NULL, -- JSON array of dimension names
	cells   TEXT NOT NULL, -- JSON array of {"values": [...], "count": n}
	updated TEXT NOT NULL  -- RFC 3339 UTC
);
