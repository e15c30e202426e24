// Package sqlite opens Vigil's embedded SQLite database.
//
// It opens Vigil's embedded SQLite database (pure Go, modernc.org/sqlite) with
// the settings a single-machine server needs: WAL journal, foreign keys, a busy
// timeout, NORMAL synchronous (durable at checkpoint; FULL where callers ask
// for it), and one writer connection.
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/vigil-project/vigil/storage"
	"modernc.org/sqlite" // registers the "sqlite" driver
)

// SQLite's own lower() folds ASCII letters only: an item written
// "ÉLECTIONS" stayed "Élections" and the text search (LOWER(text) LIKE …)
// missed it for "élections", where PostgreSQL (UTF-8 locale) found it. The
// database's lower is Go's strings.ToLower instead, for every connection
// (store suite "integrity_search").
func init() {
	if err := sqlite.RegisterDeterministicScalarFunction("lower", 1, lower); err != nil {
		panic(err)
	}
}

func lower(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	if s, ok := args[0].(string); ok {
		return strings.ToLower(s), nil
	}
	return args[0], nil // NULL, numbers and blobs as they are
}

// Options tune the connection.
type Options struct {
	// Synchronous is "NORMAL" (default) or "FULL". FULL makes every commit
	// durable against power loss; NORMAL is durable against process crashes
	// (kill -9) in WAL mode, which is what an acknowledged alert needs.
	Synchronous string
	// BusyTimeout is how long a write waits for another writer's lock
	// before failing with SQLITE_BUSY (storage.IsBusy); 0 means 10 s.
	BusyTimeout time.Duration
}

// Open opens (creating if needed) the database file vigil.db in dir, applies
// pragmas and migrations. dir ":memory:" opens a private in-memory database
// (for tests).
func Open(ctx context.Context, dir string, opt Options) (*storage.DB, error) {
	var dsn string
	sync := opt.Synchronous
	if sync == "" {
		sync = "NORMAL"
	}
	busy := opt.BusyTimeout
	if busy <= 0 {
		busy = 10 * time.Second
	}
	pragmas := url.Values{}
	for _, p := range []string{
		"journal_mode(WAL)",
		"foreign_keys(ON)",
		fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()),
		"synchronous(" + sync + ")",
		"temp_store(MEMORY)",
		"cache_size(-65536)",
		"mmap_size(268435456)",
	} {
		pragmas.Add("_pragma", p)
	}
	pragmas.Set("_txlock", "immediate")
	if dir == ":memory:" {
		dsn = "file::memory:?" + pragmas.Encode()
	} else {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("data directory %s: %w", dir, err)
		}
		if err := privateFiles(filepath.Join(dir, "vigil.db")); err != nil {
			return nil, fmt.Errorf("data directory %s: %w", dir, err)
		}
		dsn = "file:" + filepath.Join(dir, "vigil.db") + "?" + pragmas.Encode()
	}
	sqldb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	// SQLite allows one writer; a pool of readers is fine in WAL mode but an
	// in-memory database must stay on one connection to remain one database.
	if dir == ":memory:" {
		sqldb.SetMaxOpenConns(1)
	} else {
		sqldb.SetMaxOpenConns(8)
	}
	sqldb.SetMaxIdleConns(8)
	db := storage.New(sqldb, storage.SQLite)
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	if err := db.Migrate(ctx); err != nil {
		sqldb.Close()
		return nil, err
	}
	if dir != ":memory:" {
		// The -wal and -shm files exist now: check them too.
		if err := privateFiles(filepath.Join(dir, "vigil.db")); err != nil {
			sqldb.Close()
			return nil, fmt.Errorf("data directory %s: %w", dir, err)
		}
	}
	return db, nil
}
