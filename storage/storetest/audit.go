package storetest

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
)

func testAudit(t *testing.T, ctx context.Context, db *storage.DB) {
	start := time.Now().Add(-time.Second)

	entries := []audit.Entry{
		{Actor: "alice", Action: "user.create", Object: "user:bob", Detail: "role viewer"},
		{Actor: "bob", Action: "login.ok", Object: "user:bob"},
		{Actor: "bob", Action: "login.fail", Object: "user:bob", Detail: "wrong password"},
		{Actor: "alice", Action: "token.create", Object: "token:1"},
	}
	for _, e := range entries {
		if err := db.Audit(ctx, db.SQL, e); err != nil {
			t.Fatalf("Audit(%+v): %v", e, err)
		}
	}
	// Inside a transaction that rolls back, the entry disappears with the change.
	errBoom := errors.New("boom")
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		if err := db.Audit(ctx, tx, audit.Entry{Actor: "alice", Action: "user.delete", Object: "user:x"}); err != nil {
			return err
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Tx: %v", err)
	}

	// Invalid entries are refused (a long detail is cut instead: auditClip).
	for _, e := range []audit.Entry{{Action: "x"}, {Actor: "a"}, {Actor: "a\xff", Action: "b"}} {
		if err := db.Audit(ctx, db.SQL, e); err == nil {
			t.Errorf("Audit(%q, %q) accepted an invalid entry", e.Actor, e.Action)
		}
	}

	all := testutil.AuditLog(t, db, audit.Filter{})
	if len(all) != len(entries) {
		t.Fatalf("AuditLog: %d records, want %d: %+v", len(all), len(entries), all)
	}
	for i, r := range all { // newest first
		want := entries[len(entries)-1-i]
		if r.Entry != want {
			t.Errorf("record %d = %+v, want %+v", i, r.Entry, want)
		}
		if r.Time.Before(start) || r.Time.After(time.Now().Add(time.Second)) {
			t.Errorf("record %d time %v not around now", i, r.Time)
		}
		if i > 0 && r.ID >= all[i-1].ID {
			t.Errorf("records not newest first: %d after %d", r.ID, all[i-1].ID)
		}
	}

	cases := []struct {
		name string
		f    audit.Filter
		want []string // actions, newest first
	}{
		{"actor", audit.Filter{Actor: "bob"}, []string{"login.fail", "login.ok"}},
		{"action exact", audit.Filter{Action: "login.ok"}, []string{"login.ok"}},
		{"action prefix", audit.Filter{Action: "login."}, []string{"login.fail", "login.ok"}},
		{"prefix is literal", audit.Filter{Action: "%."}, nil},
		{"object", audit.Filter{Object: "token:1"}, []string{"token.create"}},
		{"limit", audit.Filter{Limit: 2}, []string{"token.create", "login.fail"}},
		{"cursor", audit.Filter{Before: all[1].ID}, []string{"login.ok", "user.create"}},
		{"since future", audit.Filter{Since: time.Now().Add(time.Hour)}, nil},
		{"until past", audit.Filter{Until: start}, nil},
		{"since and until", audit.Filter{Since: start, Until: time.Now().Add(time.Hour), Actor: "alice"}, []string{"token.create", "user.create"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := db.AuditLog(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			var acts []string
			for _, r := range got {
				acts = append(acts, r.Action)
			}
			if strings.Join(acts, ",") != strings.Join(c.want, ",") {
				t.Errorf("got %v, want %v", acts, c.want)
			}
		})
	}

	// The database itself refuses to change or remove entries.
	for _, stmt := range []string{
		`UPDATE audit_log SET detail = 'tampered' WHERE id = ?`,
		`UPDATE audit_log SET actor = 'mallory'`,
		`DELETE FROM audit_log WHERE id = ?`,
		`DELETE FROM audit_log`,
	} {
		var args []any
		if strings.Contains(stmt, "?") {
			args = append(args, all[0].ID)
		}
		if _, err := db.Exec(ctx, db.SQL, stmt, args...); err == nil {
			t.Errorf("%s: succeeded on the append-only log", stmt)
		} else if !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: error %v does not say append-only", stmt, err)
		}
	}
	if db.Dialect == "postgres" {
		if _, err := db.Exec(ctx, db.SQL, `TRUNCATE audit_log`); err == nil {
			t.Error("TRUNCATE succeeded on the append-only log")
		}
	}
	after := testutil.AuditLog(t, db, audit.Filter{})
	if len(after) != len(all) {
		t.Fatalf("after tampering attempts: %d records, want %d", len(after), len(all))
	}
	for i := range after {
		if after[i] != all[i] {
			t.Errorf("record %d changed: %+v -> %+v", i, all[i], after[i])
		}
	}
}
