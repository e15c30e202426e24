package web

import (
	"os"
	"testing"
	"time"

	"github.com/vigil-project/vigil/storage/sqlite"
)

// TestEventsImportStoreUnavailable: an event file sent while the store
// cannot be written (another process holds its write lock past the busy
// timeout; a read-only database) is answered as other routes answer it,
// 503 with Retry-After and the store's own key, said in French, not 400
// as though the file were at fault; a bad file is still refused 400 at its
// line; nothing is written, and once the lock is released the same file
// is taken.
func TestEventsImportStoreUnavailable(t *testing.T) {
	good, err := os.ReadFile("../ingest/testdata/cases/ged17-ok.csv")
	if err != nil {
		t.Fatal(err)
	}
	bad, err := os.ReadFile("../ingest/testdata/cases/ged-bad-lat.csv")
	if err != nil {
		t.Fatal(err)
	}
	type store struct {
		name    string
		open    func(t *testing.T) (e *testEnv, tok string, release func())
		key, fr string
		// badStatus is the answer to a bad file: a store locked before
		// the import begins refuses it before the file is read.
		badStatus int
	}
	stores := []store{
		{"locked", func(t *testing.T) (*testEnv, string, func()) {
			dir := t.TempDir()
			e := newAlertsEnvAt(t, dir, sqlite.Options{BusyTimeout: 100 * time.Millisecond}, "ada")
			return e.testEnv, e.tokens["ada"], holdWriteLock(t, dir)
		}, "refusal.store.locked", "la base de données est verrouillée par un autre processus (écriture impossible)", 503},
		{"read-only", func(t *testing.T) (*testEnv, string, func()) {
			e, tok := readOnlyEnv(t)
			return e, tok, nil
		}, "refusal.store.read-only", "la base de données est en lecture seule", 400},
	}
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			e, tok, release := st.open(t)
			resp, b := e.do(nil, "POST", "/api/v1/events/import?name=ged17.csv", reqOpt{token: tok, body: string(good), ctype: "text/csv"})
			if resp.Header.Get("Retry-After") == "" {
				t.Errorf("a good file: %d %s without Retry-After", resp.StatusCode, b)
			}
			keyedCase{name: "a good file", status: 503, key: st.key, fr: st.fr}.check(t, resp.StatusCode, b)
			if t.Failed() {
				t.FailNow()
			}
			// The file's own fault, once read, is still the file's: 400 at
			// its line.
			code, a := e.importEvents(t, tok, "?name=bad.csv", bad, "text/csv")
			if code != st.badStatus || (code == 400 && (a.Line != 3 || a.Field != "latitude")) {
				t.Errorf("a bad file: %d %+v, want %d (400 at line 3, latitude)", code, a, st.badStatus)
			}
			if release != nil {
				release()
			}
			var n int
			if err := e.db.SQL.QueryRow("SELECT count(*) FROM events").Scan(&n); err != nil || n != 0 {
				t.Fatalf("%d events written while the store could not be written (%v)", n, err)
			}
			if release != nil {
				if code, a := e.importEvents(t, tok, "?name=ged17.csv", good, "text/csv"); code != 200 || a.Inserted == 0 {
					t.Fatalf("the same file once released: %d %+v", code, a)
				}
			}
		})
	}
}
