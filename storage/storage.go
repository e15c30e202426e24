// Package storage implements every capability's store on SQLite and PostgreSQL.
//
// It is Vigil's persistence layer: one implementation of every capability's
// store interface (events.Store, auth.Store, …) on database/sql, with two
// dialects — embedded SQLite (the default, pure Go, tuned for a single
// field-office machine) and PostgreSQL (when a mission outgrows one machine).
// The packages storage/sqlite and storage/postgres open a connection for their
// dialect; storage/storetest is the one test suite both must pass.
//
// SQL is written once with '?' placeholders; Rebind turns them into $1, $2 …
// for PostgreSQL. Schema changes are versioned, embedded migrations, each
// written once as a template rendered per dialect (migrations/NNNN_name.sql)
// or, where the statements differ, as one file per dialect
// (migrations/sqlite, migrations/postgres); numbered in one sequence in the
// order they were written and applied in that order, inside a transaction
// each (migrations.go, migrations/README.md).
package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"sync"

	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage/evindex"
)

// Dialect names the SQL database behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open Vigil database.
type DB struct {
	SQL     *sql.DB
	Dialect Dialect

	lowerCollate string // collation lower() needs to fold every letter (casefold.go)
	caseWarning  string // what DetectCaseFolding last found to warn of (casefold.go)

	rebindCache sync.Map      // query string -> rebound query
	events      evindex.Cache // in-process events index (events.go)
	chans       channelCache  // intake channels by key (channelcache.go)

	// QueueHook, when not nil, runs in the transaction that queues a
	// reply or a tipline answer, after its outbox row is written and
	// before the row is checked against its number's opt-out: for tests
	// that interleave another transaction there (the store suite's
	// alerts/reply-withheld-opt-in-race). Set it before the queueing
	// starts; nil in a server.
	QueueHook func(tx *sql.Tx)
	// OptOutHook, when not nil, runs in the transaction of an opt-out
	// (OptOut) after it withheld the number's unsent messages and before
	// it commits: for tests that queue a message there (the store
	// suite's alerts/reply-withheld-opt-out-race). Set it before the
	// opt-out starts; nil in a server.
	OptOutHook func(tx *sql.Tx)
}

// New wraps an open *sql.DB of the given dialect. Call Migrate before use.
func New(db *sql.DB, d Dialect) *DB { return &DB{SQL: db, Dialect: d} }

// Close stops the channel listener, if any, and closes the database.
func (db *DB) Close() error {
	db.stopWatching()
	return db.SQL.Close()
}

// Rebind rewrites '?' placeholders for the dialect. '?' inside single-quoted
// strings is left alone.
func (db *DB) Rebind(q string) string {
	if db.Dialect != Postgres {
		return q
	}
	if v, ok := db.rebindCache.Load(q); ok {
		return v.(string)
	}
	out := rebindDollar(q)
	db.rebindCache.Store(q, out)
	return out
}

func rebindDollar(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	inQuote := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
			b.WriteByte(c)
		case c == '?' && !inQuote:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Querier is satisfied by *sql.DB, *sql.Tx and *sql.Conn.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Exec runs a statement with '?' placeholders on q.
func (db *DB) Exec(ctx context.Context, q Querier, query string, args ...any) (sql.Result, error) {
	return q.ExecContext(ctx, db.Rebind(query), args...)
}

// execOne runs a statement that must touch a row (an UPDATE or DELETE by
// key): when it touches none, the error is none (e.g. apperr.ErrNotFound).
func (db *DB) execOne(ctx context.Context, q Querier, none error, query string, args ...any) error {
	res, err := db.Exec(ctx, q, query, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return none
	}
	return nil
}

// Query runs a query with '?' placeholders on q.
func (db *DB) Query(ctx context.Context, q Querier, query string, args ...any) (*sql.Rows, error) {
	return q.QueryContext(ctx, db.Rebind(query), args...)
}

// QueryRow runs a single-row query with '?' placeholders on q.
func (db *DB) QueryRow(ctx context.Context, q Querier, query string, args ...any) *sql.Row {
	return q.QueryRowContext(ctx, db.Rebind(query), args...)
}

// InsertID runs an INSERT with '?' placeholders and returns the new row's
// "id" column (RETURNING id works on both SQLite ≥ 3.35 and PostgreSQL).
func (db *DB) InsertID(ctx context.Context, q Querier, query string, args ...any) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, db.Rebind(query+" RETURNING id"), args...).Scan(&id)
	return id, err
}

// rowScanner is a row to scan: *sql.Row or *sql.Rows.
type rowScanner = interface{ Scan(...any) error }

// eachRow runs a query with '?' placeholders on q and calls fn with every
// row, stopping at fn's first error. The rows are closed when it returns.
func eachRow(ctx context.Context, db *DB, q Querier, fn func(rowScanner) error, query string, args ...any) error {
	rows, err := db.Query(ctx, q, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// eachRowIn is eachRow for a query on a list of ids: it runs query(ph) on
// db.SQL once per chunk of up to 500 ids, ph being that many '?'
// placeholders ("?,?,?") and the chunk's ids the arguments.
func eachRowIn(ctx context.Context, db *DB, ids []int64, query func(ph string) string, fn func(rowScanner) error) error {
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		if err := eachRow(ctx, db, db.SQL, fn, query(strings.TrimSuffix(strings.Repeat("?,", len(chunk)), ",")), args...); err != nil {
			return err
		}
	}
	return nil
}

// queryAll runs a query with '?' placeholders on q and returns every row
// read by scan (nil when there is none).
func queryAll[T any](ctx context.Context, db *DB, q Querier, scan func(rowScanner) (T, error), query string, args ...any) ([]T, error) {
	var out []T
	err := eachRow(ctx, db, q, func(sc rowScanner) error {
		v, err := scan(sc)
		out = append(out, v)
		return err
	}, query, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// queryMap runs a query with '?' placeholders on q whose rows are a key
// and a value, and returns them as a map (empty when there is no row).
func queryMap[K comparable, V any](ctx context.Context, db *DB, q Querier, query string, args ...any) (map[K]V, error) {
	out := map[K]V{}
	err := eachRow(ctx, db, q, func(sc rowScanner) error {
		var k K
		var v V
		err := sc.Scan(&k, &v)
		out[k] = v
		return err
	}, query, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// notFound passes on a single-row read, its sql.ErrNoRows turned into
// apperr.ErrNotFound.
func notFound[T any](v T, err error) (T, error) {
	return v, noRows(err, apperr.ErrNotFound)
}

// noRows is err, or missing when err is sql.ErrNoRows (a single-row read
// found nothing).
func noRows(err, missing error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return missing
	}
	return err
}

// Tx runs fn in a transaction, committing if fn returns nil and rolling back
// otherwise (also on panic). A database that is busy or read-only fails
// with an apperr.KindUnavailable error (see unavailable).
func (db *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return unavailable(err)
	}
	return unavailable(finishTx(tx, func() error { return fn(tx) }))
}

// finishTx runs fn inside the open transaction tx, committing if fn returns
// nil and rolling back otherwise (also on panic).
func finishTx(tx *sql.Tx, fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(); err != nil {
		return err
	}
	return tx.Commit()
}

func (db *DB) migrations() ([]migration, error) {
	all, err := embeddedMigrations()
	if err != nil {
		return nil, err
	}
	ms, ok := all[db.Dialect]
	if !ok {
		return nil, fmt.Errorf("no migrations for dialect %q", db.Dialect)
	}
	return ms, nil
}

// Migrate applies every embedded migration not yet applied, in version order,
// each in its own transaction. On PostgreSQL it holds a session advisory
// lock (keyed on the schema) on a connection of its own for the whole run,
// so any number of servers can start, and upgrade, one database at once:
// the first migrates, the others wait and then find nothing left to do.
// (SQLite needs no lock: its transactions begin IMMEDIATE.) Then it
// writes the audit entries a migration could not (auditAdoptedOptOuts),
// each once.
func (db *DB) Migrate(ctx context.Context) error {
	if db.Dialect == Postgres {
		unlock, err := db.migrationLock(ctx)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		defer unlock()
	}
	if err := db.migrate(ctx, -1); err != nil {
		return err
	}
	if _, err := db.auditAdoptedOptOuts(ctx); err != nil {
		return fmt.Errorf("migrate: audit the opt-outs migration 0070 adopted: %w", err)
	}
	return nil
}

// MigrateTo applies the embedded migrations up to and including version
// (in order), as a server of that version would have: for tests that
// upgrade a database step by step.
func (db *DB) MigrateTo(ctx context.Context, version int) error {
	if db.Dialect == Postgres {
		unlock, err := db.migrationLock(ctx)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		defer unlock()
	}
	return db.migrate(ctx, version)
}

// migrationLock takes the PostgreSQL session advisory lock that serialises
// migrations of the current schema, on a dedicated connection, and returns
// the function that releases it (closing the connection also would).
func (db *DB) migrationLock(ctx context.Context) (func(), error) {
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return nil, err
	}
	var schema string
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(current_schema(), '')`).Scan(&schema); err != nil {
		conn.Close()
		return nil, err
	}
	h := fnv.New64a()
	h.Write([]byte("vigil.migrate:" + schema))
	key := int64(h.Sum64())
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, key); err != nil {
		conn.Close()
		return nil, fmt.Errorf("lock for migrations: %w", err)
	}
	return func() {
		_, _ = conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, key)
		conn.Close()
	}, nil
}

func (db *DB) migrate(ctx context.Context, upTo int) error {
	if _, err := db.SQL.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	ms, err := db.migrations()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := db.renumberMigrations(ctx, ms); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	applied, err := db.appliedMigrations(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, m := range ms {
		if upTo >= 0 && m.version > upTo {
			break
		}
		if _, ok := applied[m.slug]; ok {
			continue
		}
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := db.Exec(ctx, tx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.version, m.name)
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

// appliedMigrations returns the recorded migrations by slug: name (version).
func (db *DB) appliedMigrations(ctx context.Context) (map[string]migration, error) {
	applied := map[string]migration{}
	err := eachRow(ctx, db, db.SQL, func(sc rowScanner) error {
		var m migration
		if err := sc.Scan(&m.version, &m.name); err != nil {
			return err
		}
		_, m.slug, _ = strings.Cut(m.name, "_")
		applied[m.slug] = m
		return nil
	}, `SELECT version, name FROM schema_migrations`)
	return applied, err
}

// renumberMigrations rewrites schema_migrations rows recorded under an
// older numbering (the per-capability ranges used before 2026-12) to the
// current sequence, in one transaction, so versions always follow the order
// in which migrations were written. Rows of migrations this binary does not
// know (a newer server's) are kept as they are.
func (db *DB) renumberMigrations(ctx context.Context, ms []migration) error {
	applied, err := db.appliedMigrations(ctx)
	if err != nil {
		return err
	}
	stale := false
	for _, m := range ms {
		if a, ok := applied[m.slug]; ok && (a.version != m.version || a.name != m.name) {
			stale = true
		}
	}
	if !stale {
		return nil
	}
	return db.Tx(ctx, func(tx *sql.Tx) error {
		for _, m := range ms {
			if a, ok := applied[m.slug]; ok {
				if _, err := db.Exec(ctx, tx, `DELETE FROM schema_migrations WHERE version = ? AND name = ?`, a.version, a.name); err != nil {
					return err
				}
			}
		}
		for _, m := range ms {
			if _, ok := applied[m.slug]; ok {
				if _, err := db.Exec(ctx, tx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.version, m.name); err != nil {
					return fmt.Errorf("renumbering %s: %w", m.name, err)
				}
			}
		}
		return nil
	})
}

// MigrationNames lists the embedded migrations of the database's dialect in
// the order they apply (file names: NNNN_slug.sql).
func (db *DB) MigrationNames() ([]string, error) {
	ms, err := db.migrations()
	if err != nil {
		return nil, err
	}
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.name
	}
	return names, nil
}
