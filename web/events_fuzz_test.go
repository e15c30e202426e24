package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/vigil-project/vigil/ingest"
	"github.com/vigil-project/vigil/internal/shareddata"
)

// FuzzEventQueries sends arbitrary query strings to the events, clusters and
// grid endpoints (and arbitrary ids to /api/v1/events/{id}) and requires an
// answer below 500: bad input is a 4xx with a message, never a crash (the
// middleware turns a panic into a 500, which fails here).
func FuzzEventQueries(f *testing.F) {
	for _, c := range badQueries {
		f.Add(uint8(0), c.path[len("/api/v1/"):])
	}
	seeds := []string{
		"events?bbox=14.4,2.2,27.5,11.1&from=2013-01&to=2014-12&type=one-sided,state-based&country=Central+African+Republic&limit=10",
		"events?cursor=100&limit=1",
		"events?bbox=-180,-90,180,90",
		"clusters?zoom=0",
		"clusters?zoom=22&bbox=18.5,4.3,18.6,4.4",
		"clusters?zoom=5&from=2014-01-01&to=2014-01-31&type=3",
		"grid?from=2014-01&to=2014-12&grid=0.1",
		"grid?grid=priogrid&bbox=14,2,28,12",
		"grid?grid=10&from=1989-01&to=2018-12",
		"grid?grid=0.05&bbox=18,4,19,5",
		"events/1",
		"events/99999999999999999999",
		"events?bbox=1e308,1e308,1e308,1e308",
		"events?from=%ZZ",
		"clusters?zoom=3&bbox=%00,1,2,3",
	}
	for _, s := range seeds {
		f.Add(uint8(0), s)
	}
	e := newEnv(f)
	// Real UCDP rows when the shared data is there; an empty store otherwise.
	if root := shareddata.Root(); root != "" {
		if _, err := ingest.ImportFile(context.Background(), e.db, filepath.Join(root, carFile), ingest.Options{RepairEstimates: true}); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, _ uint8, rel string) {
		req, err := http.NewRequest("GET", "http://vigil.test/api/v1/"+rel, nil)
		if err != nil {
			return // not a URL a client could send
		}
		req.Header.Set("Authorization", "Bearer "+e.tokens["vic"])
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("GET /api/v1/%s: %d %s", rel, w.Code, w.Body.String())
		}
	})
}
