-- RSS/Atom feeds of local media that vigil serve polls on a schedule
-- (configured on the Integrity page). last_* say how the newest poll went:
-- its time, the time of the newest poll that worked, its error (naming the
-- feed's line or entry) and how many new items it brought.
CREATE TABLE integrity_feeds (
	id            {{id}},
	url           TEXT NOT NULL UNIQUE,
	source        TEXT NOT NULL DEFAULT '',
	every_minutes INTEGER NOT NULL,
	created       TEXT NOT NULL,
	created_by    TEXT NOT NULL,
	last_polled   TEXT NOT NULL DEFAULT '',
	last_ok       TEXT NOT NULL DEFAULT '',
	last_error    TEXT NOT NULL DEFAULT '',
	last_added    INTEGER NOT NULL DEFAULT 0
);
