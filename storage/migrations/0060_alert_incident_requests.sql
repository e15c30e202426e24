-- The client's id of a change to an incident (alerts.Update.RequestID):
-- the first change sent with an id is made and its id kept here with a
-- hash of the change; the same change sent again with that id (its answer
-- lost on a field office's link) is not made twice (a note added twice).
-- One row per change sent with an id; a few dozen bytes each.
CREATE TABLE alert_incident_requests (
	incident_id {{int}} NOT NULL REFERENCES alert_incidents (id),
	actor       TEXT    NOT NULL,
	request_id  TEXT    NOT NULL,
	body_sha256 TEXT    NOT NULL,
	at          TEXT    NOT NULL,
	PRIMARY KEY (incident_id, actor, request_id)
);
