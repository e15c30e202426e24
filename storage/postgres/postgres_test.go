package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"testing"
	"time"

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

// TestStoreCLocale runs the store tests that fold case again on a database
// made with the plain C locale (initdb's default on a machine without a
// UTF-8 locale), where PostgreSQL's own lower() folds ASCII letters only:
// « ÉLECTIONS » must still be found by « élections ».
func TestStoreCLocale(t *testing.T) {
	base := postgresURL(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := fmt.Sprintf("vigil_c_%d", time.Now().UnixNano()%1e9)
	if _, err := admin.Exec(`CREATE DATABASE ` + name + ` TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err == nil {
			a.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
			a.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	q := u.Query()
	q.Del("dbname")
	u.RawQuery = q.Encode()
	var ctype string
	db0, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	if err := db0.QueryRow(`SELECT datctype FROM pg_database WHERE datname = current_database()`).Scan(&ctype); err != nil || ctype != "C" {
		t.Fatalf("the test database's LC_CTYPE: %q (%v), want C", ctype, err)
	}
	db0.Close()
	storetest.RunOnly(t, func(t *testing.T) *storage.DB {
		db, err := postgres.Open(context.Background(), testutil.PostgresSchema(t, u.String(), "vc"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		// Open detected the folding once and kept what it found: the
		// warning serve logs is the one a fresh detection gives.
		fresh, err := db.DetectCaseFolding(context.Background())
		if err != nil || db.CaseFoldingWarning() != fresh {
			t.Fatalf("warning kept by Open %q, detected again %q (%v)", db.CaseFoldingWarning(), fresh, err)
		}
		return db
	}, "integrity_search")
}
