package storetest

import (
	"context"
	"testing"

	"github.com/vigil-project/vigil/storage"
)

// testMigrate checks that migrations are idempotent: running them again on a
// migrated database changes nothing and fails on nothing.
func testMigrate(t *testing.T, ctx context.Context, db *storage.DB) {
	var before int
	if err := db.QueryRow(ctx, db.SQL, `SELECT COUNT(*) FROM schema_migrations`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if before == 0 {
		t.Fatal("no migrations applied")
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	var after int
	if err := db.QueryRow(ctx, db.SQL, `SELECT COUNT(*) FROM schema_migrations`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Fatalf("second Migrate applied %d more", after-before)
	}
}
