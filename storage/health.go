package storage

import (
	"context"
)

// CheckWritable reports whether the database can take a write now: it
// begins a write transaction (on SQLite, BEGIN IMMEDIATE takes the write
// lock), runs an UPDATE that matches no row, and rolls back. It fails with
// an error IsBusy recognises while another process holds the write lock past
// the busy timeout (or ctx's deadline), and one IsReadOnly recognises for a
// read-only database file or a PostgreSQL standby.
func (db *DB) CheckWritable(ctx context.Context) error {
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `UPDATE schema_migrations SET name = name WHERE version < 0`)
	return err
}
