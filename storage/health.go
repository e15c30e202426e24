package storage

import (
	"context"
	"errors"
)

// CheckWritable reports whether the database can take a write now: it
// begins a write transaction (on SQLite, BEGIN IMMEDIATE takes the write
// lock), runs an UPDATE that matches no row, and rolls back. It fails with
// an error IsBusy recognises while another process holds the write lock past
// the busy timeout (or ctx's deadline), and one IsReadOnly recognises for a
// read-only database file or a PostgreSQL standby; both are
// apperr.KindUnavailable errors whose message says which.
func (db *DB) CheckWritable(ctx context.Context) error {
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return unavailable(err)
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `UPDATE schema_migrations SET name = name WHERE version < 0`)
	return unavailable(err)
}

// Unhealthy says why the database cannot serve — it does not answer, or
// answers but cannot take a write (read-only, or locked by another process)
// — or "" when it can. It names no path or data, so /healthz may show it.
func (db *DB) Unhealthy(ctx context.Context) string {
	if db.SQL.PingContext(ctx) != nil {
		return "the database does not answer"
	}
	err := db.CheckWritable(ctx)
	switch {
	case err == nil:
		return ""
	case IsReadOnly(err):
		return "the database is read-only"
	case IsBusy(err), errors.Is(err, context.DeadlineExceeded), ctx.Err() != nil:
		return "the database is locked by another process (cannot be written)"
	}
	return "the database cannot be written"
}
