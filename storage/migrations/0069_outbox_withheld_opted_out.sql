-- Replies to reporters and tipline answers queued, and left unsent, before
-- a message to a number that opted out was withheld for good: those whose
-- number is opted out now (as a contact or not) are marked withheld as
-- storage's withholdOptedOut marks them when the number opts out or when
-- such a message is queued after it: status withheld, code opted-out, the
-- opt-out's time, and no claim. Before, they said queued on the timeline
-- and an opt-in would have sent them. Broadcast messages are left to the
-- broadcast's reach; a row with no recipient hash names no number.
UPDATE alert_outbox SET status = 'withheld', error_code = 'opted-out', claimed_at = NULL,
	status_at = COALESCE((SELECT MIN(c.opted_out_at) FROM contacts c WHERE c.phone_mac = alert_outbox.to_mac AND c.opted_out_at IS NOT NULL),
		(SELECT MIN(o.at) FROM contact_optouts o WHERE o.phone_mac = alert_outbox.to_mac))
	WHERE to_mac <> '' AND broadcast_id IS NULL AND sent_at IS NULL AND status = ''
		AND (EXISTS (SELECT 1 FROM contacts c WHERE c.phone_mac = alert_outbox.to_mac AND c.opted_out_at IS NOT NULL)
			OR EXISTS (SELECT 1 FROM contact_optouts o WHERE o.phone_mac = alert_outbox.to_mac));
