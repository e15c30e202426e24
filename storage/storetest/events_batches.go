package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage"
)

// Batch upserts across many batches of one import, and two imports of the
// same events at once. On PostgreSQL these exercise both paths of
// storage/events_pg.go: COPY straight into the events table for batches of
// new events, and the staging table + merge for batches holding stored ones
// (including the switch between them inside one import).

// importBatches runs one import that upserts each batch in turn and returns
// the results per batch. fail, if not nil, is returned by the import
// function after the last batch.
func importBatches(ctx context.Context, db *storage.DB, fail error, batches ...[]*events.Event) ([][]events.UpsertResult, error) {
	var out [][]events.UpsertResult
	err := db.Import(ctx, func(u events.Upserter) error {
		out = nil
		bu, ok := u.(events.BatchUpserter)
		if !ok {
			return errors.New("store's Upserter is not a BatchUpserter")
		}
		for _, b := range batches {
			res, err := bu.UpsertBatch(ctx, b)
			if err != nil {
				return err
			}
			out = append(out, res)
		}
		return fail
	})
	return out, err
}

// seqEvents returns n new events with ids prefix0, prefix1, ….
func seqEvents(prefix string, from, n int) []*events.Event {
	out := make([]*events.Event, n)
	for i := range out {
		k := from + i
		e := ev(fmt.Sprintf("%s%d", prefix, k), "2014-07-01", float64(k%160)-80, float64(k%340)-170, events.StateBased, k%7, "Q")
		e.DateEnd, e.DatePrecision = day("2014-07-03"), 2
		e.Admin1, e.Location, e.SideA, e.SideB = "Région "+fmt.Sprint(k%9), fmt.Sprintf("place %d", k), "Government", "Rebels"
		e.Notes = fmt.Sprintf("event %d, \"quoted\", tab\there", k)
		out[i] = &e
	}
	return out
}

// clone copies events (an import sets their IDs).
func clone(es ...*events.Event) []*events.Event {
	out := make([]*events.Event, len(es))
	for i, e := range es {
		c := *e
		c.ID = 0
		out[i] = &c
	}
	return out
}

func results(r events.UpsertResult, n int) []events.UpsertResult {
	out := make([]events.UpsertResult, n)
	for i := range out {
		out[i] = r
	}
	return out
}

// testEventsBatchSequence: one import of six batches that go new, new,
// mixed, stored only, new, new gets exact results for every event, stores
// every field, and sets IDs that name the right stored events; the same file
// again changes nothing; an import that fails after batches of new events
// writes nothing.
func testEventsBatchSequence(t *testing.T, ctx context.Context, db *storage.DB) {
	prior := seqEvents("p", 0, 10)
	if _, err := importBatches(ctx, db, nil, clone(prior...)); err != nil {
		t.Fatal(err)
	}
	v0 := eventsVersion(t, db)

	a := seqEvents("a", 0, 1000)
	changedP4 := *prior[4]
	changedP4.Best, changedP4.High, changedP4.Notes = 40, 40, "revised"
	changedA5 := *a[5]
	changedA5.Lat, changedA5.Location = -12.25, "moved"
	file := [][]*events.Event{
		clone(a[0:300]...),   // new
		clone(a[300:600]...), // new
		append(clone(a[600:700]...), clone(prior[3], &changedP4, &changedA5)...), // new, unchanged, updated, updated (inserted in batch 1)
		clone(prior[5]),      // stored only
		clone(a[700:900]...), // new, after a batch of stored events
		clone(a[900:]...),    // new
	}
	want := [][]events.UpsertResult{
		results(events.Inserted, 300),
		results(events.Inserted, 300),
		append(results(events.Inserted, 100), events.Unchanged, events.Updated, events.Updated),
		{events.Unchanged},
		results(events.Inserted, 200),
		results(events.Inserted, 100),
	}
	res, err := importBatches(ctx, db, nil, file...)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(res) != fmt.Sprint(want) {
		t.Fatalf("results\n got %v\nwant %v", res, want)
	}
	if n, _ := db.Count(ctx); n != 1010 {
		t.Fatalf("Count %d, want 1010", n)
	}
	v1 := eventsVersion(t, db)
	if v1 <= v0 {
		t.Fatalf("events version %d after a changing import, was %d", v1, v0)
	}
	// IDs that are set name the event they were set on; different events
	// get different IDs. PostgreSQL batch upserts set every event's ID.
	seen := map[int64]string{}
	for _, b := range file {
		for _, e := range b {
			if e.ID == 0 {
				if db.Dialect == storage.Postgres {
					t.Fatalf("%s: ID not set", e.SourceID)
				}
				continue
			}
			if prev, dup := seen[e.ID]; dup && prev != e.SourceID {
				t.Fatalf("events %s and %s got the same ID %d", prev, e.SourceID, e.ID)
			}
			seen[e.ID] = e.SourceID
			got, err := db.Event(ctx, e.ID)
			if err != nil {
				t.Fatalf("Event(%d) for %s: %v", e.ID, e.SourceID, err)
			}
			if got.SourceID != e.SourceID {
				t.Fatalf("ID %d was set on %s but names %s", e.ID, e.SourceID, got.SourceID)
			}
		}
	}
	// Every field of every event is stored as given (the last version).
	stored := map[string]events.Event{}
	for after := int64(0); ; {
		page, err := db.Events(ctx, events.Filter{After: after, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, e := range page {
			stored[e.SourceID] = e
		}
		after = page[len(page)-1].ID
	}
	expect := map[string]events.Event{}
	for _, e := range append(append([]*events.Event{}, prior...), a...) {
		expect[e.SourceID] = *e
	}
	expect["p4"], expect["a5"] = changedP4, changedA5
	if len(stored) != len(expect) {
		t.Fatalf("%d events readable, want %d", len(stored), len(expect))
	}
	for id, w := range expect {
		g := stored[id]
		w.ID = g.ID
		if w.GridCell == 0 {
			w.GridCell = g.GridCell
		}
		if g != w {
			t.Fatalf("stored %s:\n got %+v\nwant %+v", id, g, w)
		}
	}

	// The same file again (with a5 in its final version in batch 1 too):
	// all unchanged, version left alone.
	again := make([][]*events.Event, len(file))
	for i, b := range file {
		again[i] = clone(b...)
	}
	again[0][5] = clone(&changedA5)[0]
	res, err = importBatches(ctx, db, nil, again...)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if fmt.Sprint(r) != fmt.Sprint(results(events.Unchanged, len(file[i]))) {
			t.Fatalf("re-import batch %d: %v, want all unchanged", i, r)
		}
	}
	if v := eventsVersion(t, db); v != v1 {
		t.Fatalf("re-import moved the events version %d -> %d", v1, v)
	}

	// An import that fails after batches of new events writes nothing: a
	// bad event in the third batch, or the import function's own error.
	bad := seqEvents("n", 200, 1)
	bad[0].Lon = 181
	for name, tc := range map[string]struct {
		fail    error
		batches [][]*events.Event
	}{
		"bad event":    {nil, [][]*events.Event{seqEvents("n", 0, 100), seqEvents("n", 100, 100), bad}},
		"caller error": {errors.New("stop"), [][]*events.Event{seqEvents("n", 0, 100), seqEvents("n", 100, 100)}},
		"after merge":  {errors.New("stop"), [][]*events.Event{clone(&changedP4), seqEvents("n", 0, 100)}},
	} {
		if _, err := importBatches(ctx, db, tc.fail, tc.batches...); err == nil {
			t.Fatalf("%s: import accepted", name)
		}
		if n, _ := db.Count(ctx); n != 1010 {
			t.Fatalf("%s: refused import wrote: Count %d, want 1010", name, n)
		}
		if v := eventsVersion(t, db); v != v1 {
			t.Fatalf("%s: refused import moved the events version %d -> %d", name, v1, v)
		}
		if got, _ := db.Events(ctx, events.Filter{Countries: []string{"Q"}, Limit: 2000}); len(got) != 1010 {
			t.Fatalf("%s: %d events readable, want 1010", name, len(got))
		}
	}
	// And the store still takes new batches afterwards.
	res, err = importBatches(ctx, db, nil, seqEvents("n", 0, 50))
	if err != nil || fmt.Sprint(res) != fmt.Sprint([][]events.UpsertResult{results(events.Inserted, 50)}) {
		t.Fatalf("import after refusals: %v, %v", res, err)
	}
}

// testEventsConcurrentSameEvents: import B upserts events that import A has
// written but not committed. When A commits, B finds them stored (unchanged
// or updated); when A fails, B inserts them. Either way nothing is lost or
// doubled. (On PostgreSQL B's COPY waits on A's rows; on SQLite B's
// transaction waits for A's.)
func testEventsConcurrentSameEvents(t *testing.T, open Opener) {
	for _, commit := range []bool{true, false} {
		t.Run(fmt.Sprintf("A commits=%v", commit), func(t *testing.T) {
			ctx := context.Background()
			db := open(t)
			xs := seqEvents("x", 0, 10)
			wrote, release := make(chan struct{}), make(chan struct{})
			aDone := make(chan error, 1)
			go func() {
				aDone <- db.Import(ctx, func(u events.Upserter) error {
					if _, err := u.(events.BatchUpserter).UpsertBatch(ctx, clone(xs...)); err != nil {
						return err
					}
					close(wrote)
					<-release
					if !commit {
						return errors.New("A fails")
					}
					return nil
				})
			}()
			select {
			case <-wrote:
			case err := <-aDone:
				t.Fatalf("import A ended before writing: %v", err)
			}
			// B: the same ten events, one changed, and one more.
			bBatch := clone(xs...)
			bBatch[3].Best, bBatch[3].High, bBatch[3].Notes = 99, 99, "changed by B"
			bBatch = append(bBatch, seqEvents("y", 0, 1)...)
			type result struct {
				res [][]events.UpsertResult
				err error
			}
			bDone := make(chan result, 1)
			go func() {
				res, err := importBatches(ctx, db, nil, bBatch)
				bDone <- result{res, err}
			}()
			waitForLockWait(db)
			close(release)
			if err := <-aDone; (err == nil) != commit {
				t.Fatalf("import A: %v", err)
			}
			b := <-bDone
			if b.err != nil {
				t.Fatalf("import B: %v", b.err)
			}
			want := results(events.Inserted, 11)
			if commit {
				want = append(results(events.Unchanged, 10), events.Inserted)
				want[3] = events.Updated
			}
			if fmt.Sprint(b.res) != fmt.Sprint([][]events.UpsertResult{want}) {
				t.Fatalf("import B results %v, want %v", b.res, want)
			}
			if n, _ := db.Count(ctx); n != 11 {
				t.Fatalf("Count %d, want 11", n)
			}
			got, err := db.Events(ctx, events.Filter{Countries: []string{"Q"}, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range got {
				if g.SourceID == "x3" && (g.Best != 99 || g.Notes != "changed by B") {
					t.Fatalf("x3 stored as %+v, want B's version", g)
				}
			}
		})
	}
}

// waitForLockWait waits (a bounded time) until some PostgreSQL backend is
// waiting on a lock, so that B is really blocked behind A. It asserts
// nothing: if B is not blocked yet, the test checks the same outcome.
func waitForLockWait(db *storage.DB) {
	if db.Dialect != storage.Postgres {
		time.Sleep(100 * time.Millisecond)
		return
	}
	for i := 0; i < 100; i++ {
		var n int
		if err := db.SQL.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'`).Scan(&n); err == nil && n > 0 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// testEventsEstimatesAsPublished: the store keeps fatality estimates that
// break low ≤ best ≤ high exactly as given (real UCDP GED rows have them;
// the importer decides whether to keep, refuse or widen them), through
// Upsert and UpsertBatch (on PostgreSQL, COPY and the merge), for inserts,
// re-imports and updates; aggregates count best.
func testEventsEstimatesAsPublished(t *testing.T, ctx context.Context, db *storage.DB) {
	odd := func(es []*events.Event) {
		es[0].Best, es[0].Low, es[0].High = 3, 5, 2 // low > high (GED 23.1 id 22810 in CAR has such a row)
		es[1].Best, es[1].Low, es[1].High = 7, 7, 6 // best above high (GED 21.1 id 255999)
		es[2].Best, es[2].Low, es[2].High = 2, 3, 3 // best below low (GED 23.1 id 236880)
	}
	single := seqEvents("pub-one-", 0, 3)
	odd(single)
	batch := seqEvents("pub-batch-", 0, 300)
	odd(batch)
	run := func(want events.UpsertResult) {
		t.Helper()
		err := db.Import(ctx, func(u events.Upserter) error {
			for _, e := range clone(single...) {
				r, err := u.Upsert(ctx, e)
				if err != nil {
					return err
				}
				if r != want {
					t.Errorf("Upsert %s: %v, want %v", e.SourceID, r, want)
				}
			}
			res, err := u.(events.BatchUpserter).UpsertBatch(ctx, clone(batch...))
			if err != nil {
				return err
			}
			if fmt.Sprint(res) != fmt.Sprint(results(want, len(batch))) {
				t.Errorf("UpsertBatch: %v, want all %v", res[:3], want)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("import of estimates as published: %v", err)
		}
	}
	check := func() {
		t.Helper()
		page, err := db.Events(ctx, events.Filter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][3]int{}
		for _, e := range page {
			got[e.SourceID] = [3]int{e.Best, e.Low, e.High}
		}
		for _, e := range append(single, batch...) {
			if w := [3]int{e.Best, e.Low, e.High}; got[e.SourceID] != w {
				t.Errorf("%s: stored best, low, high %v, want %v as given", e.SourceID, got[e.SourceID], w)
			}
		}
		cms, err := db.CellMonths(ctx, events.Filter{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		deaths, want := 0, 0
		for _, cm := range cms {
			for _, d := range cm.Deaths {
				deaths += d
			}
		}
		for _, e := range append(single, batch...) {
			want += e.Best
		}
		if deaths != want {
			t.Errorf("CellMonths deaths %d, want %d (the sum of best)", deaths, want)
		}
	}
	run(events.Inserted)
	check()
	run(events.Unchanged)
	for _, es := range [][]*events.Event{single, batch} {
		es[0].High, es[1].Low, es[2].Best = 1, 8, 1 // still inconsistent, now different
		for _, e := range es[3:] {
			e.Low, e.High = e.High+1, e.Best // every other row now inconsistent too
		}
	}
	run(events.Updated)
	check()
}

// testEventsBatchInvalidLate: an invalid event or a duplicate id far into a
// batch of new events (on PostgreSQL, after the first rows of the COPY have
// been sent) is refused with the event's own error, and the batch writes
// nothing; the import can go on with other batches, which are stored.
func testEventsBatchInvalidLate(t *testing.T, ctx context.Context, db *storage.DB) {
	for name, tc := range map[string]struct {
		bad   func(b []*events.Event)
		field string
	}{
		"longitude":    {func(b []*events.Event) { b[350].Lon = 200 }, "longitude"},
		"duplicate id": {func(b []*events.Event) { b[390].SourceID = b[3].SourceID }, "id"},
		"negative low": {func(b []*events.Event) { b[399].Low = -1 }, "best"},
	} {
		t.Run(name, func(t *testing.T) {
			before, _ := db.Count(ctx)
			v0 := eventsVersion(t, db)
			prefix := "late-" + strings.ReplaceAll(name, " ", "")
			err := db.Import(ctx, func(u events.Upserter) error {
				bu := u.(events.BatchUpserter)
				bad := seqEvents(prefix+"-", 0, 400)
				tc.bad(bad)
				_, err := bu.UpsertBatch(ctx, bad)
				var fe *apperr.Error
				if !errors.As(err, &fe) || (tc.field != "" && fe.Field != tc.field) {
					t.Errorf("bad batch: error %v, want an invalid-input error on %q", err, tc.field)
				}
				res, err := bu.UpsertBatch(ctx, seqEvents(prefix+"-ok-", 0, 10))
				if err != nil {
					return fmt.Errorf("batch after a refused one: %w", err)
				}
				if fmt.Sprint(res) != fmt.Sprint(results(events.Inserted, 10)) {
					t.Errorf("batch after a refused one: %v", res)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if n, _ := db.Count(ctx); n != before+10 {
				t.Fatalf("Count %d, want %d (only the good batch)", n, before+10)
			}
			if v := eventsVersion(t, db); v <= v0 {
				t.Fatalf("events version %d after the good batch, was %d", v, v0)
			}
		})
	}
}

// testEventsBatchNewSourceRepeats: in one import into sources that had no
// events when it began (the path that inserts without looking anything up),
// later batches and single upserts that repeat ids of earlier ones — the
// same, changed, or mixed in one batch with a source that had events — get
// exact results and store the last version; a rolled-back import of that
// kind leaves nothing, and the same import again is all unchanged.
func testEventsBatchNewSourceRepeats(t *testing.T, ctx context.Context, db *storage.DB) {
	old := seqEvents("old-", 0, 5)
	for _, e := range old {
		e.Source = "had-events"
	}
	if _, err := importBatches(ctx, db, nil, clone(old...)); err != nil {
		t.Fatal(err)
	}
	a := seqEvents("n-", 0, 600)
	b := seqEvents("m-", 0, 50)
	for _, e := range b {
		e.Source = "second-new-source"
	}
	changed7 := *a[7]
	changed7.Notes, changed7.Best, changed7.High = "revised", 9, 9
	changed400 := *a[400]
	changed400.Location = "moved"
	oldChanged := *old[2]
	oldChanged.Notes = "revised old"
	run := func(fail error) ([][]events.UpsertResult, []events.UpsertResult, error) {
		var single []events.UpsertResult
		var out [][]events.UpsertResult
		err := db.Import(ctx, func(u events.Upserter) error {
			bu := u.(events.BatchUpserter)
			for _, batch := range [][]*events.Event{
				clone(a[0:300]...), // new
				append(clone(a[300:450]...), clone(a[5], &changed7)...),     // new, unchanged, updated
				append(clone(b...), clone(a[450:500]...)...),                // two new sources in one batch
				append(clone(a[500:600]...), clone(old[1], &oldChanged)...), // new + a source that had events
			} {
				res, err := bu.UpsertBatch(ctx, batch)
				if err != nil {
					return err
				}
				out = append(out, res)
				if len(out) == 1 { // single upserts between batches: a repeat and a new id
					for _, e := range clone(&changed400, a[10]) {
						r, err := u.Upsert(ctx, e)
						if err != nil {
							return err
						}
						single = append(single, r)
					}
				}
			}
			return fail
		})
		return out, single, err
	}
	if _, _, err := run(errors.New("roll back")); err == nil {
		t.Fatal("failing import succeeded")
	}
	if n, _ := db.Count(ctx); n != len(old) {
		t.Fatalf("rolled-back import left %d events, want %d", n, len(old))
	}
	res, single, err := run(nil)
	if err != nil {
		t.Fatal(err)
	}
	// a[400] is new when the single upsert stores changed400, so batch 2's
	// a[400] updates it back.
	want := [][]events.UpsertResult{
		results(events.Inserted, 300),
		append(results(events.Inserted, 150), events.Unchanged, events.Updated),
		results(events.Inserted, 100),
		append(results(events.Inserted, 100), events.Unchanged, events.Updated),
	}
	want[1][100] = events.Updated
	if fmt.Sprint(res) != fmt.Sprint(want) {
		t.Fatalf("results\n got %v\nwant %v", res, want)
	}
	if fmt.Sprint(single) != fmt.Sprint([]events.UpsertResult{events.Inserted, events.Unchanged}) {
		t.Fatalf("single upserts: %v, want [inserted unchanged]", single)
	}
	if n, _ := db.Count(ctx); n != len(old)+600+50 {
		t.Fatalf("Count %d, want %d", n, len(old)+650)
	}
	page, err := db.Events(ctx, events.Filter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]events.Event{}
	for _, e := range page {
		got[e.Source+"/"+e.SourceID] = e
	}
	for _, w := range []events.Event{changed7, *a[400], oldChanged, *a[5], *b[49]} {
		g := got[w.Source+"/"+w.SourceID]
		if g.Notes != w.Notes || g.Best != w.Best || g.Location != w.Location {
			t.Errorf("%s/%s stored as %q, %d, %q; want %q, %d, %q", w.Source, w.SourceID, g.Notes, g.Best, g.Location, w.Notes, w.Best, w.Location)
		}
	}
	// The same import again: unchanged but for the events it changes twice
	// itself (a[7] in batches 1 and 2, a[400] by the single upsert and batch 2).
	res, single, err = run(nil)
	if err != nil {
		t.Fatal(err)
	}
	want = [][]events.UpsertResult{
		results(events.Unchanged, 300),
		append(results(events.Unchanged, 150), events.Unchanged, events.Updated),
		results(events.Unchanged, 100),
		results(events.Unchanged, 102),
	}
	want[0][7], want[1][100] = events.Updated, events.Updated
	if fmt.Sprint(res) != fmt.Sprint(want) || fmt.Sprint(single) != fmt.Sprint([]events.UpsertResult{events.Updated, events.Unchanged}) {
		t.Fatalf("second import results\n got %v %v\nwant %v [updated unchanged]", res, single, want)
	}
}
