-- Spike flags already sent to the analysts on duty (the escalation
-- webhook): one row per flagged series and day, so a flag is sent once even
-- when the server restarts.
CREATE TABLE integrity_spike_notices (
	series   TEXT NOT NULL, -- narrative, term or place
	skey     TEXT NOT NULL,
	day      TEXT NOT NULL, -- YYYY-MM-DD
	n        INTEGER NOT NULL,
	notified TEXT NOT NULL,
	PRIMARY KEY (series, skey, day)
);
