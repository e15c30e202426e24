-- The outbox message a timeline line is about: a responder's reply to a
-- reporter (kind "reply", alerts.Service.Reply) names the message it
-- queued, so the incident page says what became of it (queued, sent,
-- delivered, failed and why) from the outbox's status. Lines written
-- before are matched to their reply by incident and time (the reply's
-- line is written with the message's created time, in one transaction).
ALTER TABLE alert_log ADD COLUMN outbox_id {{int}};
UPDATE alert_log SET outbox_id = (SELECT MIN(o.id) FROM alert_outbox o JOIN alerts a ON a.id = o.alert_id
	WHERE a.incident_id = alert_log.incident_id AND o.created = alert_log.at AND o.broadcast_id IS NULL)
	WHERE kind = 'reply';
