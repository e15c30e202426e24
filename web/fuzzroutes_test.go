package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// fuzzRoute is one route a fuzz target sends its input to: a path ending
// in "?" takes the input as its query, any other path the input as a JSON
// body.
type fuzzRoute struct{ method, path string }

// routeSeed is a seed of fuzzRoutes: the index of the route and the input.
type routeSeed struct {
	route uint8
	s     string
}

// addRouteSeeds adds each of seeds[i]'s strings to f's corpus as
// (uint8(i), s): the seeds of the fuzz targets whose first argument picks
// the route.
func addRouteSeeds(f *testing.F, seeds ...[]string) {
	for i, ss := range seeds {
		for _, s := range ss {
			f.Add(uint8(i), s)
		}
	}
}

// fuzzRoutes adds the seeds and sends each input to one of routes (by the
// seed's index, modulo their number) as the user with the bearer token tok:
// every answer must be below 500 (bad input is a 4xx, never a crash).
func fuzzRoutes(f *testing.F, e *testEnv, tok string, routes []fuzzRoute, seeds []routeSeed) {
	for _, s := range seeds {
		f.Add(s.route, s.s)
	}
	f.Fuzz(func(t *testing.T, route uint8, s string) {
		r := routes[int(route)%len(routes)]
		var req *http.Request
		var err error
		if strings.HasSuffix(r.path, "?") {
			req, err = http.NewRequest(r.method, "http://vigil.test"+r.path+s, nil)
		} else {
			req, err = http.NewRequest(r.method, "http://vigil.test"+r.path, strings.NewReader(s))
			if req != nil {
				req.Header.Set("Content-Type", "application/json")
			}
		}
		if err != nil {
			return
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", req.Method, req.URL.Path, s, w.Code, w.Body.String())
		}
	})
}
