package storage

import (
	"context"
	"strings"
)

// Case-insensitive search (integrity items' text) lowercases the column in
// SQL and the query in Go (strings.ToLower). SQLite's lower() is replaced
// by Go's (storage/sqlite). PostgreSQL's lower() follows the database's
// LC_CTYPE: under a UTF-8 locale it folds « É » to « é », under the plain C
// locale (initdb's default on a machine without a UTF-8 locale) it folds
// ASCII letters only, and « ÉLECTIONS » would not be found by
// « élections ». On such a database the column is lowercased through the
// ICU root collation (und-x-icu) when the server has ICU, as it does in
// the PostgreSQL packages of Debian, Ubuntu and the official images.

// icuRoot is the ICU collation that lowercases every script.
const icuRoot = `"und-x-icu"`

// DetectCaseFolding reads how a PostgreSQL database's lower() folds case
// and, under a C or POSIX LC_CTYPE, makes searches lowercase through ICU.
// It answers "" when search folds every letter, or a warning to log when it
// folds ASCII letters only (a C database on a server without ICU), and
// keeps that answer for CaseFoldingWarning. Called once, by postgres.Open;
// SQLite needs nothing.
func (db *DB) DetectCaseFolding(ctx context.Context) (string, error) {
	w, err := db.detectCaseFolding(ctx)
	if err == nil {
		db.caseWarning = w
	}
	return w, err
}

// CaseFoldingWarning is the warning the last DetectCaseFolding found (""
// none, and always on SQLite): what vigil serve logs at start, without
// reading the database's locale again.
func (db *DB) CaseFoldingWarning() string { return db.caseWarning }

func (db *DB) detectCaseFolding(ctx context.Context) (string, error) {
	if db.Dialect != Postgres {
		return "", nil
	}
	var ctype string
	if err := db.SQL.QueryRowContext(ctx, `SELECT datctype FROM pg_database WHERE datname = current_database()`).Scan(&ctype); err != nil {
		return "", err
	}
	if c := strings.ToUpper(ctype); c != "C" && c != "POSIX" {
		db.lowerCollate = ""
		return "", nil
	}
	var icu bool
	if err := db.SQL.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu')`).Scan(&icu); err != nil {
		return "", err
	}
	if !icu {
		return "the PostgreSQL database's LC_CTYPE is " + ctype + " and the server has no ICU: search ignores the case of ASCII letters only (create the database with a UTF-8 locale)", nil
	}
	db.lowerCollate = icuRoot
	return "", nil
}

// lower is the SQL expression that lowercases col as strings.ToLower does
// the query.
func (db *DB) lower(col string) string {
	if db.lowerCollate != "" {
		return "LOWER(" + col + " COLLATE " + db.lowerCollate + ")"
	}
	return "LOWER(" + col + ")"
}
