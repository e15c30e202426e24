package ingest_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/ingest"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/shareddata"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/internal/testutil/golden"
	"github.com/vigil-project/vigil/storage"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/cases")

func openDB(t testing.TB) *storage.DB {
	t.Helper()
	db := testutil.Store(t)
	return db
}

// goldenEvent is an event as written to a golden file (no store id).
type goldenEvent struct {
	Source, SourceID        string
	DateStart, DateEnd      string
	DatePrecision           int
	Lat, Lon                float64
	WherePrecision          int
	Country, CountryCode    string
	Admin1, Admin2, Admin1C string
	Location                string
	GridCell                int
	Violence                string
	EventType, SubEventType string
	ConflictName            string
	SideA, SideB            string
	Best, Low, High, Civ    int
	Notes                   string
}

func toGolden(e events.Event) goldenEvent {
	return goldenEvent{e.Source, e.SourceID, e.DateStart.Format("2006-01-02"), e.DateEnd.Format("2006-01-02"),
		int(e.DatePrecision), e.Lat, e.Lon, int(e.WherePrecision), e.Country, e.CountryCode, e.Admin1, e.Admin2,
		e.Admin1Code, e.Location, e.GridCell, e.Violence.String(), e.EventType, e.SubEventType, e.ConflictName,
		e.SideA, e.SideB, e.Best, e.Low, e.High, e.Civilian, e.Notes}
}

// TestGolden imports every file under testdata/cases into a fresh store and
// compares the outcome — the stored events, or the error and an empty store
// — with testdata/cases/<file>.golden. Run with -update to rewrite.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/cases/*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, path := range files {
		if strings.HasSuffix(path, ".golden") {
			continue
		}
		n++
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			db := openDB(t)
			opt := ingest.Options{Strict: strings.Contains(name, "-strict-")}
			if strings.HasPrefix(name, "acled") {
				opt.Format = ingest.Auto
			}
			counts, err := ingest.ImportFile(ctx, db, path, opt)
			var out bytes.Buffer
			if err != nil {
				fmt.Fprintf(&out, "error: %s\n", strings.ReplaceAll(err.Error(), path, name))
				if n, _ := db.Count(ctx); n != 0 {
					t.Errorf("failed import left %d events in the store", n)
				}
				if ie := apperr.As(err); ie == nil || ie.File == "" {
					t.Errorf("error %v is not an apperr error naming the file", err)
				}
			} else {
				fmt.Fprintf(&out, "counts: %+v\n", counts)
				page, err := db.Events(ctx, events.Filter{Limit: 1000})
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range page {
					b, _ := json.Marshal(toGolden(e))
					out.Write(b)
					out.WriteByte('\n')
				}
				// Re-importing the same file changes nothing.
				again, err := ingest.ImportFile(ctx, db, path, opt)
				if err != nil || again != (events.Counts{Unchanged: counts.Inserted, InconsistentEstimates: counts.InconsistentEstimates}) {
					t.Errorf("re-import: %+v, %v; want %d unchanged", again, err, counts.Inserted)
				}
			}
			golden.Check(t, path+".golden", out.Bytes(), *update)
		})
	}
	if n == 0 {
		t.Fatal("no cases")
	}
}

// gedEstimates reads id, best, low and high of every row of a real GED file
// straight from the CSV, and the line of the first row whose estimates break
// low ≤ best ≤ high, and how many do.
func gedEstimates(t *testing.T, path string) (est map[string][3]int, firstBad, bad int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	head, err := cr.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	est = map[string][3]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		var v [3]int
		for i, c := range []string{"best", "low", "high"} {
			if v[i], err = strconv.Atoi(rec[col[c]]); err != nil {
				t.Fatalf("%s: %v", c, err)
			}
		}
		est[rec[col["id"]]] = v
		if best, low, high := v[0], v[1], v[2]; low > high || best < low || best > high {
			bad++
			if firstBad == 0 {
				firstBad, _ = cr.FieldPos(0)
			}
		}
	}
	return est, firstBad, bad
}

// TestRealGED imports the shared UCDP GED extracts whole with the plain
// command: rows whose estimates break low ≤ best ≤ high (real releases have
// them) are stored as published and counted; Strict refuses the file at the
// first of them; RepairEstimates widens them.
func TestRealGED(t *testing.T) {
	for _, c := range []struct {
		file         string
		rows         int
		inconsistent int
	}{
		{"ucdp/ged211_precise_6countries_1989_2018.csv", 11503, 43},
		{"ucdp/ged231_car_1989_2018.csv", 1458, 19},
		{"ucdp/ged231_global_sample.csv", 976, 13},
	} {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			path := shareddata.Path(t, c.file)
			ctx := context.Background()
			want, firstBad, bad := gedEstimates(t, path)
			if bad != c.inconsistent || len(want) != c.rows {
				t.Fatalf("the file has %d rows, %d inconsistent; the test expects %d, %d", len(want), bad, c.rows, c.inconsistent)
			}

			// Strict: refused at the first such row, naming its line; nothing written.
			db := openDB(t)
			_, err := ingest.ImportFile(ctx, db, path, ingest.Options{Strict: true})
			ie := apperr.As(err)
			if ie == nil || ie.Line != firstBad || (ie.Field != "low" && ie.Field != "best") ||
				!strings.Contains(err.Error(), fmt.Sprintf("%s:%d: ", path, firstBad)) {
				t.Fatalf("strict import: %v, want an error on line %d, column low or best", err, firstBad)
			}
			if n, _ := db.Count(ctx); n != 0 {
				t.Fatalf("refused file left %d events", n)
			}

			// Plain import: everything stored as published, the odd rows counted.
			var progress int64
			counts, err := ingest.ImportFile(ctx, db, path, ingest.Options{Progress: func(n int64) { progress = n }})
			if err != nil {
				t.Fatal(err)
			}
			if counts != (events.Counts{Inserted: c.rows, InconsistentEstimates: c.inconsistent}) {
				t.Fatalf("counts %+v, want %d inserted, %d inconsistent estimates", counts, c.rows, c.inconsistent)
			}
			st, _ := os.Stat(path)
			if progress != st.Size() {
				t.Errorf("progress ended at %d bytes, file has %d", progress, st.Size())
			}
			got := storedEstimates(t, db)
			if len(got) != c.rows {
				t.Fatalf("store has %d events", len(got))
			}
			for id, w := range want {
				if got[id] != w {
					t.Errorf("event %s: stored best, low, high %v, the file has %v", id, got[id], w)
				}
			}
			// Re-import: unchanged, and the same rows counted again.
			again, err := ingest.ImportFile(ctx, db, path, ingest.Options{})
			if err != nil || again != (events.Counts{Unchanged: c.rows, InconsistentEstimates: c.inconsistent}) {
				t.Fatalf("re-import: %+v %v", again, err)
			}

			// RepairEstimates: the same rows widened around best instead.
			db2 := openDB(t)
			counts, err = ingest.ImportFile(ctx, db2, path, ingest.Options{RepairEstimates: true})
			if err != nil || counts != (events.Counts{Inserted: c.rows, Repaired: c.inconsistent}) {
				t.Fatalf("repair: %+v %v", counts, err)
			}
			for id, e := range storedEstimates(t, db2) {
				w := want[id]
				if e[0] != w[0] || e[1] != min(w[0], w[1], w[2]) || e[2] != max(w[0], w[1], w[2]) {
					t.Errorf("repaired event %s: %v from %v", id, e, w)
				}
			}
		})
	}
}

// storedEstimates returns best, low and high of every stored event by source id.
func storedEstimates(t *testing.T, db *storage.DB) map[string][3]int {
	t.Helper()
	out := map[string][3]int{}
	var after int64
	for {
		page, err := db.Events(context.Background(), events.Filter{After: after, Limit: 10000})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			return out
		}
		for _, e := range page {
			out[e.SourceID] = [3]int{e.Best, e.Low, e.High}
			after = e.ID
		}
	}
}

// TestCheck validates without writing and reports what would change.
func TestCheck(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	path := "testdata/cases/ged17-ok.csv"
	c, err := ingest.ImportFile(ctx, db, path, ingest.Options{Check: true})
	if err != nil || c.Inserted != 3 {
		t.Fatalf("check: %+v %v", c, err)
	}
	if n, _ := db.Count(ctx); n != 0 {
		t.Fatalf("check wrote %d events", n)
	}
	if _, err := ingest.ImportFile(ctx, db, path, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	c, err = ingest.ImportFile(ctx, db, path, ingest.Options{Check: true, Source: "other"})
	if err != nil || c.Inserted != 3 {
		t.Fatalf("check with another source: %+v %v", c, err)
	}
	c, err = ingest.ImportFile(ctx, db, path, ingest.Options{Check: true})
	if err != nil || c.Unchanged != 3 {
		t.Fatalf("check after import: %+v %v", c, err)
	}
	// With no store, check only validates.
	c, err = ingest.ImportFile(ctx, nil, path, ingest.Options{Check: true})
	if err != nil || c.Inserted != 3 {
		t.Fatalf("check without store: %+v %v", c, err)
	}
	if _, err := ingest.ImportFile(ctx, nil, "testdata/cases/ged-bad-lat.csv", ingest.Options{Check: true}); err == nil {
		t.Fatal("check accepted a bad file")
	}
}

// TestForcedFormat: a forced format that does not fit says so.
func TestForcedFormat(t *testing.T) {
	_, err := ingest.ImportFile(context.Background(), nil, "testdata/cases/ged17-ok.csv", ingest.Options{Format: ingest.GeoJSON, Check: true})
	if err == nil {
		t.Fatal("GED CSV accepted as GeoJSON")
	}
	if !strings.Contains(err.Error(), "ged17-ok.csv:1") {
		t.Errorf("error does not name file and line: %v", err)
	}
	if _, err := ingest.ParseFormat("xlsx"); err == nil {
		t.Error("format xlsx accepted")
	}
}

// TestParseDateFastPath: the fast path for GED's "YYYY-MM-DD[ HH:MM:SS]"
// gives what time.Parse gives, and leaves every value it does not take
// whole (impossible days, out-of-range times, other shapes) to the layouts.
func TestParseDateFastPath(t *testing.T) {
	for _, s := range []string{
		"2013-01-03", "2013-01-03 00:00:00", "2013-01-03T23:59:59", "2024-02-29", "2023-02-29", "2023-04-31",
		"2013-13-01", "2013-00-10", "2013-01-00", "2013-01-03 24:00:00", "2013-01-03 23:60:00", "2013-01-03 23:59:60",
		"2013-1-03", "2013/01/03", "20130103", "2013-01-03 00:00", "+013-01-03", "2013-01-03 00:00:00Z", "0000-01-01",
	} {
		got, err := ingest.ParseDate(s)
		want, werr := ingest.ParseDateLayouts(s)
		if !got.Equal(want) || (err == nil) != (werr == nil) {
			t.Errorf("%q: fast path %v, %v; layouts %v, %v", s, got, err, want, werr)
		}
	}
}

// FuzzParseDate: the fast path never disagrees with the layouts.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2013-01-03", "2013-01-03 00:00:00", "2023-02-29", "2013-01-03T23:59:60", "03 January 2013"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ingest.ParseDate(s)
		want, werr := ingest.ParseDateLayouts(s)
		if !got.Equal(want) || (err == nil) != (werr == nil) {
			t.Fatalf("%q: fast path %v, %v; layouts %v, %v", s, got, err, want, werr)
		}
	})
}
