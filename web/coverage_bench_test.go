package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/ingest"
	"github.com/vigil-project/vigil/internal/shareddata"
)

// BenchmarkCoverageAPI measures coverage requests on real data (UCDP GED
// for the six mission countries, 1989–2018, and the Geo-PKO deployments
// 1994–2020), with the prepared-inputs cache (cached) and with every request
// loading events and deployments afresh as before the cache (uncached).
// gaps/no-forecast-month then stores a PRIO-GRID forecast of 3,000 cells ×
// 12 horizons issued in 2018-12 and asks the gaps of 2018-06 (no forecast:
// recent-violence risk), whose answer names the next month with a forecast
// (2019-01).
//
//	go test -run '^$' -bench BenchmarkCoverageAPI -benchtime 10x ./web/
func BenchmarkCoverageAPI(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	ged := shareddata.Path(b, "ucdp/ged211_precise_6countries_1989_2018.csv")
	if _, err := ingest.ImportFile(ctx, e.db, ged, ingest.Options{RepairEstimates: true}); err != nil {
		b.Fatal(err)
	}
	pko := shareddata.Path(b, "geopko/geopko_v2x_deployments_6countries_1994_2020.csv")
	f, err := os.Open(pko)
	if err != nil {
		b.Fatal(err)
	}
	deps, err := coverage.ReadGeoPKO(f, pko, e.s.Coverage.Reference)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	if _, _, err := e.db.SaveDeployments(ctx, "bench", deps); err != nil {
		b.Fatal(err)
	}
	tok := e.tokens["vic"]
	getAs := func(b *testing.B, path, enc string) string {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
		}
		return w.Body.String()
	}
	get := func(b *testing.B, path string) string { return getAs(b, path, "") }
	for _, c := range []struct{ name, path string }{
		{"gaps", "/api/v1/coverage/gaps?month=2017-07&limit=50"},
		{"layer", "/api/v1/coverage?month=2017-07"},
	} {
		for _, off := range []bool{true, false} {
			name := c.name + "/cached"
			if off {
				name = c.name + "/uncached"
			}
			b.Run(name, func(b *testing.B) {
				e.s.Coverage.NoCache = off
				defer func() { e.s.Coverage.NoCache = false }()
				get(b, c.path) // warm the events index and (when on) the cache
				for b.Loop() {
					get(b, c.path)
				}
			})
		}
	}
	// The layer as a browser asks it (Accept-Encoding: gzip) and without:
	// the bytes sent (wire-B) and the time with compression; 2018-12 is
	// the demo's month (serve --demo's data).
	for _, mo := range []string{"2017-07", "2018-12"} {
		for _, enc := range []string{"", "gzip"} {
			name := "layer/wire-identity/" + mo
			if enc != "" {
				name = "layer/wire-" + enc + "/" + mo
			}
			b.Run(name, func(b *testing.B) {
				path := "/api/v1/coverage?month=" + mo
				n := len(getAs(b, path, enc))
				for b.Loop() {
					getAs(b, path, enc)
				}
				b.ReportMetric(float64(n), "wire-B")
			})
		}
	}
	run := forecast.Run{Target: "osv", Grid: forecast.GridPrio, CellSize: 0.5, Origin: grid.MonthOf(2018, 12), Model: "gbt"}
	var cells []forecast.CellRisk
	for h := 1; h <= 12; h++ {
		for i := range 3000 {
			cells = append(cells, forecast.CellRisk{Month: run.Origin + grid.Month(h), Horizon: h, Cell: 150000 + i, Prob: 0.1, Expected: 1, Hi: 2,
				Drivers: []forecast.Driver{{Feature: "events_lag1", Value: 1, Contribution: 0.5}, {Feature: "fatalities_lag3", Value: 2, Contribution: 0.2}},
				History: []forecast.HistoryPoint{{Month: "2018-11", Events: 1}, {Month: "2018-12", Events: 2}}})
		}
	}
	if _, err := e.db.SaveForecast(ctx, "bench", run, cells); err != nil {
		b.Fatal(err)
	}
	b.Run("gaps/no-forecast-month", func(b *testing.B) {
		if body := get(b, "/api/v1/coverage/gaps?month=2018-06&limit=50"); !strings.Contains(body, `"forecast_month":"2019-01"`) {
			b.Fatalf("no forecast month named: %.300s", body)
		}
		for b.Loop() {
			get(b, "/api/v1/coverage/gaps?month=2018-06&limit=50")
		}
	})
}
