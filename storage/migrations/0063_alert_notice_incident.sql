-- The incident an escalation notice is about (alerts.Notice: its body's
-- "incident_id"; NULL for a notice about none, e.g. a withdrawal-watch
-- trigger), written when it is queued, so that an incident's page finds
-- its undelivered notices by the index (IncidentNotices) instead of
-- reading the body of every unsent notice. Rows written before are filled
-- in from their bodies.
ALTER TABLE alert_notices ADD COLUMN incident_id {{int}};
{{if sqlite}}UPDATE alert_notices SET incident_id = json_extract(body, '$.incident_id')
	WHERE json_valid(body) AND json_type(body, '$.incident_id') = 'integer';{{else}}UPDATE alert_notices SET incident_id = (body::jsonb ->> 'incident_id')::bigint
	WHERE body LIKE '%"incident_id":%' AND jsonb_typeof(body::jsonb -> 'incident_id') = 'number';{{end}}
CREATE INDEX alert_notices_incident ON alert_notices (incident_id, created) WHERE sent_at IS NULL;
-- A notice a server older than migration 0062 had claimed when the
-- database was upgraded (its post maybe under way) holds no claimed_until:
-- its claim was told by next_at alone, the end of its lease. It is written
-- as one, so that a retry by hand does not post it alongside the older
-- server's post while the lease lasts (a notice only due again within a
-- lease from now is held as long: at most a minute).
UPDATE alert_notices SET claimed_until = next_at
	WHERE sent_at IS NULL AND gave_up_at IS NULL AND claimed_until IS NULL AND tries > 0
	AND next_at <= {{if sqlite}}strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+60 seconds'){{else}}to_char(now() AT TIME ZONE 'UTC' + interval '60 seconds', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{end}};
