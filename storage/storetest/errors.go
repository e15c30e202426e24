package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/vigil-project/vigil/storage"
)

// testUniqueViolation: IsUniqueViolation recognises the driver's code for
// a duplicate primary key or unique value (SQLite extended result codes,
// PostgreSQL SQLSTATE 23505), wrapped or not, and nothing else — not
// another constraint, and not an error that merely reads like one.
func testUniqueViolation(t *testing.T, ctx context.Context, db *storage.DB) {
	if _, err := db.SQL.ExecContext(ctx, `CREATE TABLE errcheck (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, db.SQL, `INSERT INTO errcheck (id, name) VALUES (?, ?)`, 1, "a"); err != nil {
		t.Fatal(err)
	}
	insert := func(id int, name any) error {
		_, err := db.Exec(ctx, db.SQL, `INSERT INTO errcheck (id, name) VALUES (?, ?)`, id, name)
		if err == nil {
			t.Fatalf("insert (%d, %v) succeeded", id, name)
		}
		return err
	}
	pk, unique, notNull := insert(1, "b"), insert(2, "a"), insert(3, nil)
	for _, c := range []struct {
		name string
		err  error
		want bool
	}{
		{"duplicate primary key", pk, true},
		{"duplicate unique value", unique, true},
		{"wrapped", fmt.Errorf("storing: %w", unique), true},
		{"NOT NULL violation", notNull, false},
		{"an error that only reads like one", errors.New("UNIQUE constraint failed: errcheck.name (SQLSTATE 23505)"), false},
		{"nil", nil, false},
	} {
		if got := storage.IsUniqueViolation(c.err); got != c.want {
			t.Errorf("%s (%v): IsUniqueViolation = %v, want %v", c.name, c.err, got, c.want)
		}
		if storage.IsBusy(c.err) || storage.IsReadOnly(c.err) {
			t.Errorf("%s (%v): taken for busy or read-only", c.name, c.err)
		}
	}
	// IsForeignKeyViolation: a row naming none (an incident that is not
	// there), and nothing else.
	_, fk := db.Exec(ctx, db.SQL, `INSERT INTO alert_incident_requests (incident_id, actor, request_id, body_sha256, at) VALUES (?, 'a', 'r', 'h', 't')`, 999999)
	for _, c := range []struct {
		name string
		err  error
		want bool
	}{
		{"foreign key", fk, true}, {"wrapped", fmt.Errorf("x: %w", fk), true}, {"unique", unique, false}, {"NOT NULL", notNull, false},
		{"text only", errors.New("violates foreign key constraint (SQLSTATE 23503)"), false}, {"nil", nil, false},
	} {
		if got := storage.IsForeignKeyViolation(c.err); got != c.want || (c.want && storage.IsUniqueViolation(c.err)) {
			t.Errorf("%s (%v): IsForeignKeyViolation = %v, want %v", c.name, c.err, got, c.want)
		}
	}
	busy, readOnly := busyError(t, db), readOnlyError(t, db)
	for _, c := range []struct {
		name                   string
		err                    error
		unique, busy, readOnly bool
	}{
		{"row locked by another writer past the timeout", busy, false, true, false},
		{"write in a read-only connection", readOnly, false, false, true},
		{"wrapped busy", fmt.Errorf("x: %w", busy), false, true, false},
		{"text only", errors.New("database is locked (SQLSTATE 55P03); attempt to write a readonly database"), false, false, false},
	} {
		if u, b, r := storage.IsUniqueViolation(c.err), storage.IsBusy(c.err), storage.IsReadOnly(c.err); u != c.unique || b != c.busy || r != c.readOnly {
			t.Errorf("%s (%v): unique, busy, read-only = %v %v %v, want %v %v %v", c.name, c.err, u, b, r, c.unique, c.busy, c.readOnly)
		}
	}
}

// busyError writes a row another connection holds locked in a write
// transaction, with no wait: SQLite busy_timeout 0, PostgreSQL
// lock_timeout 50 ms.
func busyError(t *testing.T, db *storage.DB) error {
	ctx := context.Background()
	holder, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback()
	if _, err := holder.ExecContext(ctx, db.Rebind(`UPDATE errcheck SET name = ? WHERE id = 1`), "held"); err != nil {
		t.Fatal(err)
	}
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	wait := `PRAGMA busy_timeout = 0`
	if db.Dialect == storage.Postgres {
		wait = `SET lock_timeout = '50ms'`
	}
	if _, err := conn.ExecContext(ctx, wait); err != nil {
		t.Fatal(err)
	}
	if db.Dialect == storage.Postgres {
		defer conn.ExecContext(ctx, `RESET lock_timeout`)
	} else {
		defer conn.ExecContext(ctx, `PRAGMA busy_timeout = 10000`)
	}
	_, err = conn.ExecContext(ctx, db.Rebind(`UPDATE errcheck SET name = ? WHERE id = 1`), "second")
	if err == nil {
		t.Fatal("a second writer was not held off")
	}
	return err
}

// readOnlyError writes from a connection set read-only (SQLite
// query_only, a PostgreSQL read-only transaction: what a hot standby
// answers).
func readOnlyError(t *testing.T, db *storage.DB) error {
	ctx := context.Background()
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	on, off := `PRAGMA query_only = ON`, `PRAGMA query_only = OFF`
	if db.Dialect == storage.Postgres {
		on, off = `SET default_transaction_read_only = on`, `RESET default_transaction_read_only`
	}
	if _, err := conn.ExecContext(ctx, on); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, off)
	_, err = conn.ExecContext(ctx, db.Rebind(`UPDATE errcheck SET name = ? WHERE id = 1`), "ro")
	if err == nil {
		t.Fatal("a read-only connection wrote")
	}
	return err
}
