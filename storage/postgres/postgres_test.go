package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/postgres"
	"github.com/vigil-project/vigil/storage/storetest"
)

var schemaSeq atomic.Int64

// PostgresURL returns the test server's URL from VIGIL_TEST_POSTGRES. In CI
// (CI=true) a missing server is a failure, not a skip: .ci/run starts one.
func postgresURL(t *testing.T) string {
	u := os.Getenv("VIGIL_TEST_POSTGRES")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("VIGIL_TEST_POSTGRES is not set in CI: .ci/run must start PostgreSQL")
		}
		t.Skip("VIGIL_TEST_POSTGRES not set (e.g. postgres:///postgres?host=/tmp/pg): skipping the PostgreSQL store suite")
	}
	return u
}

func TestStore(t *testing.T) {
	base := postgresURL(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	storetest.Run(t, func(t *testing.T) *storage.DB {
		ctx := context.Background()
		schema := fmt.Sprintf("vt_%d_%d", time.Now().UnixNano()%1e9, schemaSeq.Add(1))
		if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		db, err := postgres.Open(ctx, u.String())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			db.Close()
			admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		})
		return db
	})
}
