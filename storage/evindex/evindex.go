// Package evindex is an in-memory columnar index of events that answers the events store's filtered reads (pages by id, clusters, cell-months) without SQL.
//
// An Index holds every event's id, position, start day, type, best
// estimate, PRIO-GRID cell, country and source (about 60 bytes per event),
// ordered by 1° square (row-major from the south-west) and, within a
// square, by start day, so a box and a date range select a few contiguous
// runs. An Index is immutable: WithDelta returns a new one. A Cache holds
// the current Index of one store and the version of the events it
// reflects; the store decides when that version moves (storage keeps it in
// the events_version table, bumped by every import in any process, so
// several servers on one database each rebuild their index when another
// has written). The figures behind the design are in
// docs/benchmarks/events.md.
package evindex

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
)

// Row is one event as the index holds it.
type Row struct {
	ID                           int64
	Lat, Lon                     float64
	Day                          int32 // start date, days since 1970-01-01 (Day)
	Best                         int32
	Cell                         int32 // PRIO-GRID gid
	Violence                     uint8
	Country, CountryCode, Source string
}

// Day is t's date as days since 1970-01-01 (UTC calendar date of t).
func Day(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// Index is a columnar snapshot of the events, ordered by 1° square and,
// within a square, by start day. byID lists positions in id order for
// cursor pagination. Safe for concurrent readers; never modified.
type Index struct {
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

// Version is the events version the index reflects.
func (ix *Index) Version() int64 { return ix.version }

// Len is the number of events in the index.
func (ix *Index) Len() int { return len(ix.id) }

const (
	sqCols = 360
	sqRows = 180
)

func square(lat, lon float64) int {
	r := min(sqRows-1, max(0, int(math.Floor(lat+90))))
	c := min(sqCols-1, max(0, int(math.Floor(lon+180))))
	return r*sqCols + c
}

// ---- building ----

// Builder collects events in any order and arranges them into an Index.
type Builder struct {
	t *Index
}

// NewBuilder starts an index of the events at version, with room for about
// n events.
func NewBuilder(version int64, n int) *Builder {
	n = max(0, n)
	return &Builder{&Index{version: version, strIdx: map[string]uint32{},
		id: make([]int64, 0, n), lat: make([]float64, 0, n), lon: make([]float64, 0, n),
		day: make([]int32, 0, n), best: make([]int32, 0, n), cell: make([]int32, 0, n), vio: make([]uint8, 0, n),
		country: make([]uint32, 0, n), ccode: make([]uint32, 0, n), source: make([]uint32, 0, n)}}
}

func (b *Builder) intern(s []byte) uint32 {
	if v, ok := b.t.strIdx[string(s)]; ok {
		return v
	}
	str := string(s)
	v := uint32(len(b.t.strs))
	b.t.strs = append(b.t.strs, str)
	b.t.strIdx[str] = v
	return v
}

func (b *Builder) internString(s string) uint32 {
	if v, ok := b.t.strIdx[s]; ok {
		return v
	}
	v := uint32(len(b.t.strs))
	b.t.strs = append(b.t.strs, s)
	b.t.strIdx[s] = v
	return v
}

func (b *Builder) add(id int64, lat, lon float64, day, best, cell int32, vio uint8, country, ccode, source uint32) {
	t := b.t
	t.id = append(t.id, id)
	t.lat = append(t.lat, lat)
	t.lon = append(t.lon, lon)
	t.day = append(t.day, day)
	t.best = append(t.best, best)
	t.cell = append(t.cell, cell)
	t.vio = append(t.vio, vio)
	t.country = append(t.country, country)
	t.ccode = append(t.ccode, ccode)
	t.source = append(t.source, source)
}

// Add adds one event.
func (b *Builder) Add(r Row) {
	b.add(r.ID, r.Lat, r.Lon, r.Day, r.Best, r.Cell, r.Violence,
		b.internString(r.Country), b.internString(r.CountryCode), b.internString(r.Source))
}

// AddBytes adds one event whose strings are byte slices (a database
// driver's raw bytes, reused after the call): a string is only allocated
// the first time it is seen.
func (b *Builder) AddBytes(id int64, lat, lon float64, day, best, cell int32, violence uint8, country, countryCode, source []byte) {
	b.add(id, lat, lon, day, best, cell, violence, b.intern(country), b.intern(countryCode), b.intern(source))
}

// Build arranges the added events into an Index. The Builder must not be
// used after.
func (b *Builder) Build() *Index {
	ix := b.t.arrange()
	b.t = nil
	return ix
}

// arrange reorders columns (read in any order) into square/day order and
// lists positions in id order.
func (t *Index) arrange() *Index {
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
	perm := make([]int32, n) // position -> input index
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
	ix := &Index{version: t.version, strs: t.strs, strIdx: t.strIdx, squareAt: at,
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

// WithDelta returns a new index at version: ix with the delta's events
// inserted, or replacing those with the same ID (the last of one ID in
// delta wins). ix itself is left as it is for readers still using it.
func (ix *Index) WithDelta(delta []Row, version int64) *Index {
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
		latest[r.ID] = i
	}
	drop := map[int]bool{}
	for id := range latest {
		k := sort.Search(len(ix.byID), func(k int) bool { return ix.id[ix.byID[k]] >= id })
		if k < len(ix.byID) && ix.id[ix.byID[k]] == id {
			drop[int(ix.byID[k])] = true
		}
	}
	var add []Row
	for i, r := range delta {
		if latest[r.ID] == i {
			add = append(add, r)
		}
	}
	sqOf := func(r Row) int { return square(r.Lat, r.Lon) }
	slices.SortFunc(add, func(a, b Row) int {
		if sa, sb := sqOf(a), sqOf(b); sa != sb {
			return sa - sb
		}
		return int(a.Day) - int(b.Day)
	})
	n := len(ix.id) - len(drop) + len(add)
	out := &Index{version: version, strs: strs, strIdx: strIdx, squareAt: make([]int32, len(ix.squareAt)),
		id: make([]int64, 0, n), lat: make([]float64, 0, n), lon: make([]float64, 0, n), day: make([]int32, 0, n),
		best: make([]int32, 0, n), cell: make([]int32, 0, n), vio: make([]uint8, 0, n), country: make([]uint32, 0, n),
		ccode: make([]uint32, 0, n), source: make([]uint32, 0, n)}
	newPos := make([]int32, len(ix.id)) // old position -> new, -1 if dropped
	push := func(id int64, lat, lon float64, day, best, cell int32, vio uint8, c, cc, src uint32) {
		out.id, out.lat, out.lon, out.day = append(out.id, id), append(out.lat, lat), append(out.lon, lon), append(out.day, day)
		out.best, out.cell, out.vio = append(out.best, best), append(out.cell, cell), append(out.vio, vio)
		out.country, out.ccode, out.source = append(out.country, c), append(out.ccode, cc), append(out.source, src)
	}
	pushRow := func(r Row) {
		push(r.ID, r.Lat, r.Lon, r.Day, r.Best, r.Cell, r.Violence, intern(r.Country), intern(r.CountryCode), intern(r.Source))
	}
	a := 0
	for s := 0; s+1 < len(ix.squareAt); s++ {
		out.squareAt[s] = int32(len(out.id))
		for p := int(ix.squareAt[s]); p < int(ix.squareAt[s+1]); p++ {
			for a < len(add) && sqOf(add[a]) == s && add[a].Day < ix.day[p] {
				pushRow(add[a])
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
			pushRow(add[a])
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

// ---- the current index of one store ----

// Cache holds the current Index of one store. The zero value is empty and
// ready; a Cache must not be copied after first use.
type Cache struct {
	mu  sync.Mutex
	cur *Index
}

// Get returns an index no older than version current, calling load (with
// the cache locked, so concurrent readers wait for one build) when the
// cached one is older or absent.
func (c *Cache) Get(current int64, load func(version int64) (*Index, error)) (*Index, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur != nil && c.cur.version >= current {
		return c.cur, nil
	}
	ix, err := load(current)
	if err != nil {
		return nil, err
	}
	c.cur = ix
	return ix, nil
}

// Apply brings the cached index up to version after the store's own write
// committed delta (nil: too many changes to list). If the index was exactly
// one version behind (no other writer in between) the changes are merged
// in; otherwise it is dropped and the next Get rebuilds it.
func (c *Cache) Apply(delta []Row, version int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.cur == nil || c.cur.version >= version:
	case c.cur.version == version-1 && delta != nil:
		c.cur = c.cur.WithDelta(delta, version)
	default:
		c.cur = nil
	}
}

// ---- queries ----

// Query is an events.Filter compiled for the index (box, dates, types,
// countries, source); After and Limit are not part of it.
type Query struct {
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

// Compile checks f and compiles it; a bad box or type is an
// *apperr.Error naming the field.
func Compile(f events.Filter) (*Query, error) {
	m := &Query{anyType: len(f.Types) == 0, fromDay: math.MinInt32, toDay: math.MaxInt32}
	if f.BBox != nil {
		if err := f.BBox.Validate(); err != nil {
			return nil, apperr.Invalid("bbox", strings.TrimPrefix(err.Error(), "bbox: "))
		}
		b := *f.BBox
		m.bbox = &b
	}
	if !f.From.IsZero() {
		m.fromDay, m.hasFrom = int32(max(math.MinInt32+1, min(math.MaxInt32-1, Day(f.From)))), true
	}
	if !f.To.IsZero() {
		m.toDay, m.hasTo = int32(max(math.MinInt32+1, min(math.MaxInt32-1, Day(f.To)))), true
	}
	for _, t := range f.Types {
		if t < 0 || t > 255 {
			return nil, apperr.Invalid("type", fmt.Sprintf("unknown violence type %d", int(t)))
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

// boundQuery is a Query resolved against one index's interned strings.
type boundQuery struct {
	*Query
	strOK  []bool // for country filter: interned string matches
	source int32  // interned source, -1 if absent
	// needOther: a check beyond box and dates is needed per event.
	needOther bool
}

func (m *Query) bind(ix *Index) *boundQuery {
	b := &boundQuery{Query: m, source: -1}
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
func (b *boundQuery) other(ix *Index, i int) bool {
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

func (b *boundQuery) inBox(ix *Index, i int) bool {
	bb := b.bbox
	if bb == nil {
		return true
	}
	lat, lon := ix.lat[i], ix.lon[i]
	return lat >= bb.South && lat <= bb.North && lon >= bb.West && lon <= bb.East
}

// match checks everything.
func (b *boundQuery) match(ix *Index, i int) bool {
	if d := ix.day[i]; d < b.fromDay || d > b.toDay {
		return false
	}
	return b.inBox(ix, i) && (!b.needOther || b.other(ix, i))
}

// run is a contiguous range of index positions; inside means every event
// in it lies in the box.
type run struct {
	lo, hi int
	inside bool
}

// runs returns the ranges of positions that can match the box and dates.
func (ix *Index) runs(b *boundQuery) []run {
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
func (ix *Index) scan(b *boundQuery, fn func(i int)) {
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

// Page returns the ids of up to limit events matching q with id > after,
// in id order.
func (ix *Index) Page(q *Query, after int64, limit int) []int64 {
	return ix.page(q.bind(ix), after, limit, pageWalkThreshold)
}

// page: few candidates (at most walkAbove): collect them from the box's
// runs and sort; many: walk the events in id order, which finds limit
// matches quickly.
func (ix *Index) page(b *boundQuery, after int64, limit, walkAbove int) []int64 {
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

// MinClusterDeg is the finest cluster square, about 0.1 m (the map's
// deepest zoom, 22, asks for 90/2²² ≈ 0.000021°). Finer squares once
// overflowed the cluster grid's size and panicked (FuzzQuery).
const MinClusterDeg = 1e-6

// CheckClusterSize returns an *apperr.Error for field "cell" unless
// cellDeg is in [MinClusterDeg, 180].
func CheckClusterSize(cellDeg float64) error {
	if math.IsNaN(cellDeg) || cellDeg < MinClusterDeg || cellDeg > 180 {
		return apperr.Invalid("cell", fmt.Sprintf("cluster size %v degrees: must be in [%v, 180]", cellDeg, MinClusterDeg))
	}
	return nil
}

// Clusters groups the events matching q into squares of cellDeg degrees
// (anchored at -90,-180), one cluster per non-empty square at the mean
// position of its events, ordered south to north, west to east. A cluster
// of one event carries its ID. A bad cellDeg is CheckClusterSize's error.
func (ix *Index) Clusters(q *Query, cellDeg float64) ([]events.Cluster, error) {
	if err := CheckClusterSize(cellDeg); err != nil {
		return nil, err
	}
	return ix.clusters(q.bind(ix), cellDeg), nil
}

func (ix *Index) clusters(b *boundQuery, cellDeg float64) []events.Cluster {
	type acc struct {
		lat, lon  float64
		n, deaths int
		id        int64
	}
	// A row's column index runs from 0 to ⌈360/cellDeg⌉ inclusive (the last
	// at longitude 180), so a map key r·cols+c with one column more than
	// that is distinct for every square (TestClustersDateLine) and orders
	// south to north, west to east.
	cols := int64(math.Ceil(360/cellDeg)) + 1
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

// CellMonths aggregates the events matching q by cell and month of their
// start date: the PRIO-GRID cell when reg is nil, else reg's cell of the
// event's position. Counts and Deaths are indexed by violence type 1..3,
// index 0 holding every other type. Ordered by month, then cell.
func (ix *Index) CellMonths(q *Query, reg *grid.Regular) []events.CellMonth {
	type key struct {
		month grid.Month
		cell  int
	}
	agg := map[key]*events.CellMonth{}
	ix.scan(q.bind(ix), func(i int) {
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
	return out
}
