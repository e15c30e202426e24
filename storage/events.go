package storage

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/maphash"
	"strings"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage/evindex"
)

// Events store: *DB implements events.Store.
//
// Writes go to the events table, upserted by (source, source_id) with a
// content hash. Reads that filter by box, dates, types, countries or source
// (Events, Clusters, CellMonths) are answered from an in-process columnar
// index (package evindex) held in db.events, rebuilt lazily whenever the
// events_version counter — bumped by every import that changed something, in
// any process — moves; this process's own small imports are merged into it.
// Full rows are then fetched by primary key. The figures behind this choice
// are in docs/benchmarks/events.md.

var _ events.Store = (*DB)(nil)

// DefaultEventsLimit and MaxEventsLimit bound an Events page.
const (
	DefaultEventsLimit = 100
	MaxEventsLimit     = 10000
)

const eventCols = `source, source_id, hash, date_start, date_end, date_prec, day, month, lat, lon, where_prec,
	country, country_code, admin1, admin2, admin1_code, location, cell, violence, event_type, sub_event_type,
	conflict_name, side_a, side_b, best, low, high, civilian, notes`

// eventArgs are the values of eventCols for e. Integers are passed as int64,
// which database/sql hands to the driver as they are (an int goes through
// reflection).
func eventArgs(e *events.Event, h []byte) []any {
	return []any{e.Source, e.SourceID, h, e.DateStart.Format(time.DateOnly), e.DateEnd.Format(time.DateOnly),
		int64(e.DatePrecision), evindex.Day(e.DateStart), int64(e.Month()), e.Lat, e.Lon, int64(e.WherePrecision),
		e.Country, e.CountryCode, e.Admin1, e.Admin2, e.Admin1Code, e.Location, int64(e.GridCell), int64(e.Violence),
		e.EventType, e.SubEventType, e.ConflictName, e.SideA, e.SideB, int64(e.Best), int64(e.Low), int64(e.High), int64(e.Civilian), e.Notes}
}

// Import runs fn in one transaction; nothing is written if fn fails. On
// PostgreSQL the transaction runs on one dedicated connection, which batch
// upserts use for COPY (events_pg.go).
func (db *DB) Import(ctx context.Context, fn func(events.Upserter) error) error {
	var up *upserter
	var version int64
	body := func(tx *sql.Tx, conn *sql.Conn) error {
		up = &upserter{db: db, tx: tx, batch: stmtCache{tx: tx}, conn: conn, delta: []evindex.Row{}}
		defer up.close()
		if err := fn(up); err != nil {
			return err
		}
		if up.changed {
			if err := db.QueryRow(ctx, tx, `UPDATE events_version SET version = version + 1 WHERE one = 1 RETURNING version`).Scan(&version); err != nil {
				return fmt.Errorf("events: bump version: %w", err)
			}
		}
		return nil
	}
	var err error
	if db.Dialect == Postgres {
		// A hot standby or a lock timeout: unavailable, as db.Tx says it.
		err = unavailable(db.pgImportTx(ctx, body))
	} else {
		err = db.Tx(ctx, func(tx *sql.Tx) error {
			restore, err := sqliteImportCache(ctx, tx)
			if err != nil {
				return err
			}
			defer restore()
			return body(tx, nil)
		})
	}
	if err == nil && up != nil && up.changed {
		db.events.Apply(up.delta, version)
	}
	return err
}

// importCacheKiB is the SQLite page cache an import runs with (the
// connection's own, 64 MiB, is put back after). A large insert dirties
// pages it never reads again; every page the cache holds is memory the
// driver allocates page by page and hands back to the OS one madvise at a
// time when the connection closes, which cost `vigil import` about a tenth
// of its CPU on a 2-core VM. 16 MiB keeps the (source, source_id) index of
// a few hundred thousand events cached (docs/benchmarks/events.md).
const importCacheKiB = 16 << 10

// sqliteImportCache sets the import's page cache on tx's connection and
// returns what puts the previous size back.
func sqliteImportCache(ctx context.Context, tx *sql.Tx) (restore func(), err error) {
	var prev int64
	if err := tx.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&prev); err != nil {
		return nil, fmt.Errorf("events: cache size: %w", err)
	}
	if prev >= 0 || -prev <= importCacheKiB { // a page count, or already small: leave it
		return func() {}, nil
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = -%d`, importCacheKiB)); err != nil {
		return nil, fmt.Errorf("events: cache size: %w", err)
	}
	return func() { tx.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA cache_size = %d`, prev)) }, nil
}

// maxDelta is the most changed events an import passes to the in-process
// index as a delta; bigger imports make the next read rebuild it.
const maxDelta = 20000

func (u *upserter) track(e *events.Event) {
	if u.delta == nil {
		return
	}
	if len(u.delta) >= maxDelta {
		u.delta = nil
		return
	}
	u.delta = append(u.delta, evindex.Row{ID: e.ID, Lat: e.Lat, Lon: e.Lon, Day: int32(evindex.Day(e.DateStart)), Best: int32(e.Best),
		Cell: int32(e.GridCell), Violence: uint8(e.Violence), Country: e.Country, CountryCode: e.CountryCode, Source: e.Source})
}

// Audit writes e to the audit log in the import's own transaction: the
// entry is stored if and only if the events are (ingest.Options.Audit).
func (u *upserter) Audit(ctx context.Context, e audit.Entry) error {
	return u.db.Audit(ctx, u.tx, e)
}

type upserter struct {
	db      *DB
	tx      *sql.Tx
	ins     *sql.Stmt
	sel     *sql.Stmt
	upd     *sql.Stmt
	batch   stmtCache           // multi-row statements by kind and size
	fresh   map[string]bool     // SQLite: source had no events when this import first met it
	added   map[uint64]struct{} // keys of events inserted into fresh sources by this import
	seed    maphash.Seed
	changed bool
	delta   []evindex.Row // changes for the in-process index; nil once too many
	conn    *sql.Conn     // PostgreSQL: the import's dedicated connection (COPY)
	pg      pgImportState // PostgreSQL batch upserts (events_pg.go)
}

func (u *upserter) close() {
	for _, s := range []*sql.Stmt{u.ins, u.sel, u.upd} {
		if s != nil {
			s.Close()
		}
	}
	u.batch.close()
}

// batchRows is the most rows one multi-row statement carries (29
// parameters each: well under SQLite's and PostgreSQL's limits).
const batchRows = 200

func (u *upserter) batchStmt(ctx context.Context, kind string, n int) (*sql.Stmt, error) {
	q := `INSERT INTO events (` + eventCols + `) VALUES ` + valueRows(29, n)
	switch kind {
	case "select":
		q = `SELECT source_id, id, hash FROM events WHERE source = ? AND source_id IN (?` + strings.Repeat(",?", n-1) + `)`
	case "insert-new":
		q = `INSERT OR IGNORE` + strings.TrimPrefix(q, `INSERT`)
	}
	return u.batch.stmt(ctx, u.db.Rebind(q))
}

// UpsertBatch upserts many events with one look-up and one multi-row
// insert per 200 events (see events.BatchUpserter).
//
// On PostgreSQL the batch is copied into a staging table with COPY and
// merged by one statement instead (events_pg.go), which also sets every
// event's ID.
func (u *upserter) UpsertBatch(ctx context.Context, es []*events.Event) ([]events.UpsertResult, error) {
	res := make([]events.UpsertResult, len(es))
	hashes := make([][32]byte, len(es))
	seen := make(map[string]bool, len(es))
	for i, e := range es {
		if err := e.ValidatePublished(); err != nil {
			return nil, err
		}
		k := e.Source + "\x00" + e.SourceID
		if seen[k] {
			return nil, apperr.Invalid("id", fmt.Sprintf("duplicate id %q in one batch", e.SourceID))
		}
		seen[k] = true
		hashes[i] = e.Hash()
	}
	if u.db.Dialect == Postgres {
		if err := u.pgUpsertBatch(ctx, es, hashes, res); err != nil {
			return nil, err
		}
		return res, nil
	}
	if err := u.prepare(ctx); err != nil {
		return nil, fmt.Errorf("events: prepare: %w", err)
	}
	for start := 0; start < len(es); start += batchRows {
		chunk := es[start:min(len(es), start+batchRows)]
		// A chunk of events that cannot be stored yet — each one's source
		// had no events when this import first met it, and no event with
		// its id has been inserted since — needs no look-up (see newChunk).
		if ok, err := u.newChunk(ctx, chunk); err != nil {
			return nil, err
		} else if ok {
			if err := u.insertNew(ctx, chunk, hashes[start:start+len(chunk)], res[start:start+len(chunk)]); err != nil {
				return nil, err
			}
			continue
		}
		// Existing rows, one look-up per source in the chunk.
		type old struct {
			id   int64
			hash []byte
		}
		existing := map[string]old{}
		bySource := map[string][]string{}
		for _, e := range chunk {
			bySource[e.Source] = append(bySource[e.Source], e.SourceID)
		}
		for src, ids := range bySource {
			st, err := u.batchStmt(ctx, "select", len(ids))
			if err != nil {
				return nil, err
			}
			args := make([]any, 0, len(ids)+1)
			args = append(args, src)
			for _, id := range ids {
				args = append(args, id)
			}
			rows, err := st.QueryContext(ctx, args...)
			if err != nil {
				return nil, fmt.Errorf("events: look up: %w", err)
			}
			for rows.Next() {
				var sid string
				var o old
				if err := rows.Scan(&sid, &o.id, &o.hash); err != nil {
					rows.Close()
					return nil, err
				}
				existing[src+"\x00"+sid] = o
			}
			if err := rows.Close(); err != nil {
				return nil, err
			}
		}
		var ins []any
		n := 0
		for j, e := range chunk {
			i := start + j
			h := hashes[i]
			o, ok := existing[e.Source+"\x00"+e.SourceID]
			switch {
			case !ok:
				ins = append(ins, eventArgs(e, h[:])...)
				n++
				res[i] = events.Inserted
			case bytes.Equal(o.hash, h[:]):
				e.ID = o.id
				res[i] = events.Unchanged
			default:
				e.ID = o.id
				if _, err := u.upd.ExecContext(ctx, append(eventArgs(e, h[:]), o.id)...); err != nil {
					return nil, fmt.Errorf("events: update %s/%s: %w", e.Source, e.SourceID, err)
				}
				res[i] = events.Updated
				u.changed = true
				u.track(e)
			}
		}
		if n > 0 {
			st, err := u.batchStmt(ctx, "insert", n)
			if err != nil {
				return nil, err
			}
			if _, err := st.ExecContext(ctx, ins...); err != nil {
				return nil, fmt.Errorf("events: insert: %w", err)
			}
			for j, e := range chunk {
				if res[start+j] == events.Inserted {
					u.inserted(e)
				}
			}
			u.changed = true
			if u.delta != nil && len(u.delta)+n > maxDelta {
				u.delta = nil
			}
			if u.delta != nil { // small import: learn the new ids for the index
				if err := u.trackInserted(ctx, chunk, res[start:start+len(chunk)]); err != nil {
					return nil, err
				}
			}
		}
	}
	return res, nil
}

// newChunk reports whether no event of chunk can be stored yet: each
// one's source had no events when this import first met it, and no event
// with its (source, id) has been inserted by this import since (u.added).
// The write transaction keeps other writers out meanwhile. A false
// positive of u.added's 64-bit keys only sends the chunk to the look-up
// path.
func (u *upserter) newChunk(ctx context.Context, chunk []*events.Event) (bool, error) {
	for _, e := range chunk {
		fresh, err := u.isFresh(ctx, e.Source)
		if err != nil || !fresh {
			return false, err
		}
		if _, dup := u.added[u.key(e)]; dup {
			return false, nil
		}
	}
	return true, nil
}

// isFresh reports whether source had no events when this import first met it.
func (u *upserter) isFresh(ctx context.Context, source string) (bool, error) {
	if fresh, known := u.fresh[source]; known {
		return fresh, nil
	}
	var one int
	err := u.tx.QueryRowContext(ctx, u.db.Rebind(`SELECT 1 FROM events WHERE source = ? LIMIT 1`), source).Scan(&one)
	fresh := errors.Is(err, sql.ErrNoRows)
	if err != nil && !fresh {
		return false, fmt.Errorf("events: look up source %s: %w", source, err)
	}
	if u.fresh == nil {
		u.fresh = map[string]bool{}
		u.added = map[uint64]struct{}{}
		u.seed = maphash.MakeSeed()
	}
	u.fresh[source] = fresh
	return fresh, nil
}

func (u *upserter) key(e *events.Event) uint64 {
	var h maphash.Hash
	h.SetSeed(u.seed)
	h.WriteString(e.Source)
	h.WriteByte(0)
	h.WriteString(e.SourceID)
	return h.Sum64()
}

// inserted notes events this import has just inserted into fresh sources.
func (u *upserter) inserted(es ...*events.Event) {
	for _, e := range es {
		if u.fresh[e.Source] {
			u.added[u.key(e)] = struct{}{}
		}
	}
}

// insertNew stores a chunk of events newChunk found new with one multi-row
// INSERT OR IGNORE: nothing can conflict, so SQLite need not keep a
// statement journal to undo a half-done statement (as a plain INSERT would
// make it do); should a row be ignored all the same, the import fails.
func (u *upserter) insertNew(ctx context.Context, chunk []*events.Event, hashes [][32]byte, res []events.UpsertResult) error {
	st, err := u.batchStmt(ctx, "insert-new", len(chunk))
	if err != nil {
		return err
	}
	args := make([]any, 0, 29*len(chunk))
	for j, e := range chunk {
		args = append(args, eventArgs(e, hashes[j][:])...)
	}
	r, err := st.ExecContext(ctx, args...)
	if err != nil {
		return fmt.Errorf("events: insert: %w", err)
	}
	if n, err := r.RowsAffected(); err != nil || n != int64(len(chunk)) {
		return fmt.Errorf("events: insert: %d of %d new events stored (%v)", n, len(chunk), err)
	}
	for j := range res {
		res[j] = events.Inserted
	}
	u.inserted(chunk...)
	u.changed = true
	if u.delta != nil && len(u.delta)+len(chunk) > maxDelta {
		u.delta = nil
	}
	if u.delta != nil { // small import: learn the new ids for the index
		return u.trackInserted(ctx, chunk, res)
	}
	return nil
}

func (u *upserter) prepare(ctx context.Context) error {
	if u.ins != nil {
		return nil
	}
	ph := strings.TrimSuffix(strings.Repeat("?, ", 29), ", ")
	var err error
	u.ins, err = u.tx.PrepareContext(ctx, u.db.Rebind(`INSERT INTO events (`+eventCols+`) VALUES (`+ph+`)
		ON CONFLICT (source, source_id) DO NOTHING RETURNING id`))
	if err != nil {
		return err
	}
	u.sel, err = u.tx.PrepareContext(ctx, u.db.Rebind(`SELECT id, hash FROM events WHERE source = ? AND source_id = ?`))
	if err != nil {
		return err
	}
	set := strings.ReplaceAll(eventCols, "\n\t", " ")
	var parts []string
	for _, c := range strings.Split(set, ",") {
		parts = append(parts, strings.TrimSpace(c)+" = ?")
	}
	u.upd, err = u.tx.PrepareContext(ctx, u.db.Rebind(`UPDATE events SET `+strings.Join(parts, ", ")+` WHERE id = ?`))
	return err
}

// Upsert validates e and inserts it, updates the stored event with the same
// (Source, SourceID) if its content differs, or leaves it. e.ID is set.
func (u *upserter) Upsert(ctx context.Context, e *events.Event) (events.UpsertResult, error) {
	if err := e.ValidatePublished(); err != nil {
		return 0, err
	}
	if err := u.prepare(ctx); err != nil {
		return 0, fmt.Errorf("events: prepare: %w", err)
	}
	h := e.Hash()
	args := eventArgs(e, h[:])
	var id int64
	err := u.ins.QueryRowContext(ctx, args...).Scan(&id)
	if err == nil {
		e.ID = id
		u.inserted(e)
		u.changed = true
		u.track(e)
		return events.Inserted, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("events: insert %s/%s: %w", e.Source, e.SourceID, err)
	}
	var old []byte
	if err := u.sel.QueryRowContext(ctx, e.Source, e.SourceID).Scan(&id, &old); err != nil {
		return 0, fmt.Errorf("events: look up %s/%s: %w", e.Source, e.SourceID, err)
	}
	e.ID = id
	if bytes.Equal(old, h[:]) {
		return events.Unchanged, nil
	}
	if _, err := u.upd.ExecContext(ctx, append(args, id)...); err != nil {
		return 0, fmt.Errorf("events: update %s/%s: %w", e.Source, e.SourceID, err)
	}
	u.changed = true
	u.track(e)
	return events.Updated, nil
}

// trackInserted looks up the ids of a chunk's inserted events and adds them
// to the delta.
func (u *upserter) trackInserted(ctx context.Context, chunk []*events.Event, res []events.UpsertResult) error {
	bySource := map[string][]*events.Event{}
	for j, e := range chunk {
		if res[j] == events.Inserted {
			bySource[e.Source] = append(bySource[e.Source], e)
		}
	}
	for src, es := range bySource {
		st, err := u.batchStmt(ctx, "select", len(es))
		if err != nil {
			return err
		}
		args := []any{src}
		bySID := make(map[string]*events.Event, len(es))
		for _, e := range es {
			args = append(args, e.SourceID)
			bySID[e.SourceID] = e
		}
		rows, err := st.QueryContext(ctx, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var sid string
			var id int64
			var h []byte
			if err := rows.Scan(&sid, &id, &h); err != nil {
				rows.Close()
				return err
			}
			if e := bySID[sid]; e != nil {
				e.ID = id
				u.track(e)
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
	}
	return nil
}

const selectEvent = `SELECT id, ` + eventCols + ` FROM events`

func scanEvent(sc rowScanner) (events.Event, error) {
	var e events.Event
	var h []byte
	var ds, de string
	var dp, wp, vio int
	var day, month int64
	err := sc.Scan(&e.ID, &e.Source, &e.SourceID, &h, &ds, &de, &dp, &day, &month, &e.Lat, &e.Lon, &wp,
		&e.Country, &e.CountryCode, &e.Admin1, &e.Admin2, &e.Admin1Code, &e.Location, &e.GridCell, &vio,
		&e.EventType, &e.SubEventType, &e.ConflictName, &e.SideA, &e.SideB, &e.Best, &e.Low, &e.High, &e.Civilian, &e.Notes)
	if err != nil {
		return e, err
	}
	e.DatePrecision, e.WherePrecision, e.Violence = events.Precision(dp), events.Precision(wp), events.ViolenceType(vio)
	if e.DateStart, err = time.Parse(time.DateOnly, ds); err != nil {
		return e, fmt.Errorf("event %d: date_start %q: %w", e.ID, ds, err)
	}
	if e.DateEnd, err = time.Parse(time.DateOnly, de); err != nil {
		return e, fmt.Errorf("event %d: date_end %q: %w", e.ID, de, err)
	}
	return e, nil
}

// Event returns one event by id, or apperr.ErrNotFound.
func (db *DB) Event(ctx context.Context, id int64) (events.Event, error) {
	e, err := scanEvent(db.QueryRow(ctx, db.SQL, selectEvent+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("event %d: %w", id, apperr.ErrNotFound)
	}
	return e, err
}

// WarmEvents builds the in-process events index now, so that the first map
// request after a server start does not pay for it (about 7–15 s for a
// million events on a loaded 2-core machine; see docs/benchmarks/events.md).
// Call it in the background after opening the store.
func (db *DB) WarmEvents(ctx context.Context) error {
	_, err := db.evIndex(ctx)
	return err
}

// Count returns the number of stored events.
func (db *DB) Count(ctx context.Context) (int, error) {
	var n int
	err := db.QueryRow(ctx, db.SQL, `SELECT COUNT(*) FROM events`).Scan(&n)
	return n, err
}

// Events returns up to f.Limit events (default 100, at most 10,000) matching
// f with ID > f.After, in ID order.
func (db *DB) Events(ctx context.Context, f events.Filter) ([]events.Event, error) {
	q, ix, err := db.indexed(ctx, f)
	if err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultEventsLimit
	}
	limit = min(limit, MaxEventsLimit)
	ids := ix.Page(q, f.After, limit)
	out := make([]events.Event, 0, len(ids))
	err = eachRowIn(ctx, db, ids, func(ph string) string {
		return selectEvent + ` WHERE id IN (` + ph + `) ORDER BY id`
	}, func(sc rowScanner) error {
		e, err := scanEvent(sc)
		out = append(out, e)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Clusters groups matching events into squares of cellDeg degrees (anchored
// at -90,-180), one cluster per non-empty square at the mean position of its
// events, ordered south to north, west to east. f.After and f.Limit are
// ignored.
func (db *DB) Clusters(ctx context.Context, f events.Filter, cellDeg float64) ([]events.Cluster, error) {
	if err := evindex.CheckClusterSize(cellDeg); err != nil { // before the filter and loading the index
		return nil, err
	}
	q, ix, err := db.indexed(ctx, f)
	if err != nil {
		return nil, err
	}
	return ix.Clusters(q, cellDeg)
}

// CellMonths aggregates matching events by cell and month of their start
// date: PRIO-GRID cells (the stored gid) when cellSize is 0 or 0.5, else the
// regular grid of that size (grid.Regular). Counts and Deaths are indexed by
// violence type 1..3, index 0 holding every other type. Ordered by month,
// then cell. f.After and f.Limit are ignored.
func (db *DB) CellMonths(ctx context.Context, f events.Filter, cellSize float64) ([]events.CellMonth, error) {
	var reg *grid.Regular
	if cellSize != 0 && cellSize != grid.PrioSize {
		g, err := grid.NewRegular(cellSize)
		if err != nil {
			return nil, apperr.Invalid("cell_size", err.Error())
		}
		reg = &g
	}
	q, ix, err := db.indexed(ctx, f)
	if err != nil {
		return nil, err
	}
	return ix.CellMonths(q, reg), nil
}

// indexed compiles f for the in-process index and returns it with the
// index at the current events_version (a bad filter fails before the index
// is loaded).
func (db *DB) indexed(ctx context.Context, f events.Filter) (*evindex.Query, *evindex.Index, error) {
	q, err := evindex.Compile(f)
	if err != nil {
		return nil, nil, err
	}
	ix, err := db.evIndex(ctx)
	if err != nil {
		return nil, nil, err
	}
	return q, ix, nil
}

// evIndex returns the in-process index at the current events_version,
// rebuilding it if another process (or a large import) moved the version.
func (db *DB) evIndex(ctx context.Context) (*evindex.Index, error) {
	var v int64
	if err := db.QueryRow(ctx, db.SQL, `SELECT version FROM events_version WHERE one = 1`).Scan(&v); err != nil {
		return nil, fmt.Errorf("events: read version: %w", err)
	}
	return db.events.Get(v, func(version int64) (*evindex.Index, error) { return db.loadEvIndex(ctx, version) })
}

func (db *DB) loadEvIndex(ctx context.Context, version int64) (*evindex.Index, error) {
	var n int
	if err := db.QueryRow(ctx, db.SQL, `SELECT COUNT(*) FROM events`).Scan(&n); err != nil {
		return nil, err
	}
	b := evindex.NewBuilder(version, n+n/16)
	// No ORDER BY: SQLite scans in rowid order anyway, and PostgreSQL's
	// sequential scan is faster than walking the primary key; the builder
	// sorts by id if needed.
	rows, err := db.Query(ctx, db.SQL, `SELECT id, lat, lon, day, best, cell, violence, country, country_code, source FROM events`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var (
		id, day, best, cell, vio int64
		lat, lon                 float64
		country, ccode, source   sql.RawBytes
	)
	for rows.Next() {
		if err := rows.Scan(&id, &lat, &lon, &day, &best, &cell, &vio, &country, &ccode, &source); err != nil {
			return nil, err
		}
		b.AddBytes(id, lat, lon, int32(day), int32(best), int32(cell), uint8(vio), country, ccode, source)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return b.Build(), nil
}
