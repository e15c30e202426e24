// Command bench-import produces the events benchmarks recorded in
// docs/benchmarks/events.md (run it through scripts/bench-import.sh):
//
//	bench-import csv   -rows N -out FILE        replicate the real UCDP GED 49-column sample to N rows
//	bench-import build -events N -data DIR [-db URL]
//	                                            fill a store with N events resampled from the real GED rows
//	bench-import query -data DIR [-db URL]      p50/p99 of bbox+month-range pages and country cluster requests
//
// The resampled events are honest about what they are: each is a real
// UCDP GED event (from ../shared/data/ucdp) with its position jittered by
// up to ±0.05° and its date by up to ±15 days, under a new id and the
// source "bench-ged". Every random choice comes from a fixed seed.
package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/ingest"
	"github.com/vigil-project/vigil/internal/shareddata"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/postgres"
	"github.com/vigil-project/vigil/storage/sqlite"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: bench-import csv|build|query [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "csv":
		err = cmdCSV(os.Args[2:])
	case "build":
		err = cmdBuild(os.Args[2:])
	case "query":
		err = cmdQuery(os.Args[2:])
	default:
		err = fmt.Errorf("unknown subcommand %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench-import:", err)
		os.Exit(1)
	}
}

func sharedFile(rel string) (string, error) {
	root := shareddata.Root()
	if root == "" {
		return "", fmt.Errorf("../shared/data not found (set VIGIL_SHARED_DATA)")
	}
	return filepath.Join(root, rel), nil
}

// cmdCSV writes the 49-column GED sample replicated to N rows; copy k of
// row "id" gets id "id-k" (everything else unchanged).
func cmdCSV(args []string) error {
	fs := flag.NewFlagSet("csv", flag.ExitOnError)
	rows := fs.Int("rows", 300000, "rows to write")
	out := fs.String("out", "", "output CSV")
	fs.Parse(args)
	src, err := sharedFile("ucdp/ged231_global_sample.csv")
	if err != nil {
		return err
	}
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		return err
	}
	o, err := os.Create(*out)
	if err != nil {
		return err
	}
	w := csv.NewWriter(o)
	w.Write(recs[0])
	data := recs[1:]
	for i := 0; i < *rows; i++ {
		r := append([]string(nil), data[i%len(data)]...)
		r[0] = r[0] + "-" + strconv.Itoa(i/len(data))
		w.Write(r)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return o.Close()
}

func openStore(ctx context.Context, data, url string) (*storage.DB, error) {
	if url != "" {
		return postgres.Open(ctx, url)
	}
	return sqlite.Open(ctx, data, sqlite.Options{})
}

// realEvents imports the three shared GED extracts into a scratch store and
// returns the distinct real events.
func realEvents(ctx context.Context) ([]events.Event, error) {
	tmp, err := os.MkdirTemp("", "bench-real")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	db, err := sqlite.Open(ctx, tmp, sqlite.Options{})
	if err != nil {
		return nil, err
	}
	defer db.Close()
	for _, rel := range []string{"ucdp/ged211_precise_6countries_1989_2018.csv", "ucdp/ged231_car_1989_2018.csv", "ucdp/ged231_global_sample.csv"} {
		p, err := sharedFile(rel)
		if err != nil {
			return nil, err
		}
		if _, err := ingest.ImportFile(ctx, db, p, ingest.Options{RepairEstimates: true}); err != nil {
			return nil, err
		}
	}
	var all []events.Event
	var after int64
	for {
		page, err := db.Events(ctx, events.Filter{After: after, Limit: storage.MaxEventsLimit})
		if err != nil {
			return nil, err
		}
		if len(page) == 0 {
			return all, nil
		}
		all = append(all, page...)
		after = page[len(page)-1].ID
	}
}

func cmdBuild(args []string) error {
	fs := flag.NewFlagSet("build", flag.ExitOnError)
	n := fs.Int("events", 1000000, "events to generate")
	data := fs.String("data", "", "SQLite data directory")
	url := fs.String("db", "", "PostgreSQL URL instead")
	fs.Parse(args)
	ctx := context.Background()
	real, err := realEvents(ctx)
	if err != nil {
		return err
	}
	db, err := openStore(ctx, *data, *url)
	if err != nil {
		return err
	}
	defer db.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Now()
	const batch = 100000 // one transaction per 100k events
	for done := 0; done < *n; done += batch {
		err := db.Import(ctx, func(u events.Upserter) error {
			bu := u.(events.BatchUpserter)
			var buf []*events.Event
			for i := done; i < min(done+batch, *n); i++ {
				e := real[rng.IntN(len(real))]
				e.ID, e.Source, e.SourceID, e.GridCell = 0, "bench-ged", fmt.Sprintf("%s-%d", e.SourceID, i), 0
				e.Lat = math.Max(-90, math.Min(90, e.Lat+(rng.Float64()-0.5)*0.1))
				e.Lon = math.Max(-180, math.Min(180, e.Lon+(rng.Float64()-0.5)*0.1))
				shift := time.Duration(rng.IntN(31)-15) * 24 * time.Hour
				e.DateStart, e.DateEnd = e.DateStart.Add(shift), e.DateEnd.Add(shift)
				buf = append(buf, &e)
				if len(buf) == 400 {
					if _, err := bu.UpsertBatch(ctx, buf); err != nil {
						return err
					}
					buf = buf[:0]
				}
			}
			_, err := bu.UpsertBatch(ctx, buf)
			return err
		})
		if err != nil {
			return err
		}
	}
	el := time.Since(start)
	cnt, _ := db.Count(ctx)
	fmt.Printf("built %d events (%d real events resampled) in %.1fs: %.0f events/s via events.Store.Import (batches of 400); store now holds %d\n",
		*n, len(real), el.Seconds(), float64(*n)/el.Seconds(), cnt)
	return nil
}

// stats collects wall-clock latencies and the process CPU time each
// request used (user+system, all threads: a figure that a loaded machine
// inflates much less than wall time).
type stats struct {
	d, cpu []time.Duration
	t0     time.Time
	c0     time.Duration
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func (s *stats) start() { s.t0, s.c0 = time.Now(), cpuTime() }
func (s *stats) stop() {
	s.d = append(s.d, time.Since(s.t0))
	s.cpu = append(s.cpu, cpuTime()-s.c0)
}

func pct(d []time.Duration) string {
	if len(d) == 0 {
		return "n=0"
	}
	slices.Sort(d)
	q := func(p float64) time.Duration { return d[min(len(d)-1, int(math.Ceil(p*float64(len(d))))-1)] }
	return fmt.Sprintf("p50=%.2fms p90=%.2fms p99=%.2fms max=%.2fms", ms(q(0.5)), ms(q(0.9)), ms(q(0.99)), ms(d[len(d)-1]))
}

func (s *stats) String() string {
	return fmt.Sprintf("n=%d wall %s | CPU %s", len(s.d), pct(s.d), pct(s.cpu))
}
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

var drc = events.BBox{West: 12.2, South: -13.5, East: 31.3, North: 5.4}

func cmdQuery(args []string) error {
	fs := flag.NewFlagSet("query", flag.ExitOnError)
	data := fs.String("data", "", "SQLite data directory")
	url := fs.String("db", "", "PostgreSQL URL instead")
	nq := fs.Int("n", 1000, "page queries")
	nc := fs.Int("clusters", 100, "cluster requests per kind")
	fs.Parse(args)
	ctx := context.Background()
	db, err := openStore(ctx, *data, *url)
	if err != nil {
		return err
	}
	defer db.Close()
	cnt, err := db.Count(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("store: %s, %d events\n", db.Dialect, cnt)
	t0 := time.Now()
	if _, err := db.Events(ctx, events.Filter{Limit: 1}); err != nil {
		return err
	}
	var ms0 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms0)
	fmt.Printf("first query (loads the in-process index): %.0f ms; Go heap after load %.0f MB\n", ms(time.Since(t0)), float64(ms0.HeapAlloc)/(1<<20))

	// Anchors: real event positions and months from the store's first pages.
	if *nq == 0 {
		return nil
	}
	anchors, err := db.Events(ctx, events.Filter{Limit: 5000})
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var pages stats
	hits := 0
	for i := 0; i < *nq; i++ {
		a := anchors[rng.IntN(len(anchors))]
		w, h := 0.5+rng.Float64()*4.5, 0.5+rng.Float64()*4.5
		b := events.BBox{West: math.Max(-180, a.Lon-w), East: math.Min(180, a.Lon+w), South: math.Max(-90, a.Lat-h), North: math.Min(90, a.Lat+h)}
		from := a.DateStart.AddDate(0, -rng.IntN(12), 0)
		from = time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
		to := from.AddDate(0, 1+rng.IntN(36), -1)
		f := events.Filter{BBox: &b, From: from, To: to, Limit: 100}
		pages.start()
		got, err := db.Events(ctx, f)
		if err != nil {
			return err
		}
		pages.stop()
		hits += len(got)
	}
	fmt.Printf("bbox (1–10° boxes around real events) + month range (1–36 months), page of 100: %s (mean %.0f events per page)\n", &pages, float64(hits)/float64(*nq))

	for _, c := range []struct {
		name string
		f    events.Filter
		deg  float64
	}{
		{"DR Congo bbox, all years, 0.5° clusters", events.Filter{BBox: &drc}, 0.5},
		{"DR Congo bbox, all years, 1° clusters", events.Filter{BBox: &drc}, 1},
		{"DR Congo bbox, all years, 0.25° clusters", events.Filter{BBox: &drc}, 0.25},
		{"DR Congo bbox, 2010–2018, state-based+one-sided, 0.5°", events.Filter{BBox: &drc, From: time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2018, 12, 31, 0, 0, 0, 0, time.UTC), Types: []events.ViolenceType{events.StateBased, events.OneSided}}, 0.5},
		{"country filter \"DR Congo\", all years, 0.5°", events.Filter{Countries: []string{"DR Congo (Zaire)", "DR Congo"}}, 0.5},
		{"whole world, all years, 2° clusters", events.Filter{}, 2},
	} {
		var st stats
		var n, clusters int
		for i := 0; i < *nc; i++ {
			st.start()
			cl, err := db.Clusters(ctx, c.f, c.deg)
			if err != nil {
				return err
			}
			st.stop()
			n, clusters = 0, len(cl)
			for _, x := range cl {
				n += x.Count
			}
		}
		fmt.Printf("clusters, %s: %s (%d events in %d clusters)\n", c.name, &st, n, clusters)
	}
	var st stats
	for i := 0; i < *nc/4+1; i++ {
		st.start()
		cm, err := db.CellMonths(ctx, events.Filter{BBox: &drc, From: time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2018, 12, 31, 0, 0, 0, 0, time.UTC)}, 0)
		if err != nil {
			return err
		}
		st.stop()
		_ = cm
	}
	fmt.Printf("cell-months, DR Congo bbox, 2017–2018, PRIO-GRID: %s\n", &st)

	// An in-process import of one changed event (as alerts publishing an
	// incident does) is merged into the loaded index; the next query does
	// not rebuild it. The event is put back afterwards.
	orig := anchors[0]
	changed := orig
	changed.Best, changed.High = orig.High+1, orig.High+1
	for _, e := range []events.Event{changed, orig} {
		e := e
		t0 := time.Now()
		err := db.Import(ctx, func(u events.Upserter) error { _, err := u.Upsert(ctx, &e); return err })
		if err != nil {
			return err
		}
		t1 := time.Now()
		got, err := db.Events(ctx, events.Filter{BBox: &events.BBox{West: e.Lon, East: e.Lon, South: e.Lat, North: e.Lat}})
		if err != nil {
			return err
		}
		found := false
		for _, g := range got {
			found = found || (g.ID == e.ID && g.Best == e.Best)
		}
		fmt.Printf("import of 1 changed event: %.1f ms (incl. merging it into the index); next query %.1f ms, sees the change: %v\n",
			ms(t1.Sub(t0)), ms(time.Since(t1)), found)
	}
	return nil
}
