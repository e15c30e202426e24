-- The sender of a tipline message, told apart without being named
-- (integrity.Item.SenderKey): the keyed hash (HMAC-SHA256, the contacts'
-- phone MAC) of the number the phone network gave, computed at intake
-- from the number in memory, never from a stored number. '' when there is
-- none: a web form's typed number, an anonymous message, any item that is
-- no tipline message, and the messages filed before this version (counted
-- one sender each: the queue of checks says how many).
ALTER TABLE integrity_items ADD COLUMN sender_key TEXT NOT NULL DEFAULT '';


-- Checks in progress left on narratives merged into another before this
-- version are carried as a merge now carries them (integrity.Store.
-- MergeNarratives), in the name 'system:upgrade': moved, with their log and
-- answers, to the surviving narrative when it has no check and no other
-- such check goes there (logged merged_in); else closed (logged merged,
-- naming the survivor). Not audited: the upgrade is no one's act.
CREATE TEMPORARY TABLE integrity_check_moves AS
	SELECT c.narrative_id AS from_id, n.merged_into AS into_id
	FROM integrity_checks c JOIN integrity_narratives n ON n.id = c.narrative_id
	WHERE c.state <> 'closed' AND n.merged_into <> 0
	AND NOT EXISTS (SELECT 1 FROM integrity_checks s WHERE s.narrative_id = n.merged_into)
	AND (SELECT COUNT(*) FROM integrity_checks c2 JOIN integrity_narratives n2 ON n2.id = c2.narrative_id
		WHERE c2.state <> 'closed' AND n2.merged_into = n.merged_into) = 1;
INSERT INTO integrity_check_log (narrative_id, at, actor, kind, from_state, to_state, text, url)
	SELECT into_id, {{if sqlite}}strftime('%Y-%m-%dT%H:%M:%fZ', 'now'){{else}}to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{end}}, 'system:upgrade', 'merged_in', '', '', CAST(from_id AS TEXT), '' FROM integrity_check_moves;
UPDATE integrity_check_log SET narrative_id = (SELECT m.into_id FROM integrity_check_moves m WHERE m.from_id = narrative_id)
	WHERE narrative_id IN (SELECT from_id FROM integrity_check_moves);
UPDATE integrity_check_replies SET narrative_id = (SELECT m.into_id FROM integrity_check_moves m WHERE m.from_id = narrative_id)
	WHERE narrative_id IN (SELECT from_id FROM integrity_check_moves);
UPDATE integrity_checks SET narrative_id = (SELECT m.into_id FROM integrity_check_moves m WHERE m.from_id = narrative_id),
	updated = {{if sqlite}}strftime('%Y-%m-%dT%H:%M:%fZ', 'now'){{else}}to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{end}}, updated_by = 'system:upgrade'
	WHERE narrative_id IN (SELECT from_id FROM integrity_check_moves);
DROP TABLE integrity_check_moves;
INSERT INTO integrity_check_log (narrative_id, at, actor, kind, from_state, to_state, text, url)
	SELECT c.narrative_id, {{if sqlite}}strftime('%Y-%m-%dT%H:%M:%fZ', 'now'){{else}}to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{end}}, 'system:upgrade', 'merged', c.state, 'closed', CAST(n.merged_into AS TEXT), ''
	FROM integrity_checks c JOIN integrity_narratives n ON n.id = c.narrative_id
	WHERE c.state <> 'closed' AND n.merged_into <> 0;
UPDATE integrity_checks SET state = 'closed', updated = {{if sqlite}}strftime('%Y-%m-%dT%H:%M:%fZ', 'now'){{else}}to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'){{end}}, updated_by = 'system:upgrade'
	WHERE state <> 'closed' AND narrative_id IN (SELECT id FROM integrity_narratives WHERE merged_into <> 0);
