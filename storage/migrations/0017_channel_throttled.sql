-- Posts refused by the public web-form intake's throttle (too many from one
-- client or on one channel in a short time), counted per channel so an
-- operator sees a flood in the channel stats. Servers add their counts.
ALTER TABLE alert_channels ADD COLUMN throttled {{int}} NOT NULL DEFAULT 0;
