package storetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/ingest"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
	"github.com/vigil-project/vigil/storage"
)

// testEventsConcurrent reads while this process imports (run with -race).
func testEventsConcurrent(t *testing.T, ctx context.Context, db *storage.DB) {
	importAll(t, db, sample())
	done := make(chan error, 3)
	for r := 0; r < 2; r++ {
		go func() {
			for i := 0; i < 30; i++ {
				if _, err := db.Events(ctx, events.Filter{BBox: &events.BBox{West: -20, South: -20, East: 40, North: 20}}); err != nil {
					done <- err
					return
				}
				if _, err := db.Clusters(ctx, events.Filter{}, 1); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	go func() {
		for i := 0; i < 10; i++ {
			e := ev(fmt.Sprintf("c%d", i), "2018-05-01", float64(i), float64(i), events.StateBased, i, "Z")
			if err := db.Import(ctx, func(u events.Upserter) error { _, err := u.Upsert(ctx, &e); return err }); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for range 3 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.Events(ctx, events.Filter{Countries: []string{"Z"}})
	if err != nil || len(got) != 10 {
		t.Fatalf("after concurrent imports: %d events, %v", len(got), err)
	}
}

// testEventsBatch checks events.BatchUpserter: mixed inserts, updates and
// unchanged rows in one batch, and refusals that write nothing.
func testEventsBatch(t *testing.T, ctx context.Context, db *storage.DB) {
	importAll(t, db, sample()[:3])
	batch := func(es []events.Event) ([]events.UpsertResult, error) {
		var res []events.UpsertResult
		err := db.Import(ctx, func(u events.Upserter) error {
			bu, ok := u.(events.BatchUpserter)
			if !ok {
				return errors.New("store's Upserter is not a BatchUpserter")
			}
			ptrs := make([]*events.Event, len(es))
			for i := range es {
				ptrs[i] = &es[i]
			}
			var err error
			res, err = bu.UpsertBatch(ctx, ptrs)
			return err
		})
		return res, err
	}
	evs := sample()
	evs[1].Best, evs[1].High = 9, 9
	// 450 new events too, so more than one multi-row statement is used.
	for i := range 450 {
		evs = append(evs, ev(fmt.Sprintf("b%d", i), "2015-06-01", float64(i%80)-40, float64(i%300)-150, events.NonState, i%5, "X"))
	}
	res, err := batch(evs)
	if err != nil {
		t.Fatal(err)
	}
	var c events.Counts
	for _, r := range res {
		c.Add(r)
	}
	if c != (events.Counts{Inserted: 454, Updated: 1, Unchanged: 2}) || res[1] != events.Updated || res[0] != events.Unchanged {
		t.Fatalf("batch results %+v (first three %v)", c, res[:3])
	}
	if n, _ := db.Count(ctx); n != 457 {
		t.Fatalf("Count %d, want 457", n)
	}
	got, _ := db.Events(ctx, events.Filter{Countries: []string{"x"}, Limit: 1000})
	if len(got) != 450 {
		t.Fatalf("%d batch events readable, want 450", len(got))
	}
	// A duplicate inside a batch, or an invalid event, refuses the batch.
	for name, bad := range map[string][]events.Event{
		"duplicate": {ev("z1", "2015-06-01", 1, 1, events.NonState, 1, "Y"), ev("z1", "2015-06-02", 1, 1, events.NonState, 1, "Y")},
		"invalid":   {ev("z2", "2015-06-01", 1, 1, events.NonState, 1, "Y"), ev("z3", "2015-06-01", 1, 190, events.NonState, 1, "Y")},
	} {
		if _, err := batch(bad); err == nil {
			t.Errorf("%s: batch accepted", name)
		}
	}
	if n, _ := db.Count(ctx); n != 457 {
		t.Fatalf("refused batches wrote: Count %d, want 457", n)
	}
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ev(id string, date string, lat, lon float64, v events.ViolenceType, best int, country string) events.Event {
	return events.Event{Source: "ucdp-ged", SourceID: id, DateStart: day(date), Lat: lat, Lon: lon,
		Violence: v, Best: best, Low: best, High: best, Civilian: -1, Country: country, CountryCode: "C-" + country}
}

func importAll(t *testing.T, db *storage.DB, evs []events.Event) events.Counts {
	t.Helper()
	var c events.Counts
	err := db.Import(context.Background(), func(u events.Upserter) error {
		for i := range evs {
			e := evs[i]
			r, err := u.Upsert(context.Background(), &e)
			if err != nil {
				return err
			}
			c.Add(r)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// sample is a small set of events in three "countries" with known sums.
func sample() []events.Event {
	return []events.Event{
		ev("1", "2018-01-05", 4.36, 18.58, events.StateBased, 3, "Central African Republic"), // Bangui
		ev("2", "2018-01-20", 4.37, 18.59, events.OneSided, 5, "Central African Republic"),
		ev("3", "2018-02-01", 4.36, 18.58, events.NonState, 0, "Central African Republic"),
		ev("4", "2018-03-15", -1.68, 29.22, events.StateBased, 10, "DR Congo"), // Goma
		ev("5", "2018-03-31", -1.66, 29.25, events.OneSided, 7, "DR Congo"),
		ev("6", "2019-06-01", 12.65, -8.0, events.StateBased, 1, "Mali"),        // Bamako
		ev("7", "2017-12-31", 0.51, 25.19, events.OtherViolence, 2, "DR Congo"), // Kisangani
	}
}

func testEventsImport(t *testing.T, ctx context.Context, db *storage.DB) {
	evs := sample()
	if c := importAll(t, db, evs); c != (events.Counts{Inserted: 7}) {
		t.Fatalf("first import: %+v", c)
	}
	if c := importAll(t, db, evs); c != (events.Counts{Unchanged: 7}) {
		t.Fatalf("re-import: %+v, want all unchanged", c)
	}
	evs[1].Best, evs[1].High = 6, 6
	if c := importAll(t, db, evs); c != (events.Counts{Updated: 1, Unchanged: 6}) {
		t.Fatalf("changed re-import: %+v", c)
	}
	n, err := db.Count(ctx)
	if err != nil || n != 7 {
		t.Fatalf("Count = %d, %v; want 7", n, err)
	}
	page, err := db.Events(ctx, events.Filter{})
	if err != nil || len(page) != 7 {
		t.Fatalf("Events: %d, %v", len(page), err)
	}
	// Round trip of every field.
	want := evs[1]
	want.Admin1, want.Admin2, want.Admin1Code, want.Location, want.Notes = "Ombella", "Bimbo", "CF71", "Bangui city", "note é"
	want.EventType, want.SubEventType, want.ConflictName, want.SideA, want.SideB = "x", "y", "z", "A", "Civilians"
	want.DateEnd, want.DatePrecision, want.WherePrecision, want.Low, want.Civilian = day("2018-01-22"), 2, 3, 1, 6
	importAll(t, db, []events.Event{want})
	var id int64
	for _, e := range page {
		if e.SourceID == "2" {
			id = e.ID
		}
	}
	got, err := db.Event(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want.ID = id
	if err := want.Validate(); err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, want)
	}
	if got.GridCell != 135758 {
		t.Errorf("grid cell %d, want PRIO-GRID 135758 for Bangui", got.GridCell)
	}
	if _, err := db.Event(ctx, 999999); !errors.Is(err, apperr.ErrNotFound) {
		t.Fatalf("missing event: %v, want apperr.ErrNotFound", err)
	}
	// An invalid event is refused by the store itself.
	bad := ev("8", "2018-01-01", 95, 0, events.StateBased, 1, "X")
	err = db.Import(ctx, func(u events.Upserter) error { _, err := u.Upsert(ctx, &bad); return err })
	var fe *apperr.Error
	if !errors.As(err, &fe) || fe.Field != "latitude" {
		t.Fatalf("lat 95: %v, want an invalid-input error on lat", err)
	}
}

func testEventsImportFailure(t *testing.T, ctx context.Context, db *storage.DB) {
	importAll(t, db, sample()[:2])
	before, _ := db.Events(ctx, events.Filter{})
	boom := errors.New("bad row 3")
	err := db.Import(ctx, func(u events.Upserter) error {
		for _, e := range sample() {
			e.Best, e.High = e.Best+1, e.High+1 // updates to existing rows
			if _, err := u.Upsert(ctx, &e); err != nil {
				return err
			}
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Import returned %v, want the callback's error", err)
	}
	n, _ := db.Count(ctx)
	if n != 2 {
		t.Fatalf("after failed import Count = %d, want 2 (nothing written)", n)
	}
	after, _ := db.Events(ctx, events.Filter{})
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("failed import changed stored events:\n%v\n%v", before, after)
	}
}

// testEventsImportRange: a file whose fatality count a PostgreSQL store
// cannot hold (its events table keeps 32-bit integers) is refused at the
// row's line and column, said in French, nothing written; SQLite keeps it.
func testEventsImportRange(t *testing.T, ctx context.Context, db *storage.DB) {
	const file = "id,date_start,type_of_violence,latitude,longitude,best\n7,2020-01-02,1,1.5,29.5,3000000000\n"
	n, _ := db.Count(ctx)
	_, err := ingest.Import(ctx, db, "big.csv", strings.NewReader(file), ingest.Options{})
	if db.Dialect != storage.Postgres {
		if err != nil {
			t.Fatalf("%s: %v", db.Dialect, err)
		}
		return
	}
	if err == nil || err.Error() != "big.csv:2: best: 3000000000 is out of range for the store" || !apperr.IsInvalid(err) {
		t.Fatalf("best 3000000000: %v, want it refused as out of range", err)
	}
	apperrtest.Said(t, "best 3000000000", err, "fichier big.csv, ligne 2, colonne best\u00a0: 3000000000 dépasse ce que la base peut enregistrer")
	if m, _ := db.Count(ctx); m != n {
		t.Fatalf("the refused file wrote %d events", m-n)
	}
}

func ids(es []events.Event) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.SourceID)
	}
	return out
}

func testEventsQuery(t *testing.T, ctx context.Context, db *storage.DB) {
	importAll(t, db, sample())
	importAll(t, db, []events.Event{{Source: "acled", SourceID: "1", DateStart: day("2018-01-06"), Lat: 4.4, Lon: 18.6, Violence: events.NonViolent, Civilian: -1, Country: "Central African Republic"}})
	drc := &events.BBox{West: 12, South: -13.5, East: 31.5, North: 5.5}
	cases := []struct {
		name string
		f    events.Filter
		want string
	}{
		{"all", events.Filter{}, "[1 2 3 4 5 6 7 1]"},
		{"bbox", events.Filter{BBox: drc}, "[1 2 3 4 5 7 1]"},
		{"bbox edge inclusive", events.Filter{BBox: &events.BBox{West: 18.58, South: 4.36, East: 18.58, North: 4.36}}, "[1 3]"},
		{"months", events.Filter{From: day("2018-01-01"), To: day("2018-03-31")}, "[1 2 3 4 5 1]"},
		{"to inclusive day", events.Filter{To: day("2018-01-05")}, "[1 7]"},
		{"bbox+months", events.Filter{BBox: drc, From: day("2018-03-01"), To: day("2018-03-31")}, "[4 5]"},
		{"types", events.Filter{Types: []events.ViolenceType{events.OneSided, events.OtherViolence}}, "[2 5 7]"},
		{"country name", events.Filter{Countries: []string{"dr congo"}}, "[4 5 7]"},
		{"country code", events.Filter{Countries: []string{"C-MALI", "nowhere"}}, "[6]"},
		{"source", events.Filter{Source: "acled"}, "[1]"},
		{"unknown source", events.Filter{Source: "sage"}, "[]"},
		{"page", events.Filter{Limit: 3}, "[1 2 3]"},
	}
	for _, c := range cases {
		got, err := db.Events(ctx, c.f)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if s := fmt.Sprint(ids(got)); s != c.want {
			t.Errorf("%s: got %s, want %s", c.name, s, c.want)
		}
	}
	// Cursor pagination walks every event once, in id order.
	all := ids(walkPages(t, 0, func(after int64) ([]events.Event, error) {
		return db.Events(ctx, events.Filter{Limit: 3, After: after})
	}, func(e events.Event) int64 { return e.ID }))
	if s := fmt.Sprint(all); s != "[1 2 3 4 5 6 7 1]" {
		t.Errorf("paged: %s", s)
	}
	if _, err := db.Events(ctx, events.Filter{BBox: &events.BBox{West: 10, South: 5, East: 0, North: 6}}); err == nil {
		t.Error("west > east bbox accepted")
	}
}

func testEventsCellMonths(t *testing.T, ctx context.Context, db *storage.DB) {
	importAll(t, db, sample())
	got, err := db.CellMonths(ctx, events.Filter{From: day("2018-01-01"), To: day("2018-12-31")}, 0)
	if err != nil {
		t.Fatal(err)
	}
	gBangui, _ := grid.PrioGID(4.36, 18.58)
	gGoma, _ := grid.PrioGID(-1.68, 29.22)
	type cm struct {
		Cell   int
		Month  string
		Counts [4]int
		Deaths [4]int
	}
	var flat []cm
	for _, c := range got {
		flat = append(flat, cm{c.Cell, c.Month.String(), c.Counts, c.Deaths})
	}
	want := []cm{
		{gBangui, "2018-01", [4]int{0, 1, 0, 1}, [4]int{0, 3, 0, 5}},
		{gBangui, "2018-02", [4]int{0, 0, 1, 0}, [4]int{0, 0, 0, 0}},
		{gGoma, "2018-03", [4]int{0, 1, 0, 1}, [4]int{0, 10, 0, 7}},
	}
	if fmt.Sprint(flat) != fmt.Sprint(want) {
		t.Fatalf("PRIO-GRID cell-months:\n got %v\nwant %v", flat, want)
	}
	// 0.5 is PRIO-GRID too.
	half, err := db.CellMonths(ctx, events.Filter{From: day("2018-01-01"), To: day("2018-12-31")}, 0.5)
	if err != nil || fmt.Sprint(half) != fmt.Sprint(got) {
		t.Fatalf("cellSize 0.5 differs from PRIO-GRID: %v %v", half, err)
	}
	// A 0.01° grid separates the two Goma events; the other-type event lands in index 0.
	fine, err := db.CellMonths(ctx, events.Filter{Countries: []string{"DR Congo"}}, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	g := grid.Regular{Size: 0.01}
	c4, _ := g.Cell(-1.68, 29.22)
	c5, _ := g.Cell(-1.66, 29.25)
	c7, _ := g.Cell(0.51, 25.19)
	var fl []cm
	for _, c := range fine {
		fl = append(fl, cm{c.Cell, c.Month.String(), c.Counts, c.Deaths})
	}
	wantFine := []cm{{c7, "2017-12", [4]int{1, 0, 0, 0}, [4]int{2, 0, 0, 0}}}
	a, b := cm{c4, "2018-03", [4]int{0, 1, 0, 0}, [4]int{0, 10, 0, 0}}, cm{c5, "2018-03", [4]int{0, 0, 0, 1}, [4]int{0, 0, 0, 7}}
	if c4 < c5 {
		wantFine = append(wantFine, a, b)
	} else {
		wantFine = append(wantFine, b, a)
	}
	if fmt.Sprint(fl) != fmt.Sprint(wantFine) {
		t.Fatalf("0.01° cell-months:\n got %v\nwant %v", fl, wantFine)
	}
	if _, err := db.CellMonths(ctx, events.Filter{}, 0.7); err == nil {
		t.Error("cell size 0.7 (does not divide 180) accepted")
	}
}

func testEventsClusters(t *testing.T, ctx context.Context, db *storage.DB) {
	importAll(t, db, sample())
	page, _ := db.Events(ctx, events.Filter{})
	idOf := map[string]int64{}
	for _, e := range page {
		idOf[e.SourceID] = e.ID
	}
	got, err := db.Clusters(ctx, events.Filter{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	// South to north: Goma (2 events), Kisangani (1), Bangui (3), Bamako (1).
	want := []events.Cluster{
		{Lat: -1.67, Lon: 29.235, Count: 2, Deaths: 17},
		{Lat: 0.51, Lon: 25.19, Count: 1, Deaths: 2, ID: idOf["7"]},
		{Lat: (4.36 + 4.37 + 4.36) / 3, Lon: (18.58 + 18.59 + 18.58) / 3, Count: 3, Deaths: 8},
		{Lat: 12.65, Lon: -8, Count: 1, Deaths: 1, ID: idOf["6"]},
	}
	if len(got) != len(want) {
		t.Fatalf("clusters: %+v", got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if math.Abs(g.Lat-w.Lat) > 1e-9 || math.Abs(g.Lon-w.Lon) > 1e-9 || g.Count != w.Count || g.Deaths != w.Deaths || g.ID != w.ID {
			t.Errorf("cluster %d: got %+v, want %+v", i, g, w)
		}
	}
	// Filtered, east of Greenwich: one 180° cell holding Bangui and Goma.
	one, err := db.Clusters(ctx, events.Filter{Types: []events.ViolenceType{events.StateBased}, BBox: &events.BBox{West: 0, South: -20, East: 40, North: 20}}, 180)
	if err != nil || len(one) != 1 || one[0].Count != 2 || one[0].Deaths != 13 {
		t.Fatalf("state-based in one cell: %+v, %v", one, err)
	}
	for _, bad := range []float64{0, -1, math.NaN(), 200} {
		if _, err := db.Clusters(ctx, events.Filter{}, bad); err == nil {
			t.Errorf("cluster size %v accepted", bad)
		}
	}
}

// testEventsIndexRefresh checks that reads see writes made through another
// connection (another process, e.g. `vigil import` while the server runs).
func testEventsIndexRefresh(t *testing.T, ctx context.Context, db *storage.DB) {
	importAll(t, db, sample()[:3])
	if err := db.WarmEvents(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Events(ctx, events.Filter{}); len(got) != 3 {
		t.Fatalf("got %d events", len(got))
	}
	other := storage.New(db.SQL, db.Dialect) // a second *DB: its own in-process state
	importAll(t, other, sample())
	got, err := db.Events(ctx, events.Filter{})
	if err != nil || len(got) != 7 {
		t.Fatalf("after another writer: %d events, %v; want 7", len(got), err)
	}
	cl, err := db.Clusters(ctx, events.Filter{}, 180)
	if err != nil || len(cl) != 2 || cl[0].Count+cl[1].Count != 7 {
		t.Fatalf("clusters after another writer: %+v %v", cl, err)
	}
	// This process's own small import is merged into its loaded index:
	// a moved event, a new one.
	moved := sample()[5]
	moved.Lat, moved.Lon, moved.Country = -4.3, 15.3, "DR Congo" // Bamako → Kinshasa
	added := ev("8", "2019-07-01", -4.31, 15.31, events.OneSided, 4, "DR Congo")
	if c := importAll(t, db, []events.Event{moved, added}); c != (events.Counts{Inserted: 1, Updated: 1}) {
		t.Fatalf("small import: %+v", c)
	}
	kin := &events.BBox{West: 15, South: -4.5, East: 15.5, North: -4}
	got, err = db.Events(ctx, events.Filter{BBox: kin})
	if err != nil || fmt.Sprint(ids(got)) != "[6 8]" {
		t.Fatalf("Kinshasa box after own import: %v %v, want [6 8]", ids(got), err)
	}
	if got, _ := db.Events(ctx, events.Filter{Countries: []string{"mali"}}); len(got) != 0 {
		t.Fatalf("moved event still found in Mali: %v", ids(got))
	}
	cl, err = db.Clusters(ctx, events.Filter{BBox: kin}, 1)
	if err != nil || len(cl) != 1 || cl[0].Count != 2 || cl[0].Deaths != 5 {
		t.Fatalf("Kinshasa clusters: %+v %v", cl, err)
	}
	// And the other connection's index catches up too.
	if got, err := other.Events(ctx, events.Filter{BBox: kin}); err != nil || len(got) != 2 {
		t.Fatalf("other reader: %v %v", ids(got), err)
	}
}

// eventsVersion reads the counter every import that changed events bumps.
func eventsVersion(t *testing.T, db *storage.DB) int64 {
	t.Helper()
	var v int64
	if err := db.QueryRow(context.Background(), db.SQL, `SELECT version FROM events_version WHERE one = 1`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// testEventsBatchMixed checks that batch upserts store every field exactly,
// classify each event (inserted, updated, unchanged) by content hash, are
// idempotent, keep (source, id) pairs of different sources apart, and that a
// duplicate id or a bad event in any batch of an import writes nothing —
// not even the batches before it — and leaves the events version alone.
func testEventsBatchMixed(t *testing.T, ctx context.Context, db *storage.DB) {
	full := func(src, id string) events.Event {
		return events.Event{Source: src, SourceID: id, DateStart: day("2016-02-29"), DateEnd: day("2016-03-02"),
			DatePrecision: 2, Lat: -4.3217, Lon: 15.3125, WherePrecision: 3, Country: "DR Congo (Zaïre)",
			CountryCode: "COD", Admin1: "Kinshasa", Admin2: "Lukunga", Admin1Code: "CD10", Location: "Gombe — l'hôtel",
			Violence: events.OneSided, EventType: "Violence against civilians", SubEventType: "Attack",
			ConflictName: "Government of DR Congo - civilians", SideA: "Government of DR Congo", SideB: "Civilians",
			Best: 4, Low: 2, High: 9, Civilian: 3, Notes: "line one\nline two, \"quoted\" ; 100%"}
	}
	// runs imports each batch of one file in turn through UpsertBatch.
	run := func(batches ...[]events.Event) ([][]events.UpsertResult, error) {
		ptrs := make([][]*events.Event, len(batches))
		for j, b := range batches {
			ptrs[j] = make([]*events.Event, len(b))
			for i := range b {
				ptrs[j][i] = &b[i]
			}
		}
		return importBatches(ctx, db, nil, ptrs...)
	}
	check := func(want events.Event) {
		t.Helper()
		got, err := db.Events(ctx, events.Filter{Source: want.Source, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range got {
			if g.SourceID == want.SourceID {
				want.ID = g.ID
				if want.GridCell == 0 {
					want.GridCell = g.GridCell
				}
				if g != want {
					t.Errorf("stored %s/%s:\n got %+v\nwant %+v", want.Source, want.SourceID, g, want)
				}
				return
			}
		}
		t.Errorf("%s/%s not stored", want.Source, want.SourceID)
	}

	// First file: a new event in two sources under the same id, plus others.
	base := []events.Event{full("ucdp-ged", "e1"), full("acled", "e1"), full("ucdp-ged", "e2"), full("ucdp-ged", "e3")}
	base[1].Best, base[1].High = 7, 7
	res, err := run(base)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(res) != "[[0 0 0 0]]" {
		t.Fatalf("first import results %v, want all inserted", res)
	}
	for _, e := range base {
		check(e)
	}
	v0 := eventsVersion(t, db)

	// Second file, two batches: unchanged, updated (every field), inserted,
	// and an event inserted in the first batch updated in the second.
	upd := full("ucdp-ged", "e2")
	upd.DateStart, upd.DateEnd, upd.DatePrecision = day("2020-12-31"), day("2021-01-01"), 1
	upd.Lat, upd.Lon, upd.WherePrecision = 12.5, -8.25, 1
	upd.Country, upd.CountryCode, upd.Admin1, upd.Admin2, upd.Admin1Code, upd.Location = "Mali", "MLI", "Bamako", "", "ML09", "Bamako"
	upd.Violence, upd.EventType, upd.SubEventType = events.StateBased, "Battles", "Armed clash"
	upd.ConflictName, upd.SideA, upd.SideB = "Mali: Government", "Government of Mali", "JNIM"
	upd.Best, upd.Low, upd.High, upd.Civilian, upd.Notes = 0, 0, 0, -1, ""
	late := full("sage", "n1")
	lateChanged := late
	lateChanged.Notes = "revised"
	b1 := []events.Event{full("ucdp-ged", "e1"), upd, full("ucdp-ged", "e4"), late}
	b2 := []events.Event{lateChanged, base[1], base[3]}
	res, err = run(b1, b2)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]events.UpsertResult{
		{events.Unchanged, events.Updated, events.Inserted, events.Inserted},
		{events.Updated, events.Unchanged, events.Unchanged},
	}
	if fmt.Sprint(res) != fmt.Sprint(want) {
		t.Fatalf("second import results %v, want %v", res, want)
	}
	for _, e := range []events.Event{full("ucdp-ged", "e1"), upd, full("ucdp-ged", "e4"), lateChanged, base[1], base[3]} {
		check(e)
	}
	if n, _ := db.Count(ctx); n != 6 {
		t.Fatalf("Count %d, want 6", n)
	}
	v1 := eventsVersion(t, db)
	if v1 <= v0 {
		t.Fatalf("events version %d after a changing import, was %d", v1, v0)
	}

	// The same file again changes nothing and leaves the version alone.
	res, err = run([]events.Event{full("ucdp-ged", "e1"), upd, full("ucdp-ged", "e4"), lateChanged}, []events.Event{base[1], base[3]})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(res) != "[[2 2 2 2] [2 2]]" {
		t.Fatalf("re-import results %v, want all unchanged", res)
	}
	if v := eventsVersion(t, db); v != v1 {
		t.Fatalf("re-import moved the events version %d -> %d", v1, v)
	}

	// A bad second batch refuses the whole import, first batch included.
	changedE1 := full("ucdp-ged", "e1")
	changedE1.Best = 5
	good := []events.Event{changedE1, full("ucdp-ged", "new1"), upd}
	badLat := full("ucdp-ged", "new3")
	badLat.Lat = 91
	for name, bad := range map[string][]events.Event{
		"duplicate id":      {full("ucdp-ged", "new2"), lateChanged, full("ucdp-ged", "e3"), lateChanged},
		"duplicate new id":  {full("ucdp-ged", "new2"), full("ucdp-ged", "new2")},
		"invalid latitude":  {full("ucdp-ged", "new2"), badLat},
		"duplicate updated": {changedE1, changedE1},
	} {
		if _, err := run(good, bad); err == nil {
			t.Errorf("%s: import accepted", name)
		}
		if n, _ := db.Count(ctx); n != 6 {
			t.Fatalf("%s: refused import wrote: Count %d, want 6", name, n)
		}
		check(full("ucdp-ged", "e1"))
		if v := eventsVersion(t, db); v != v1 {
			t.Fatalf("%s: refused import moved the events version %d -> %d", name, v1, v)
		}
	}
}
