package storage

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"runtime"
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

func eventArgs(e *events.Event, h []byte) []any {
	return []any{e.Source, e.SourceID, h, e.DateStart.Format(time.DateOnly), e.DateEnd.Format(time.DateOnly),
		int(e.DatePrecision), dayOf(e.DateStart), int(e.Month()), e.Lat, e.Lon, int(e.WherePrecision),
		e.Country, e.CountryCode, e.Admin1, e.Admin2, e.Admin1Code, e.Location, e.GridCell, int(e.Violence),
		e.EventType, e.SubEventType, e.ConflictName, e.SideA, e.SideB, e.Best, e.Low, e.High, e.Civilian, e.Notes}
}

func dayOf(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// Import runs fn in one transaction; nothing is written if fn fails.
func (db *DB) Import(ctx context.Context, fn func(events.Upserter) error) error {
	var up *upserter
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		up = &upserter{db: db, tx: tx}
		defer up.close()
		if err := fn(up); err != nil {
			return err
		}
		if up.changed {
			if _, err := db.Exec(ctx, tx, `UPDATE events_version SET version = version + 1 WHERE one = 1`); err != nil {
				return fmt.Errorf("events: bump version: %w", err)
			}
		}
		return nil
	})
	if err == nil && up != nil && up.changed {
		db.evIndexInvalidate()
	}
	return err
}

type upserter struct {
	db      *DB
	tx      *sql.Tx
	ins     *sql.Stmt
	sel     *sql.Stmt
	upd     *sql.Stmt
	changed bool
}

func (u *upserter) close() {
	for _, s := range []*sql.Stmt{u.ins, u.sel, u.upd} {
		if s != nil {
			s.Close()
		}
	}
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
	if err := e.Validate(); err != nil {
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
		u.changed = true
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
	return events.Updated, nil
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
	ids := make([]int64, 0, min(limit, 1024))
	start := sort.Search(len(ix.id), func(i int) bool { return ix.id[i] > f.After })
	mt := m.bind(ix)
	for i := start; i < len(ix.id) && len(ids) < limit; i++ {
		if mt.match(ix, i) {
			ids = append(ids, ix.id[i])
		}
	}
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
	cols := int64(math.Ceil(360 / cellDeg))
	type acc struct {
		lat, lon  float64
		n, deaths int
		id        int64
	}
	cells := map[int64]*acc{}
	mt := m.bind(ix)
	for i := range ix.id {
		if !mt.match(ix, i) {
			continue
		}
		lat, lon := ix.lat[i], ix.lon[i]
		k := int64(math.Floor((lat+90)/cellDeg))*cols + int64(math.Floor((lon+180)/cellDeg))
		a := cells[k]
		if a == nil {
			a = &acc{id: ix.id[i]}
			cells[k] = a
		}
		a.lat += lat
		a.lon += lon
		a.n++
		a.deaths += int(ix.best[i])
	}
	keys := make([]int64, 0, len(cells))
	for k := range cells {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	out := make([]events.Cluster, len(keys))
	for i, k := range keys {
		a := cells[k]
		c := events.Cluster{Lat: a.lat / float64(a.n), Lon: a.lon / float64(a.n), Count: a.n, Deaths: a.deaths}
		if a.n == 1 {
			c.ID = a.id
		}
		out[i] = c
	}
	return out, nil
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
	mt := m.bind(ix)
	for i := range ix.id {
		if !mt.match(ix, i) {
			continue
		}
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
	}
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
	m := &filter{anyType: len(f.Types) == 0}
	if f.BBox != nil {
		if err := f.BBox.Validate(); err != nil {
			return nil, &events.FieldError{Field: "bbox", Msg: strings.TrimPrefix(err.Error(), "bbox: ")}
		}
		b := *f.BBox
		m.bbox = &b
	}
	if !f.From.IsZero() {
		m.fromDay, m.hasFrom = int32(dayOf(f.From)), true
	}
	if !f.To.IsZero() {
		m.toDay, m.hasTo = int32(dayOf(f.To)), true
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
	return b
}

func (b *boundFilter) match(ix *evIndex, i int) bool {
	if bb := b.bbox; bb != nil {
		lat, lon := ix.lat[i], ix.lon[i]
		if lat < bb.South || lat > bb.North || lon < bb.West || lon > bb.East {
			return false
		}
	}
	if b.hasFrom && ix.day[i] < b.fromDay {
		return false
	}
	if b.hasTo && ix.day[i] > b.toDay {
		return false
	}
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

// ---- in-process index ----

// evIndex is a columnar snapshot of the events table in id order.
type evIndex struct {
	version  int64
	id       []int64
	lat, lon []float64
	day      []int32
	best     []int32
	cell     []int32
	vio      []uint8
	country  []uint32 // interned strings
	ccode    []uint32
	source   []uint32
	strs     []string
	strIdx   map[string]uint32
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

// evIndexGet returns an index no older than the current events_version.
func (db *DB) evIndexGet(ctx context.Context) (*evIndex, error) {
	var v int64
	if err := db.QueryRow(ctx, db.SQL, `SELECT version FROM events_version WHERE one = 1`).Scan(&v); err != nil {
		return nil, fmt.Errorf("events: read version: %w", err)
	}
	st := db.evState()
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.cur != nil && st.cur.version == v {
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
	ix := &evIndex{version: version, strIdx: map[string]uint32{},
		id: make([]int64, 0, n), lat: make([]float64, 0, n), lon: make([]float64, 0, n),
		day: make([]int32, 0, n), best: make([]int32, 0, n), cell: make([]int32, 0, n), vio: make([]uint8, 0, n),
		country: make([]uint32, 0, n), ccode: make([]uint32, 0, n), source: make([]uint32, 0, n)}
	intern := func(s string) uint32 {
		if v, ok := ix.strIdx[s]; ok {
			return v
		}
		v := uint32(len(ix.strs))
		ix.strs = append(ix.strs, s)
		ix.strIdx[s] = v
		return v
	}
	rows, err := db.Query(ctx, db.SQL, `SELECT id, lat, lon, day, best, cell, violence, country, country_code, source FROM events ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var (
		id, day, best, cell, vio int64
		lat, lon                 float64
		country, ccode, source   []byte
	)
	for rows.Next() {
		if err := rows.Scan(&id, &lat, &lon, &day, &best, &cell, &vio, &country, &ccode, &source); err != nil {
			return nil, err
		}
		ix.id = append(ix.id, id)
		ix.lat = append(ix.lat, lat)
		ix.lon = append(ix.lon, lon)
		ix.day = append(ix.day, int32(day))
		ix.best = append(ix.best, int32(best))
		ix.cell = append(ix.cell, int32(cell))
		ix.vio = append(ix.vio, uint8(vio))
		ix.country = append(ix.country, intern(string(country)))
		ix.ccode = append(ix.ccode, intern(string(ccode)))
		ix.source = append(ix.source, intern(string(source)))
	}
	return ix, rows.Err()
}
