//go:build unix

package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/ingest"
	"github.com/vigil-project/vigil/internal/shareddata"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/sqlite"
)

// collector is an events.Store that only keeps what an import upserts (to
// read real GED rows through the real parser).
type collector struct {
	events.Store
	evs []events.Event
}

func (c *collector) Import(ctx context.Context, fn func(events.Upserter) error) error { return fn(c) }
func (c *collector) Upsert(ctx context.Context, e *events.Event) (events.UpsertResult, error) {
	c.evs = append(c.evs, *e)
	return events.Inserted, nil
}

// benchStore returns a SQLite store in dir holding n events: the real UCDP
// GED rows of the shared extracts (six countries, CAR, global sample),
// repeated under new source ids until there are n. Positions, dates, types
// and fatalities are the real rows'; only the copies' ids differ.
func benchStore(b *testing.B, n int) *storage.DB {
	b.Helper()
	ctx := context.Background()
	var base collector
	for _, f := range []string{"ucdp/ged211_precise_6countries_1989_2018.csv", carFile, "ucdp/ged231_global_sample.csv"} {
		if _, err := ingest.ImportFile(ctx, &base, shareddata.Path(b, f), ingest.Options{RepairEstimates: true}); err != nil {
			b.Fatal(err)
		}
	}
	dir := os.Getenv("VIGIL_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	} else {
		dir = filepath.Join(dir, "n"+strconv.Itoa(n))
	}
	db, err := sqlite.Open(ctx, dir, sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	have, err := db.Count(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if have != n {
		start := time.Now()
		err = db.Import(ctx, func(u events.Upserter) error {
			for i := have; i < n; i++ {
				e := base.evs[i%len(base.evs)]
				e.SourceID = fmt.Sprintf("%s#%d", e.SourceID, i/len(base.evs))
				if _, err := u.Upsert(ctx, &e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("loaded %d events (%d distinct real rows) in %v", n, len(base.evs), time.Since(start))
	}
	return db
}

var benchQueries = []struct{ name, path string }{
	// DR Congo's box, one year: the map's event list for a country and year.
	{"events-bbox-year", "/api/v1/events?bbox=12.2,-13.5,31.3,5.4&from=2017-01&to=2017-12&limit=1000"},
	// The same with a 100-event page (what a list view shows at once).
	{"events-bbox-year-100", "/api/v1/events?bbox=12.2,-13.5,31.3,5.4&from=2017-01&to=2017-12&limit=100"},
	// The same box and a three-month range.
	{"events-bbox-quarter", "/api/v1/events?bbox=12.2,-13.5,31.3,5.4&from=2017-01&to=2017-03&limit=1000"},
	// First page of everything (1000 events).
	{"events-all-page", "/api/v1/events?limit=1000"},
	// Whole-country map view (DR Congo at zoom 6), all years, all types.
	{"clusters-country-z6", "/api/v1/clusters?zoom=6&bbox=12.2,-13.5,31.3,5.4"},
	// Whole-country view filtered to one type and a year.
	{"clusters-country-z6-filtered", "/api/v1/clusters?zoom=6&bbox=12.2,-13.5,31.3,5.4&type=one-sided&from=2017-01&to=2017-12"},
	// World view.
	{"clusters-world-z2", "/api/v1/clusters?zoom=2"},
	// Grid heat layer: PRIO-GRID cell-months for the country over a year.
	{"grid-country-year", "/api/v1/grid?bbox=12.2,-13.5,31.3,5.4&from=2017-01&to=2017-12"},
}

// BenchmarkAPI measures HTTP latency (loopback, bearer token, JSON encoding
// and all) of the events, clusters and grid endpoints on a store of
// VIGIL_BENCH_EVENTS events (default 100,000; the target is
// 1,000,000). It reports p50 and p99 in milliseconds.
func BenchmarkAPI(b *testing.B) {
	n := 100_000
	if v := os.Getenv("VIGIL_BENCH_EVENTS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("VIGIL_BENCH_EVENTS=%q", v)
		}
	}
	db := benchStore(b, n)
	defer db.Close()
	ctx := context.Background()
	s := &Server{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	if _, err := s.Auth.CreateUser(ctx, "bench", "bench", auth.Viewer, testPassword); err != nil && !errors.Is(err, auth.ErrUserExists) {
		b.Fatal(err)
	}
	tok, _, err := s.Auth.CreateToken(ctx, "bench", "bench", "bench", 0)
	if err != nil {
		b.Fatal(err)
	}
	client := srv.Client()
	get := func(path string) int {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		nb, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		return int(nb)
	}
	get(benchQueries[0].path) // builds the in-process index
	for _, q := range benchQueries {
		b.Run(q.name, func(b *testing.B) {
			size := get(q.path)
			lat := make([]time.Duration, 0, b.N)
			cpu0 := testutil.CPUTime()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				get(q.path)
				lat = append(lat, time.Since(t0))
			}
			b.StopTimer()
			// Process CPU time per request (client and server together): a
			// figure that other processes on a shared machine do not inflate.
			b.ReportMetric(float64((testutil.CPUTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			pct := func(p float64) float64 {
				return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
			}
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
			b.ReportMetric(float64(size), "resp-bytes")
		})
	}
}
