package testutil

import (
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

var schemaSeq atomic.Int64

// PostgresURL is the test PostgreSQL server's URL, from
// VIGIL_TEST_POSTGRES, or "" when none is set. In CI (CI=true) a missing
// server fails the test: .ci/run starts one.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("VIGIL_TEST_POSTGRES")
	if u == "" && os.Getenv("CI") == "true" {
		tb.Fatal("VIGIL_TEST_POSTGRES is not set in CI: .ci/run must start PostgreSQL")
	}
	return u
}

// PostgresSchema creates an empty schema, named prefix and a unique
// suffix, on the PostgreSQL server at the URL base and returns the URL that
// opens it (its search_path; nothing migrated yet). The schema is dropped
// when the test ends.
func PostgresSchema(tb testing.TB, base, prefix string) string {
	tb.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	schema := fmt.Sprintf("%s_%d_%d", prefix, time.Now().UnixNano()%1e9, schemaSeq.Add(1))
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
