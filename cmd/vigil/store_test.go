package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/sqlite"
)

// openTestStore opens the SQLite store in dir (as a command left it),
// closed when the test ends.
func openTestStore(t *testing.T, dir string) *storage.DB {
	t.Helper()
	return testutil.StoreAt(t, dir, sqlite.Options{})
}

// openTestStoreKeys is openTestStore with the key ring kept in dir.
func openTestStoreKeys(t *testing.T, dir string) (*storage.DB, *crypt.Keyring) {
	t.Helper()
	db := openTestStore(t, dir)
	keys, err := crypt.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return db, keys
}

// writeTemp writes body to the file name in dir and returns its path.
func writeTemp(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
