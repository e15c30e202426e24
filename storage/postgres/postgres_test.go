package postgres_test

import (
	"context"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/postgres"
	"github.com/vigil-project/vigil/storage/storetest"
)

// PostgresURL returns the test server's URL from VIGIL_TEST_POSTGRES. In CI
// (CI=true) a missing server is a failure, not a skip: .ci/run starts one.
func postgresURL(t *testing.T) string {
	u := testutil.PostgresURL(t)
	if u == "" {
		t.Skip("VIGIL_TEST_POSTGRES not set (e.g. postgres:///postgres?host=/tmp/pg): skipping the PostgreSQL store suite")
	}
	return u
}

func TestStore(t *testing.T) {
	postgresURL(t) // skips without a server
	storetest.Run(t, func(t *testing.T) *storage.DB {
		db, err := postgres.Open(context.Background(), freshSchema(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}
