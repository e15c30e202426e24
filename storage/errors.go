package storage

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/vigil-project/vigil/internal/apperr"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// The errors below are recognised by the drivers' error codes (PostgreSQL
// SQLSTATE, SQLite result codes), never by their messages.

// pgCode returns err's PostgreSQL SQLSTATE, or "".
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// sqliteCode returns err's SQLite extended result code, or 0.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()
	}
	return 0
}

// IsUniqueViolation reports whether err is a unique-constraint (or primary
// key) violation on either dialect.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	if pgCode(err) == "23505" { // unique_violation
		return true
	}
	c := sqliteCode(err)
	return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// IsForeignKeyViolation reports whether err is a foreign-key violation on
// either dialect (PostgreSQL SQLSTATE 23503, SQLite
// SQLITE_CONSTRAINT_FOREIGNKEY): a row still named by another, or naming
// none.
func IsForeignKeyViolation(err error) bool {
	if err == nil {
		return false
	}
	return pgCode(err) == "23503" || sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// IsBusy reports whether err means the database is held by another writer
// and stayed so past the busy timeout (SQLite SQLITE_BUSY or SQLITE_LOCKED;
// PostgreSQL lock_not_available, e.g. after a lock_timeout): the operation may
// succeed if tried again later.
func IsBusy(err error) bool {
	if err == nil {
		return false
	}
	switch c := sqliteCode(err) & 0xff; c {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return true
	}
	return pgCode(err) == "55P03"
}

// IsReadOnly reports whether err means the database cannot be written
// (SQLite SQLITE_READONLY: a read-only file or directory; PostgreSQL
// read_only_sql_transaction: a hot standby).
func IsReadOnly(err error) bool {
	if err == nil {
		return false
	}
	if sqliteCode(err)&0xff == sqlite3.SQLITE_READONLY {
		return true
	}
	return pgCode(err) == "25006"
}

// Refusals are the store's answers to a write it cannot take now (503),
// as catalog messages so that a page says them in its language.
var Refusals = apperr.Register(apperr.Catalog{
	"refusal.store.read-only": {"the database is read-only", "la base de données est en lecture seule"},
	"refusal.store.locked":    {"the database is locked by another process (cannot be written)", "la base de données est verrouillée par un autre processus (écriture impossible)"},
})

// unavailable returns err as an apperr.KindUnavailable error (wrapping it,
// so IsBusy and IsReadOnly still recognise it) when the database is busy or
// read-only and the operation may pass later; any other err unchanged.
func unavailable(err error) error {
	key := ""
	switch {
	case IsReadOnly(err):
		key = "refusal.store.read-only"
	case IsBusy(err):
		key = "refusal.store.locked"
	default:
		return err
	}
	e := apperr.Say(apperr.KindUnavailable, "", key)
	e.Whole, e.Err = false, err
	return e
}

// isConflict reports whether a transaction failed only because a concurrent
// one won a race (deadlock or serialization failure on PostgreSQL, or a
// unique key another transaction committed first): running it again sees
// the winner's rows.
func isConflict(err error) bool {
	switch pgCode(err) {
	case "40001", "40P01": // serialization_failure, deadlock_detected
		return true
	}
	return IsUniqueViolation(err)
}
