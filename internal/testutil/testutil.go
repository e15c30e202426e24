// Package testutil is the test set-up many packages' tests repeat: a fresh
// SQLite store closed when the test ends, a key ring with a fresh key, a
// gazetteer, integrity items stored as an import, the audit log read, an
// output buffer safe for a server's goroutines, and the words a text must
// and must not show (Words).
//
// Only tests import it (it imports testing).
package testutil

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/sqlite"
)

// Store opens a fresh SQLite store in a new temporary directory, closed
// when the test ends.
func Store(tb testing.TB) *storage.DB {
	tb.Helper()
	return StoreAt(tb, tb.TempDir(), sqlite.Options{})
}

// StoreAt opens the SQLite store in dir with opt, closed when the test
// ends.
func StoreAt(tb testing.TB, dir string, opt sqlite.Options) *storage.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), dir, opt)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// Keys returns a key ring holding one fresh random key, named id.
func Keys(tb testing.TB, id string) *crypt.Keyring {
	tb.Helper()
	key := make([]byte, 32)
	rand.Read(key)
	k, err := crypt.New(map[string][]byte{id: key}, id)
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

// Places serves one gazetteer to the services that resolve place names.
type Places struct{ G *geotext.Gazetteer }

// Gazetteer answers the gazetteer.
func (p Places) Gazetteer(context.Context) (*geotext.Gazetteer, error) { return p.G, nil }

// Gazetteer loads a gazetteer from CSV text (see geotext.LoadGazetteer),
// failing the test on error.
func Gazetteer(tb testing.TB, csv string) *geotext.Gazetteer {
	tb.Helper()
	g, err := geotext.LoadGazetteer(strings.NewReader(csv), "gazetteer.csv")
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

// AddItems validates items and stores them with svc as actor's import (as
// the import endpoint does), failing the test on the first error.
func AddItems(tb testing.TB, svc *integrity.Service, actor string, items ...*integrity.Item) integrity.AddResult {
	tb.Helper()
	for _, it := range items {
		if err := svc.Validate(it); err != nil {
			tb.Fatal(err)
		}
	}
	res, err := svc.Add(context.Background(), actor, "integrity.items.import", "", items)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// SyncBuffer is a bytes.Buffer safe for several goroutines: the log or
// output a server writes while the test reads it.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written so far.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// AuditLog is the audit log of db that f selects, failing tb on an error.
func AuditLog(tb testing.TB, db interface {
	AuditLog(context.Context, audit.Filter) ([]audit.Record, error)
}, f audit.Filter) []audit.Record {
	tb.Helper()
	recs, err := db.AuditLog(context.Background(), f)
	if err != nil {
		tb.Fatal(err)
	}
	return recs
}

// Words says what text lacks of want and shows of not, one problem a
// line ("" when neither): what a reader must and must not see on a page
// or in a table (words, not codes), checked in one place.
func Words(text string, want, not []string) string {
	var b strings.Builder
	for _, w := range want {
		if !strings.Contains(text, w) {
			fmt.Fprintf(&b, "lacks %q\n", w)
		}
	}
	for _, n := range not {
		if strings.Contains(text, n) {
			fmt.Fprintf(&b, "shows %q\n", n)
		}
	}
	return b.String()
}
