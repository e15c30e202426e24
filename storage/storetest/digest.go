package storetest

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
)

// testDigest: the sealed HTTP Digest HA1 column (migration 0005) is stored,
// read back, audited without its value, and cleared by a password change.
func testDigest(t *testing.T, ctx context.Context, db *storage.DB) {
	svc := auth.NewService(db)
	if _, err := svc.CreateUser(ctx, "cli", "enum", auth.Viewer, "enumerator password 1"); err != nil {
		t.Fatal(err)
	}
	if b, err := db.DigestHA1(ctx, "enum"); err != nil || b != nil {
		t.Fatalf("new user: HA1 %x, %v; want none", b, err)
	}
	sealed := []byte("\x01sealed-ha1-bytes")
	if err := db.SetDigestHA1(ctx, "cli:op", "enum", sealed); err != nil {
		t.Fatal(err)
	}
	if b, err := db.DigestHA1(ctx, "enum"); err != nil || !bytes.Equal(b, sealed) {
		t.Fatalf("HA1 = %q, %v; want %q", b, err, sealed)
	}
	if err := db.SetDigestHA1(ctx, "cli", "nobody", sealed); !errors.Is(err, auth.ErrNoUser) {
		t.Fatalf("unknown user: %v, want ErrNoUser", err)
	}
	if _, err := db.DigestHA1(ctx, "nobody"); !errors.Is(err, auth.ErrNoUser) {
		t.Fatalf("unknown user: %v, want ErrNoUser", err)
	}
	recs := testutil.AuditLog(t, db, audit.Filter{Action: "user.digest"})
	if len(recs) != 1 || recs[0].Actor != "cli:op" || recs[0].Object != "user:enum" || strings.Contains(recs[0].Detail, "sealed-ha1") {
		t.Fatalf("audit = %+v", recs)
	}
	// A role change keeps the HA1; a password change clears it.
	r := auth.Analyst
	if _, err := svc.UpdateUser(ctx, "cli", "enum", auth.Change{Role: &r}); err != nil {
		t.Fatal(err)
	}
	if b, _ := db.DigestHA1(ctx, "enum"); b == nil {
		t.Fatal("role change cleared the HA1")
	}
	pw := "another password 2"
	if _, err := svc.UpdateUser(ctx, "cli", "enum", auth.Change{Password: &pw}); err != nil {
		t.Fatal(err)
	}
	if b, err := db.DigestHA1(ctx, "enum"); err != nil || b != nil {
		t.Fatalf("after password change: HA1 %x, %v; want none", b, err)
	}
	if err := db.SetDigestHA1(ctx, "cli", "enum", sealed); err != nil {
		t.Fatal(err)
	}
	if err := db.SetDigestHA1(ctx, "cli", "enum", nil); err != nil {
		t.Fatal(err)
	}
	if b, _ := db.DigestHA1(ctx, "enum"); b != nil {
		t.Fatal("SetDigestHA1(nil) kept the HA1")
	}
	testDigestWithUser(t, ctx, db)
}

// testDigestWithUser: a service that seals Digest credentials stores a new
// user's, or a new password's, with the user in one transaction, audited
// (user.create or user.update, then user.digest, without the value).
func testDigestWithUser(t *testing.T, ctx context.Context, db *storage.DB) {
	svc := auth.NewService(db)
	svc.SealDigest = func(name, pw string) ([]byte, error) { return []byte("sealed:" + name + ":" + pw), nil }
	before := len(testutil.AuditLog(t, db, audit.Filter{Action: "user.digest"}))
	a, err := svc.CreateUser(ctx, "admin", "field.enum", auth.Viewer, "enumerator password 3")
	if err != nil || a.DigestHA1 != nil {
		t.Fatalf("create: %+v %v (the answer carries no HA1)", a, err)
	}
	if b, err := db.DigestHA1(ctx, "field.enum"); err != nil || string(b) != "sealed:field.enum:enumerator password 3" {
		t.Fatalf("new user's HA1 %q, %v", b, err)
	}
	pw := "enumerator password 4"
	if _, err := svc.UpdateUser(ctx, "admin", "field.enum", auth.Change{Password: &pw}); err != nil {
		t.Fatal(err)
	}
	if b, err := db.DigestHA1(ctx, "field.enum"); err != nil || string(b) != "sealed:field.enum:"+pw {
		t.Fatalf("new password's HA1 %q, %v", b, err)
	}
	recs := testutil.AuditLog(t, db, audit.Filter{Action: "user.digest"})
	if len(recs) != before+2 {
		t.Fatalf("%d user.digest records, want %d", len(recs), before+2)
	}
	for _, r := range recs[:2] {
		if r.Actor != "admin" || r.Object != "user:field.enum" || strings.Contains(r.Detail, "sealed:") {
			t.Errorf("audit %+v", r)
		}
	}
	// Sealing fails: nothing is written.
	svc.SealDigest = func(string, string) ([]byte, error) { return nil, errors.New("no key (test)") }
	if _, err := svc.CreateUser(ctx, "admin", "other.enum", auth.Viewer, "enumerator password 5"); err == nil {
		t.Fatal("created without its credential")
	}
	if _, err := db.UserByName(ctx, "other.enum"); !errors.Is(err, auth.ErrNoUser) {
		t.Fatalf("the refused user was written: %v", err)
	}
	pw2 := "enumerator password 6"
	if _, err := svc.UpdateUser(ctx, "admin", "field.enum", auth.Change{Password: &pw2}); err == nil {
		t.Fatal("password changed without its credential")
	}
	if b, _ := db.DigestHA1(ctx, "field.enum"); string(b) != "sealed:field.enum:"+pw {
		t.Fatalf("a refused password change touched the HA1: %q", b)
	}
	if n := len(testutil.AuditLog(t, db, audit.Filter{Action: "user.digest"})); n != before+2 {
		t.Fatalf("refused changes audited: %d records", n)
	}
}
