-- An alert intake channel can be a tipline (information integrity): its
-- messages also become content items, so forwarded rumours reach the
-- Integrity page and the sender can be answered through the alert.
ALTER TABLE alert_channels ADD COLUMN tipline INTEGER NOT NULL DEFAULT 0;
