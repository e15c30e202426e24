-- Why a message of a broadcast failed (package contacts, failures.go):
-- a stable reason code ("timeout:20", "server-error:503", "twilio:21211",
-- "refused:400"…) the Contacts page groups a broadcast's failures by and
-- says in the UI language, and the gateway's own words about it, every
-- phone number and e-mail address masked. error keeps Vigil's English
-- line; rows failed before have no code and are read from it.
ALTER TABLE alert_outbox ADD COLUMN error_code TEXT NOT NULL DEFAULT '';
ALTER TABLE alert_outbox ADD COLUMN gateway_said TEXT NOT NULL DEFAULT '';
