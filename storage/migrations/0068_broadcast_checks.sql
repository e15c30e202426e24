-- The check a broadcast answers (integrity_checks.narrative_id; NULL
-- none): a broadcast sent from a check, or linked to it afterwards, is in
-- the check's history with its reach, and is a record of how the claim
-- was answered (integrity.Service.LinkBroadcast).
ALTER TABLE broadcasts ADD COLUMN check_narrative {{int}};
CREATE INDEX broadcasts_check ON broadcasts (check_narrative);
