package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/ingest"
	"github.com/vigil-project/vigil/internal/shareddata"
)

// BenchmarkCoverageAPI measures coverage requests on real data (UCDP GED
// for the six mission countries, 1989–2018, and the Geo-PKO deployments
// 1994–2020), with the prepared-inputs cache (cached) and with every request
// loading events and deployments afresh as before the cache (uncached).
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
	get := func(b *testing.B, path string) {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
		}
	}
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
}
