-- The language an alert intake channel answers its reporters in by SMS
-- ("en", "fr"; '' none: each message's own language, else the mission's).
ALTER TABLE alert_channels ADD COLUMN lang TEXT NOT NULL DEFAULT '';
