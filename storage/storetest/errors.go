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
func testUniqueViolation(t *testing.T, open Opener) {
	ctx := context.Background()
	db := open(t)
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
	}
}
