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
