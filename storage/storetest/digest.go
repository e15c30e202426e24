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
}
