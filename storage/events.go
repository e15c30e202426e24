package storage

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/maphash"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"weak"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/grid"
)

// Events store: *DB implements events.Store.
//
// Writes go to the events table, upserted by (source, source_id) with a
// content hash. Reads that filter by box, dates, types, countries or source
// (Events, Clusters, CellMonths) are answered from an in-process columnar
// index of every event's id, position, day, type, best estimate, cell,
// country and source (about 60 bytes per event), rebuilt lazily whenever the
// events_version counter — bumped by every import that changed something, in
// any process — moves. Full rows are then fetched by primary key. The
// figures behind this choice are in docs/benchmarks/events.md.

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
		int64(e.DatePrecision), dayOf(e.DateStart), int64(e.Month()), e.Lat, e.Lon, int64(e.WherePrecision),
		e.Country, e.CountryCode, e.Admin1, e.Admin2, e.Admin1Code, e.Location, int64(e.GridCell), int64(e.Violence),
		e.EventType, e.SubEventType, e.ConflictName, e.SideA, e.SideB, int64(e.Best), int64(e.Low), int64(e.High), int64(e.Civilian), e.Notes}
}

func dayOf(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// Import runs fn in one transaction; nothing is written if fn fails. On
// PostgreSQL the transaction runs on one dedicated connection, which batch
// upserts use for COPY (events_pg.go).
func (db *DB) Import(ctx context.Context, fn func(events.Upserter) error) error {
	var up *upserter
	var version int64
	body := func(tx *sql.Tx, conn *sql.Conn) error {
		up = &upserter{db: db, tx: tx, conn: conn, delta: []idxRow{}}
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
		err = db.pgImportTx(ctx, body)
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
		db.evIndexApply(up.delta, version)
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

// idxRow is one inserted or updated event as the in-process index holds it.
type idxRow struct {
	id                     int64
	lat, lon               float64
	day, best, cell        int32
	vio                    uint8
	country, ccode, source string
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
	u.delta = append(u.delta, idxRow{id: e.ID, lat: e.Lat, lon: e.Lon, day: int32(dayOf(e.DateStart)), best: int32(e.Best),
		cell: int32(e.GridCell), vio: uint8(e.Violence), country: e.Country, ccode: e.CountryCode, source: e.Source})
}

type upserter struct {
	db      *DB
	tx      *sql.Tx
	ins     *sql.Stmt
	sel     *sql.Stmt
	upd     *sql.Stmt
	batch   map[string]*sql.Stmt // multi-row statements by kind and size
	fresh   map[string]bool      // SQLite: source had no events when this import first met it
	added   map[uint64]struct{}  // keys of events inserted into fresh sources by this import
	seed    maphash.Seed
	changed bool
	delta   []idxRow      // changes for the in-process index; nil once too many
	conn    *sql.Conn     // PostgreSQL: the import's dedicated connection (COPY)
	pg      pgImportState // PostgreSQL batch upserts (events_pg.go)
}

func (u *upserter) close() {
	for _, s := range []*sql.Stmt{u.ins, u.sel, u.upd} {
		if s != nil {
			s.Close()
		}
	}
	for _, s := range u.batch {
		s.Close()
	}
}

// batchRows is the most rows one multi-row statement carries (29
// parameters each: well under SQLite's and PostgreSQL's limits).
const batchRows = 200

func (u *upserter) batchStmt(ctx context.Context, kind string, n int) (*sql.Stmt, error) {
	key := fmt.Sprintf("%s/%d", kind, n)
	if st, ok := u.batch[key]; ok {
		return st, nil
	}
	var q string
	switch kind {
	case "select":
		q = `SELECT source_id, id, hash FROM events WHERE source = ? AND source_id IN (?` + strings.Repeat(",?", n-1) + `)`
	case "insert", "insert-new":
		row := "(" + strings.TrimSuffix(strings.Repeat("?, ", 29), ", ") + ")"
		verb := "INSERT"
		if kind == "insert-new" {
			verb = "INSERT OR IGNORE"
		}
		q = verb + ` INTO events (` + eventCols + `) VALUES ` + strings.TrimSuffix(strings.Repeat(row+",", n), ",")
	}
	st, err := u.tx.PrepareContext(ctx, u.db.Rebind(q))
	if err != nil {
		return nil, err
	}
	if u.batch == nil {
		u.batch = map[string]*sql.Stmt{}
	}
	u.batch[key] = st
	return st, nil
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
			return nil, &events.FieldError{Field: "id", Msg: fmt.Sprintf("duplicate id %q in one batch", e.SourceID)}
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

func scanEvent(sc interface{ Scan(...any) error }) (events.Event, error) {
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

// Event returns one event by id, or events.ErrNotFound.
func (db *DB) Event(ctx context.Context, id int64) (events.Event, error) {
	e, err := scanEvent(db.QueryRow(ctx, db.SQL, selectEvent+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("event %d: %w", id, events.ErrNotFound)
	}
	return e, err
}

// WarmEvents builds the in-process events index now, so that the first map
// request after a server start does not pay for it (about 7–15 s for a
// million events on a loaded 2-core machine; see docs/benchmarks/events.md).
// Call it in the background after opening the store.
func (db *DB) WarmEvents(ctx context.Context) error {
	_, err := db.evIndexGet(ctx)
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
	m, err := compileFilter(f)
	if err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultEventsLimit
	}
	limit = min(limit, MaxEventsLimit)
	ix, err := db.evIndexGet(ctx)
	if err != nil {
		return nil, err
	}
	ids := ix.page(m.bind(ix), f.After, limit, pageWalkThreshold)
	out := make([]events.Event, 0, len(ids))
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		q := selectEvent + ` WHERE id IN (?` + strings.Repeat(",?", len(chunk)-1) + `) ORDER BY id`
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := db.Query(ctx, db.SQL, q, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			e, err := scanEvent(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, e)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Clusters groups matching events into squares of cellDeg degrees (anchored
// at -90,-180), one cluster per non-empty square at the mean position of its
// events, ordered south to north, west to east. f.After and f.Limit are
// ignored.
func (db *DB) Clusters(ctx context.Context, f events.Filter, cellDeg float64) ([]events.Cluster, error) {
	if math.IsNaN(cellDeg) || cellDeg <= 0 || cellDeg > 180 {
		return nil, &events.FieldError{Field: "cell", Msg: fmt.Sprintf("cluster size %v degrees: must be in (0, 180]", cellDeg)}
	}
	m, err := compileFilter(f)
	if err != nil {
		return nil, err
	}
	ix, err := db.evIndexGet(ctx)
	if err != nil {
		return nil, err
	}
	return ix.clusters(m.bind(ix), cellDeg), nil
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
			return nil, &events.FieldError{Field: "cell_size", Msg: err.Error()}
		}
		reg = &g
	}
	m, err := compileFilter(f)
	if err != nil {
		return nil, err
	}
	ix, err := db.evIndexGet(ctx)
	if err != nil {
		return nil, err
	}
	type key struct {
		month grid.Month
		cell  int
	}
	agg := map[key]*events.CellMonth{}
	ix.scan(m.bind(ix), func(i int) {
		cell := int(ix.cell[i])
		if reg != nil {
			cell, _ = reg.Cell(ix.lat[i], ix.lon[i]) // coordinates were validated on import
		}
		t := time.Unix(int64(ix.day[i])*86400, 0).UTC()
		k := key{grid.MonthOf(t.Year(), int(t.Month())), cell}
		cm := agg[k]
		if cm == nil {
			cm = &events.CellMonth{Cell: k.cell, Month: k.month}
			agg[k] = cm
		}
		v := int(ix.vio[i])
		if v > 3 {
			v = 0
		}
		cm.Counts[v]++
		cm.Deaths[v] += int(ix.best[i])
	})
	out := make([]events.CellMonth, 0, len(agg))
	for _, cm := range agg {
		out = append(out, *cm)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Month != out[j].Month {
			return out[i].Month < out[j].Month
		}
		return out[i].Cell < out[j].Cell
	})
	return out, nil
}

// ---- filter ----

type filter struct {
	bbox             *events.BBox
	fromDay, toDay   int32
	hasFrom, hasTo   bool
	types            [256]bool
	anyType          bool
	countries        []string // lower-cased
	source           string
	hasSource        bool
	hasCountryFilter bool
}

func compileFilter(f events.Filter) (*filter, error) {
	m := &filter{anyType: len(f.Types) == 0, fromDay: math.MinInt32, toDay: math.MaxInt32}
	if f.BBox != nil {
		if err := f.BBox.Validate(); err != nil {
			return nil, &events.FieldError{Field: "bbox", Msg: strings.TrimPrefix(err.Error(), "bbox: ")}
		}
		b := *f.BBox
		m.bbox = &b
	}
	if !f.From.IsZero() {
		m.fromDay, m.hasFrom = int32(max(math.MinInt32+1, min(math.MaxInt32-1, dayOf(f.From)))), true
	}
	if !f.To.IsZero() {
		m.toDay, m.hasTo = int32(max(math.MinInt32+1, min(math.MaxInt32-1, dayOf(f.To)))), true
	}
	for _, t := range f.Types {
		if t < 0 || t > 255 {
			return nil, &events.FieldError{Field: "type", Msg: fmt.Sprintf("unknown violence type %d", int(t))}
		}
		m.types[t] = true
	}
	for _, c := range f.Countries {
		if c = strings.ToLower(strings.TrimSpace(c)); c != "" {
			m.countries = append(m.countries, c)
		}
	}
	m.hasCountryFilter = len(f.Countries) > 0
	m.source, m.hasSource = f.Source, f.Source != ""
	return m, nil
}

// boundFilter is a filter resolved against one index's interned strings.
type boundFilter struct {
	*filter
	strOK  []bool // for country filter: interned string matches
	source int32  // interned source, -1 if absent
	// needOther: a check beyond box and dates is needed per event.
	needOther bool
}

func (m *filter) bind(ix *evIndex) *boundFilter {
	b := &boundFilter{filter: m, source: -1}
	if m.hasCountryFilter {
		b.strOK = make([]bool, len(ix.strs))
		for i, s := range ix.strs {
			ls := strings.ToLower(s)
			for _, c := range m.countries {
				if ls == c {
					b.strOK[i] = true
				}
			}
		}
	}
	if m.hasSource {
		if v, ok := ix.strIdx[m.source]; ok {
			b.source = int32(v)
		}
	}
	b.needOther = !m.anyType || m.hasSource || m.hasCountryFilter
	return b
}

// other checks everything but the box and dates.
func (b *boundFilter) other(ix *evIndex, i int) bool {
	if !b.anyType && !b.types[ix.vio[i]] {
		return false
	}
	if b.hasSource && int32(ix.source[i]) != b.source {
		return false
	}
	if b.hasCountryFilter && !b.strOK[ix.country[i]] && !b.strOK[ix.ccode[i]] {
		return false
	}
	return true
}

func (b *boundFilter) inBox(ix *evIndex, i int) bool {
	bb := b.bbox
	if bb == nil {
		return true
	}
	lat, lon := ix.lat[i], ix.lon[i]
	return lat >= bb.South && lat <= bb.North && lon >= bb.West && lon <= bb.East
}

// match checks everything.
func (b *boundFilter) match(ix *evIndex, i int) bool {
	if d := ix.day[i]; d < b.fromDay || d > b.toDay {
		return false
	}
	return b.inBox(ix, i) && (!b.needOther || b.other(ix, i))
}

// ---- in-process index ----

// evIndex is a columnar snapshot of the events table, ordered by 1° square
// (row-major from the south-west) and, within a square, by start day, so a
// box and a date range select a few contiguous runs. byID lists positions in
// id order for cursor pagination.
type evIndex struct {
	version  int64
	id       []int64
	lat, lon []float64
	day      []int32
	best     []int32
	cell     []int32 // PRIO-GRID gid
	vio      []uint8
	country  []uint32 // interned strings
	ccode    []uint32
	source   []uint32
	squareAt []int32 // events of 1° square s are [squareAt[s], squareAt[s+1])
	byID     []int32
	strs     []string
	strIdx   map[string]uint32
}

const (
	sqCols = 360
	sqRows = 180
)

func square(lat, lon float64) int {
	r := min(sqRows-1, max(0, int(math.Floor(lat+90))))
	c := min(sqCols-1, max(0, int(math.Floor(lon+180))))
	return r*sqCols + c
}

// run is a contiguous range of index positions; inside means every event
// in it lies in the box.
type run struct {
	lo, hi int
	inside bool
}

// runs returns the ranges of positions that can match the box and dates.
func (ix *evIndex) runs(b *boundFilter) []run {
	r0, r1, c0, c1 := 0, sqRows-1, 0, sqCols-1
	if bb := b.bbox; bb != nil {
		s0, s1 := square(bb.South, bb.West), square(bb.North, bb.East)
		r0, c0, r1, c1 = s0/sqCols, s0%sqCols, s1/sqCols, s1%sqCols
	}
	var out []run
	for r := r0; r <= r1; r++ {
		for c := c0; c <= c1; c++ {
			s := r*sqCols + c
			lo, hi := int(ix.squareAt[s]), int(ix.squareAt[s+1])
			if lo == hi {
				continue
			}
			if b.hasFrom {
				lo += sort.Search(hi-lo, func(k int) bool { return ix.day[lo+k] >= b.fromDay })
			}
			if b.hasTo {
				hi = lo + sort.Search(hi-lo, func(k int) bool { return ix.day[lo+k] > b.toDay })
			}
			if lo >= hi {
				continue
			}
			inside := true
			if bb := b.bbox; bb != nil {
				south, west := float64(r-90), float64(c-180)
				inside = south >= bb.South && south+1 <= bb.North && west >= bb.West && west+1 <= bb.East
			}
			out = append(out, run{lo, hi, inside})
		}
	}
	return out
}

// scan calls fn for every matching position.
func (ix *evIndex) scan(b *boundFilter, fn func(i int)) {
	for _, r := range ix.runs(b) {
		for i := r.lo; i < r.hi; i++ {
			if (r.inside || b.inBox(ix, i)) && (!b.needOther || b.other(ix, i)) {
				fn(i)
			}
		}
	}
}

// pageWalkThreshold is the number of candidates (events in the box's
// squares and date range) above which a page is found by walking events in
// id order rather than by collecting and sorting the candidates.
const pageWalkThreshold = 50000

// page returns the ids of up to limit matching events with id > after, in
// id order. Few candidates: collect them from the box's runs and sort; many:
// walk the events in id order, which finds limit matches quickly.
func (ix *evIndex) page(b *boundFilter, after int64, limit, walkAbove int) []int64 {
	runs := ix.runs(b)
	cand := 0
	for _, r := range runs {
		cand += r.hi - r.lo
	}
	if cand <= walkAbove {
		var ids []int64
		for _, r := range runs {
			for i := r.lo; i < r.hi; i++ {
				if ix.id[i] > after && (r.inside || b.inBox(ix, i)) && (!b.needOther || b.other(ix, i)) {
					ids = append(ids, ix.id[i])
				}
			}
		}
		slices.Sort(ids)
		return ids[:min(len(ids), limit)]
	}
	start := sort.Search(len(ix.byID), func(k int) bool { return ix.id[ix.byID[k]] > after })
	ids := make([]int64, 0, limit)
	for k := start; k < len(ix.byID) && len(ids) < limit; k++ {
		if i := int(ix.byID[k]); b.match(ix, i) {
			ids = append(ids, ix.id[i])
		}
	}
	return ids
}

// maxDenseClusterCells bounds the accumulator grid of one cluster request;
// finer grids fall back to a map.
const maxDenseClusterCells = 1 << 21

func (ix *evIndex) clusters(b *boundFilter, cellDeg float64) []events.Cluster {
	type acc struct {
		lat, lon  float64
		n, deaths int
		id        int64
	}
	cols := int64(math.Ceil(360 / cellDeg))
	key := func(lat, lon float64) (int64, int64) {
		return int64(math.Floor((lat + 90) / cellDeg)), int64(math.Floor((lon + 180) / cellDeg))
	}
	// The grid of cluster cells the box (or the world) covers.
	r0, c0 := key(-90, -180)
	r1, c1 := key(90, 180)
	if bb := b.bbox; bb != nil {
		r0, c0 = key(bb.South, bb.West)
		r1, c1 = key(bb.North, bb.East)
	}
	w, h := c1-c0+1, r1-r0+1
	var dense []acc
	var sparse map[int64]*acc
	if w*h <= maxDenseClusterCells {
		dense = make([]acc, w*h)
	} else {
		sparse = map[int64]*acc{}
	}
	ix.scan(b, func(i int) {
		lat, lon := ix.lat[i], ix.lon[i]
		r, c := key(lat, lon)
		var a *acc
		if dense != nil {
			a = &dense[(r-r0)*w+(c-c0)]
		} else {
			k := r*cols + c
			if a = sparse[k]; a == nil {
				a = &acc{}
				sparse[k] = a
			}
		}
		if a.n == 0 {
			a.id = ix.id[i]
		}
		a.lat += lat
		a.lon += lon
		a.n++
		a.deaths += int(ix.best[i])
	})
	emit := func(a *acc) events.Cluster {
		c := events.Cluster{Lat: a.lat / float64(a.n), Lon: a.lon / float64(a.n), Count: a.n, Deaths: a.deaths}
		if a.n == 1 {
			c.ID = a.id
		}
		return c
	}
	var out []events.Cluster
	if dense != nil {
		for k := range dense {
			if dense[k].n > 0 {
				out = append(out, emit(&dense[k]))
			}
		}
		return out
	}
	keys := make([]int64, 0, len(sparse))
	for k := range sparse {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		out = append(out, emit(sparse[k]))
	}
	return out
}

type evIndexState struct {
	mu  sync.Mutex
	cur *evIndex
}

// evIndexes maps each open DB (weakly) to its index, dropped with the DB.
var evIndexes sync.Map // weak.Pointer[DB] -> *evIndexState

func (db *DB) evState() *evIndexState {
	k := weak.Make(db)
	if v, ok := evIndexes.Load(k); ok {
		return v.(*evIndexState)
	}
	v, loaded := evIndexes.LoadOrStore(k, &evIndexState{})
	if !loaded {
		runtime.AddCleanup(db, func(k weak.Pointer[DB]) { evIndexes.Delete(k) }, k)
	}
	return v.(*evIndexState)
}

func (db *DB) evIndexInvalidate() {
	st := db.evState()
	st.mu.Lock()
	st.cur = nil
	st.mu.Unlock()
}

// evIndexApply brings this process's index up to version after one of its
// own imports committed delta: if the index was exactly one version behind
// (no other writer in between), the changed events are merged in; otherwise
// it is dropped and the next read rebuilds it.
func (db *DB) evIndexApply(delta []idxRow, version int64) {
	st := db.evState()
	st.mu.Lock()
	defer st.mu.Unlock()
	switch {
	case st.cur == nil || st.cur.version >= version:
	case st.cur.version == version-1 && delta != nil:
		st.cur = st.cur.withDelta(delta, version)
	default:
		st.cur = nil
	}
}

// evIndexGet returns an index no older than the current events_version.
func (db *DB) evIndexGet(ctx context.Context) (*evIndex, error) {
	var v int64
	if err := db.QueryRow(ctx, db.SQL, `SELECT version FROM events_version WHERE one = 1`).Scan(&v); err != nil {
		return nil, fmt.Errorf("events: read version: %w", err)
	}
	st := db.evState()
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.cur != nil && st.cur.version >= v {
		return st.cur, nil
	}
	ix, err := db.loadEvIndex(ctx, v)
	if err != nil {
		return nil, err
	}
	st.cur = ix
	return ix, nil
}

func (db *DB) loadEvIndex(ctx context.Context, version int64) (*evIndex, error) {
	var n int
	if err := db.QueryRow(ctx, db.SQL, `SELECT COUNT(*) FROM events`).Scan(&n); err != nil {
		return nil, err
	}
	n += n / 16
	// Read in id order into temporary columns.
	t := &evIndex{version: version, strIdx: map[string]uint32{},
		id: make([]int64, 0, n), lat: make([]float64, 0, n), lon: make([]float64, 0, n),
		day: make([]int32, 0, n), best: make([]int32, 0, n), cell: make([]int32, 0, n), vio: make([]uint8, 0, n),
		country: make([]uint32, 0, n), ccode: make([]uint32, 0, n), source: make([]uint32, 0, n)}
	intern := func(b []byte) uint32 {
		if v, ok := t.strIdx[string(b)]; ok {
			return v
		}
		s := string(b)
		v := uint32(len(t.strs))
		t.strs = append(t.strs, s)
		t.strIdx[s] = v
		return v
	}
	// No ORDER BY: SQLite scans in rowid order anyway, and PostgreSQL's
	// sequential scan is faster than walking the primary key; arrange sorts
	// by id if needed.
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
		t.id = append(t.id, id)
		t.lat = append(t.lat, lat)
		t.lon = append(t.lon, lon)
		t.day = append(t.day, int32(day))
		t.best = append(t.best, int32(best))
		t.cell = append(t.cell, int32(cell))
		t.vio = append(t.vio, uint8(vio))
		t.country = append(t.country, intern(country))
		t.ccode = append(t.ccode, intern(ccode))
		t.source = append(t.source, intern(source))
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return t.arrange(), nil
}

// arrange reorders columns (read in any order) into square/day order and
// lists positions in id order.
func (t *evIndex) arrange() *evIndex {
	n := len(t.id)
	sq := make([]int32, n)
	at := make([]int32, sqRows*sqCols+1)
	for i := range n {
		s := square(t.lat[i], t.lon[i])
		sq[i] = int32(s)
		at[s+1]++
	}
	for s := 1; s < len(at); s++ {
		at[s] += at[s-1]
	}
	perm := make([]int32, n) // position -> id-order index
	fill := slices.Clone(at[:len(at)-1])
	for i := range n {
		perm[fill[sq[i]]] = int32(i)
		fill[sq[i]]++
	}
	for s := 0; s+1 < len(at); s++ {
		part := perm[at[s]:at[s+1]]
		if len(part) > 1 {
			slices.SortStableFunc(part, func(a, b int32) int { return int(t.day[a]) - int(t.day[b]) })
		}
	}
	ix := &evIndex{version: t.version, strs: t.strs, strIdx: t.strIdx, squareAt: at,
		id: make([]int64, n), lat: make([]float64, n), lon: make([]float64, n), day: make([]int32, n),
		best: make([]int32, n), cell: make([]int32, n), vio: make([]uint8, n), country: make([]uint32, n),
		ccode: make([]uint32, n), source: make([]uint32, n), byID: make([]int32, n)}
	for p, i := range perm {
		ix.id[p], ix.lat[p], ix.lon[p], ix.day[p] = t.id[i], t.lat[i], t.lon[i], t.day[i]
		ix.best[p], ix.cell[p], ix.vio[p] = t.best[i], t.cell[i], t.vio[i]
		ix.country[p], ix.ccode[p], ix.source[p] = t.country[i], t.ccode[i], t.source[i]
		ix.byID[i] = int32(p)
	}
	if !slices.IsSorted(t.id) {
		slices.SortFunc(ix.byID, func(a, b int32) int { return cmpInt64(ix.id[a], ix.id[b]) })
	}
	return ix
}

// withDelta returns a new index: ix with the delta's events inserted or
// replaced (ix itself is left as it is for readers still using it).
func (ix *evIndex) withDelta(delta []idxRow, version int64) *evIndex {
	strs := slices.Clone(ix.strs)
	strIdx := make(map[string]uint32, len(ix.strIdx)+8)
	for k, v := range ix.strIdx {
		strIdx[k] = v
	}
	intern := func(s string) uint32 {
		if v, ok := strIdx[s]; ok {
			return v
		}
		strs = append(strs, s)
		strIdx[s] = uint32(len(strs) - 1)
		return uint32(len(strs) - 1)
	}
	// Last change per id wins; replaced events are dropped from the old order.
	latest := map[int64]int{}
	for i, r := range delta {
		latest[r.id] = i
	}
	drop := map[int]bool{}
	for id := range latest {
		k := sort.Search(len(ix.byID), func(k int) bool { return ix.id[ix.byID[k]] >= id })
		if k < len(ix.byID) && ix.id[ix.byID[k]] == id {
			drop[int(ix.byID[k])] = true
		}
	}
	var add []idxRow
	for i, r := range delta {
		if latest[r.id] == i {
			add = append(add, r)
		}
	}
	sqOf := func(r idxRow) int { return square(r.lat, r.lon) }
	slices.SortFunc(add, func(a, b idxRow) int {
		if sa, sb := sqOf(a), sqOf(b); sa != sb {
			return sa - sb
		}
		return int(a.day) - int(b.day)
	})
	n := len(ix.id) - len(drop) + len(add)
	out := &evIndex{version: version, strs: strs, strIdx: strIdx, squareAt: make([]int32, len(ix.squareAt)),
		id: make([]int64, 0, n), lat: make([]float64, 0, n), lon: make([]float64, 0, n), day: make([]int32, 0, n),
		best: make([]int32, 0, n), cell: make([]int32, 0, n), vio: make([]uint8, 0, n), country: make([]uint32, 0, n),
		ccode: make([]uint32, 0, n), source: make([]uint32, 0, n)}
	newPos := make([]int32, len(ix.id)) // old position -> new, -1 if dropped
	push := func(id int64, lat, lon float64, day, best, cell int32, vio uint8, c, cc, src uint32) {
		out.id, out.lat, out.lon, out.day = append(out.id, id), append(out.lat, lat), append(out.lon, lon), append(out.day, day)
		out.best, out.cell, out.vio = append(out.best, best), append(out.cell, cell), append(out.vio, vio)
		out.country, out.ccode, out.source = append(out.country, c), append(out.ccode, cc), append(out.source, src)
	}
	a := 0
	for s := 0; s+1 < len(ix.squareAt); s++ {
		out.squareAt[s] = int32(len(out.id))
		for p := int(ix.squareAt[s]); p < int(ix.squareAt[s+1]); p++ {
			for a < len(add) && sqOf(add[a]) == s && add[a].day < ix.day[p] {
				r := add[a]
				push(r.id, r.lat, r.lon, r.day, r.best, r.cell, r.vio, intern(r.country), intern(r.ccode), intern(r.source))
				a++
			}
			if drop[p] {
				newPos[p] = -1
				continue
			}
			newPos[p] = int32(len(out.id))
			push(ix.id[p], ix.lat[p], ix.lon[p], ix.day[p], ix.best[p], ix.cell[p], ix.vio[p], ix.country[p], ix.ccode[p], ix.source[p])
		}
		for a < len(add) && sqOf(add[a]) == s {
			r := add[a]
			push(r.id, r.lat, r.lon, r.day, r.best, r.cell, r.vio, intern(r.country), intern(r.ccode), intern(r.source))
			a++
		}
	}
	out.squareAt[len(out.squareAt)-1] = int32(len(out.id))
	out.strs = strs // intern may have grown it after out was made
	// id order: the surviving old order merged with the added ids.
	addPos := make([]int32, 0, len(add))
	for p := range out.id {
		if _, ok := latest[out.id[p]]; ok {
			addPos = append(addPos, int32(p))
		}
	}
	slices.SortFunc(addPos, func(x, y int32) int { return cmpInt64(out.id[x], out.id[y]) })
	out.byID = make([]int32, 0, n)
	j := 0
	for _, p := range ix.byID {
		np := newPos[p]
		if np < 0 {
			continue
		}
		for j < len(addPos) && out.id[addPos[j]] < out.id[np] {
			out.byID = append(out.byID, addPos[j])
			j++
		}
		out.byID = append(out.byID, np)
	}
	out.byID = append(out.byID, addPos[j:]...)
	return out
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
