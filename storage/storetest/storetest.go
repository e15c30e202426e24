// Package storetest is the one store test suite that every storage dialect
// (SQLite, PostgreSQL) must pass. Each capability adds its cases in its own
// file with Register from an init function; storage/sqlite and
// storage/postgres run them all through Run.
package storetest

import (
	"sort"
	"sync"
	"testing"

	"github.com/vigil-project/vigil/storage"
)

// Opener returns a fresh, migrated, empty database for one test. It is
// closed by the opener's own t.Cleanup.
type Opener func(t *testing.T) *storage.DB

var (
	mu     sync.Mutex
	suites = map[string]func(t *testing.T, open Opener){}
)

// Register adds a named suite. Call it from init.
func Register(name string, fn func(t *testing.T, open Opener)) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := suites[name]; dup {
		panic("storetest: duplicate suite " + name)
	}
	suites[name] = fn
}

// Run runs every registered suite as a subtest.
func Run(t *testing.T, open Opener) {
	mu.Lock()
	names := make([]string, 0, len(suites))
	for n := range suites {
		names = append(names, n)
	}
	mu.Unlock()
	sort.Strings(names)
	if len(names) == 0 {
		t.Fatal("storetest: no suites registered")
	}
	for _, n := range names {
		fn := suites[n]
		t.Run(n, func(t *testing.T) { fn(t, open) })
	}
}
