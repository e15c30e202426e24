package evindex

import (
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
)

func buildRows(version int64, rows ...Row) *Index {
	b := NewBuilder(version, len(rows))
	for _, r := range rows {
		b.Add(r)
	}
	return b.Build()
}

func allIDs(t *testing.T, ix *Index) []int64 {
	t.Helper()
	q, err := Compile(events.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return ix.Page(q, 0, 1000)
}

// TestCache checks when the cache reuses, merges into, or rebuilds the
// index: the version check that keeps several servers on one database
// consistent (storage's events_version counter feeds it).
func TestCache(t *testing.T) {
	r1 := Row{ID: 1, Lat: 12.6, Lon: -8, Day: 19000, Source: "ucdp"}
	r2 := Row{ID: 2, Lat: 15.1, Lon: 30.2, Day: 19001, Source: "ucdp"}
	r3 := Row{ID: 3, Lat: -4.3, Lon: 15.3, Day: 19002, Source: "acled"}
	type step struct {
		name     string
		apply    func(c *Cache) // before Get
		current  int64          // version the store reports
		db       []Row          // what load would read at that version
		wantLoad bool
		wantIDs  []int64
		wantVer  int64
	}
	steps := []step{
		{name: "first read loads", current: 1, db: []Row{r1}, wantLoad: true, wantIDs: []int64{1}, wantVer: 1},
		{name: "same version reuses", current: 1, db: []Row{r1, r2}, wantIDs: []int64{1}, wantVer: 1},
		{name: "own import one version on merges its delta", apply: func(c *Cache) { c.Apply([]Row{r2}, 2) },
			current: 2, db: []Row{r1, r2}, wantIDs: []int64{1, 2}, wantVer: 2},
		{name: "another server wrote: version moved, rebuild", current: 3, db: []Row{r1, r2, r3}, wantLoad: true, wantIDs: []int64{1, 2, 3}, wantVer: 3},
		{name: "own import after another's (gap) drops the index", apply: func(c *Cache) { c.Apply([]Row{{ID: 4}}, 5) },
			current: 5, db: []Row{r1, r3}, wantLoad: true, wantIDs: []int64{1, 3}, wantVer: 5},
		{name: "a delta too big to list (nil) drops the index", apply: func(c *Cache) { c.Apply(nil, 6) },
			current: 6, db: []Row{r1}, wantLoad: true, wantIDs: []int64{1}, wantVer: 6},
		{name: "an older version changes nothing", apply: func(c *Cache) { c.Apply([]Row{r2}, 4) },
			current: 6, db: []Row{r2}, wantIDs: []int64{1}, wantVer: 6},
	}
	var c Cache
	for _, s := range steps {
		if s.apply != nil {
			s.apply(&c)
		}
		loaded := false
		ix, err := c.Get(s.current, func(v int64) (*Index, error) {
			loaded = true
			return buildRows(v, s.db...), nil
		})
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if loaded != s.wantLoad {
			t.Errorf("%s: loaded = %v, want %v", s.name, loaded, s.wantLoad)
		}
		if got := allIDs(t, ix); !slices.Equal(got, s.wantIDs) || ix.Version() != s.wantVer {
			t.Errorf("%s: index at %d holds %v, want %v at %d", s.name, ix.Version(), got, s.wantIDs, s.wantVer)
		}
	}
	// A failed load keeps nothing and is retried.
	boom := errors.New("database gone")
	if _, err := c.Get(7, func(int64) (*Index, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Fatalf("failed load: %v", err)
	}
	ix, err := c.Get(6, func(int64) (*Index, error) { t.Fatal("reloaded"); return nil, nil })
	if err != nil || ix.Version() != 6 {
		t.Fatalf("after a failed load the cached index is still served: %v %v", ix, err)
	}
}

// TestBadQueries: each bad filter or cluster size is an
// *apperr.Error naming its field.
func TestBadQueries(t *testing.T) {
	ix := buildRows(1, Row{ID: 1, Lat: 1, Lon: 1, Day: 1})
	for _, c := range []struct {
		name  string
		f     events.Filter
		cell  float64
		field string
	}{
		{"box west of -180", events.Filter{BBox: &events.BBox{West: -200, South: 0, East: 10, North: 10}}, 1, "bbox"},
		{"box upside down", events.Filter{BBox: &events.BBox{West: 0, South: 10, East: 10, North: 0}}, 1, "bbox"},
		{"negative type", events.Filter{Types: []events.ViolenceType{-1}}, 1, "type"},
		{"type over 255", events.Filter{Types: []events.ViolenceType{256}}, 1, "type"},
		{"cell zero", events.Filter{}, 0, "cell"},
		{"cell negative", events.Filter{}, -1, "cell"},
		{"cell NaN", events.Filter{}, math.NaN(), "cell"},
		{"cell over 180", events.Filter{}, 181, "cell"},
		{"cell finer than 0.1 m (overflowed the grid size)", events.Filter{}, 1e-9, "cell"},
	} {
		q, err := Compile(c.f)
		if err == nil {
			_, err = ix.Clusters(q, c.cell)
		}
		var fe *apperr.Error
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%s: error %v, want an invalid-input error for %q", c.name, err, c.field)
		}
	}
}

// TestCellMonths: events grouped by PRIO-GRID cell or a regular grid's
// cell and start month, counts and deaths by violence type (other types
// in slot 0).
func TestCellMonths(t *testing.T) {
	day := func(s string) int32 {
		d, _ := time.Parse(time.DateOnly, s)
		return int32(Day(d))
	}
	ix := buildRows(1,
		Row{ID: 1, Lat: 12.2, Lon: -8.1, Day: day("2024-01-05"), Best: 3, Cell: 100, Violence: 1},
		Row{ID: 2, Lat: 12.3, Lon: -8.2, Day: day("2024-01-30"), Best: 2, Cell: 100, Violence: 2},
		Row{ID: 3, Lat: 12.3, Lon: -8.2, Day: day("2024-02-01"), Best: 1, Cell: 100, Violence: 7},
		Row{ID: 4, Lat: 14.9, Lon: -3.9, Day: day("2024-01-10"), Best: 5, Cell: 200, Violence: 3},
	)
	q, _ := Compile(events.Filter{})
	got := ix.CellMonths(q, nil)
	reg, err := grid.NewRegular(10)
	if err != nil {
		t.Fatal(err)
	}
	if byReg := ix.CellMonths(q, &reg); len(byReg) != 2 || byReg[0].Counts != [4]int{0, 1, 1, 1} {
		t.Errorf("10° grid: all January events share one cell: %+v", byReg)
	}
	want := []events.CellMonth{
		{Cell: 100, Month: grid.MonthOf(2024, 1), Counts: [4]int{0, 1, 1, 0}, Deaths: [4]int{0, 3, 2, 0}},
		{Cell: 200, Month: grid.MonthOf(2024, 1), Counts: [4]int{0, 0, 0, 1}, Deaths: [4]int{0, 0, 0, 5}},
		{Cell: 100, Month: grid.MonthOf(2024, 2), Counts: [4]int{1, 0, 0, 0}, Deaths: [4]int{1, 0, 0, 0}},
	}
	if !slices.EqualFunc(got, want, func(a, b events.CellMonth) bool { return a == b }) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}

// TestClustersDateLine: on a fine grid (the map-backed accumulator) an
// event at longitude 180 and one at -180 a row further north stay two
// clusters; their keys once collided and merged them.
func TestClustersDateLine(t *testing.T) {
	const deg = 1.0 / 4096 // exact in binary: the squares fall where computed
	ix := buildRows(1,
		Row{ID: 1, Lat: 0.5 * deg, Lon: 180, Day: 1, Best: 1},
		Row{ID: 2, Lat: 1.5 * deg, Lon: -180, Day: 1, Best: 2},
	)
	q, _ := Compile(events.Filter{})
	cs, err := ix.Clusters(q, deg)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].ID != 1 || cs[1].ID != 2 {
		t.Fatalf("clusters %+v, want events 1 and 2 apart, south first", cs)
	}
}
