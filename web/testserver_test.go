package web

import (
	"io"
	"log/slog"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/sqlite"
	"github.com/vigil-project/vigil/surveys"
)

// The builders the web tests share for a throwaway server. They are
// exported so the external web_test files use the same ones.

// OpenTestStore opens a SQLite store in a new temporary directory, closed
// when the test ends, and the key ring crypt.Load keeps in that directory.
func OpenTestStore(t testing.TB) (*storage.DB, *crypt.Keyring) {
	t.Helper()
	return OpenTestStoreAt(t, t.TempDir())
}

// OpenTestStoreAt is OpenTestStore in dir.
func OpenTestStoreAt(t testing.TB, dir string) (*storage.DB, *crypt.Keyring) {
	t.Helper()
	db := testutil.StoreAt(t, dir, sqlite.Options{})
	keys, err := crypt.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return db, keys
}

// OpenAlertsTestStore opens the SQLite store in dir with opt, closed when
// the test ends, and the alert network over it sealing with a fresh random
// key.
func OpenAlertsTestStore(t testing.TB, dir string, opt sqlite.Options) (*storage.DB, *alerts.Service) {
	t.Helper()
	db := testutil.StoreAt(t, dir, opt)
	k := testutil.Keys(t, "k")
	return db, alerts.NewService(db, k)
}

// QuietLog is a logger that writes nowhere.
func QuietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// NewSurveysTestServer is a Server over OpenTestStore with the surveys
// service (sealing with the store's key ring, auditing into the store).
func NewSurveysTestServer(t testing.TB) (*Server, *surveys.Service, *storage.DB) {
	t.Helper()
	db, keys := OpenTestStore(t)
	svc := &surveys.Service{Store: db, Keys: keys, Auditor: db}
	return &Server{DB: db, Surveys: svc, Log: QuietLog()}, svc, db
}
