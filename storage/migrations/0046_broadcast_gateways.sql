-- Broadcasts through every gateway kind (package contacts). A gateway that
-- pushes (Twilio's Messages API, a generic webhook) has its sending
-- settings here; every gateway has a rate (messages per second). The
-- Twilio account SID and sender number are not secret (the auth token is
-- the channel's sealed secret).
CREATE TABLE broadcast_gateways (
	channel_id  {{int}} PRIMARY KEY REFERENCES alert_channels (id),
	rate_per_s  {{real}} NOT NULL,
	send_url    TEXT NOT NULL DEFAULT '',
	account_sid TEXT NOT NULL DEFAULT '',
	from_number TEXT NOT NULL DEFAULT '',
	updated     TEXT NOT NULL
);

-- Each outbox message pushed to a gateway: attempts and when to try again
-- (retries with backoff), claimed_at while a push is under way (a message
-- claimed and not answered when the server died is sent again with the
-- same uuid as its idempotency key), the gateway's id for it (Twilio
-- MessageSid) and what the gateway last said of it: sent, delivered,
-- undelivered or failed (status, with the error when it failed).
ALTER TABLE alert_outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE alert_outbox ADD COLUMN next_at TEXT;
ALTER TABLE alert_outbox ADD COLUMN claimed_at TEXT;
ALTER TABLE alert_outbox ADD COLUMN gateway_ref TEXT NOT NULL DEFAULT '';
ALTER TABLE alert_outbox ADD COLUMN status TEXT NOT NULL DEFAULT '';
ALTER TABLE alert_outbox ADD COLUMN status_at TEXT;
ALTER TABLE alert_outbox ADD COLUMN error TEXT NOT NULL DEFAULT '';
CREATE INDEX alert_outbox_gateway_ref ON alert_outbox (gateway_ref);

-- Audiences by area: PRIO-GRID cells (",gid,gid,") or a first-level
-- admin area named in the gazetteer.
ALTER TABLE broadcasts ADD COLUMN cells TEXT NOT NULL DEFAULT '';
ALTER TABLE broadcasts ADD COLUMN admin_area TEXT NOT NULL DEFAULT '';

-- Demo contacts (serve --demo): fictitious, numbers in the +000 range.
ALTER TABLE contacts ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
