-- The append-only audit log (package audit). The triggers make the database
-- itself refuse to change or remove an entry.
CREATE TABLE audit_log (
	id     INTEGER PRIMARY KEY,
	at     TEXT    NOT NULL, -- RFC 3339 UTC with microseconds
	actor  TEXT    NOT NULL,
	action TEXT    NOT NULL,
	object TEXT    NOT NULL DEFAULT '',
	detail TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_object ON audit_log (object, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit_log is append-only');
END;
