-- The keyed hash (contacts' phone MAC) of an outbox message's recipient, so
-- that a number that opts out after its message was queued (an answer to a
-- tipline sender, a reply) is never handed to the gateway. '' when unknown.
ALTER TABLE alert_outbox ADD COLUMN to_mac TEXT NOT NULL DEFAULT '';
CREATE INDEX alert_outbox_to_mac ON alert_outbox (to_mac);
