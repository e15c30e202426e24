package main

import (
	"context"
	"testing"

	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/sqlite"
)

// openTestStore opens the SQLite store in dir (as a command left it),
// closed when the test ends.
func openTestStore(t *testing.T, dir string) *storage.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), dir, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
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
