package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/performance"
	"github.com/vigil-project/vigil/radio"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/postgres"
	"github.com/vigil-project/vigil/surveys"
)

// fuzzedRoutes is the route table less the rows a fuzzed value must not
// reach: the live stream (it never ends), logging out, rotating the keys,
// withdrawing a token or changing a user (the fuzzing admin's own) and
// polling a feed (a request to the network).
func fuzzedRoutes() []route {
	var out []route
	for _, rt := range routes {
		switch {
		case rt.handler == nil,
			strings.HasSuffix(rt.pattern, "/stream"),
			strings.HasPrefix(rt.pattern, "POST /logout"),
			strings.HasSuffix(rt.pattern, "/keys/rotate"),
			strings.HasPrefix(rt.pattern, "DELETE /api/v1/tokens/"),
			strings.HasPrefix(rt.pattern, "PATCH /api/v1/users/"),
			strings.HasSuffix(rt.pattern, "/poll"):
			continue
		}
		out = append(out, rt)
	}
	return out
}

// wildcard is a path wildcard of a route pattern: {name}, {name...}, {$}.
var wildcard = regexp.MustCompile(`\{[^}]*\}`)

// routesFuzzStore is a fresh store for FuzzRouteValues: a PostgreSQL schema
// when VIGIL_TEST_POSTGRES is set (in CI it is: a missing server fails),
// SQLite otherwise.
func routesFuzzStore(f *testing.F) (*storage.DB, string) {
	base := testutil.PostgresURL(f)
	if base == "" {
		return testutil.Store(f), "sqlite"
	}
	db, err := postgres.Open(context.Background(), testutil.PostgresSchema(f, base, "vw_routes"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	return db, "postgres"
}

// capabilityServer is a server with every capability over db (no training
// data, no forecaster) and an admin's token.
func capabilityServer(tb testing.TB, db *storage.DB) (http.Handler, string) {
	ctx := context.Background()
	keys := testutil.Keys(tb, "k")
	sv := &surveys.Service{Store: db, Keys: keys, Auditor: db}
	s := &Server{DB: db, Log: QuietLog(), Surveys: sv, Alerts: alerts.NewService(db, keys),
		Integrity: integrity.NewService(db, keys), Contacts: contacts.NewService(db, keys),
		Performance: &performance.Service{Store: db, Events: db, Deployments: db, Forecasts: db, Alerts: db, Settings: db,
			Surveys: sv, Integrity: db, Version: db.PerformanceVersion}}
	s.Contacts.Channels = db
	s.Integrity.Replier = contacts.TiplineReplier{Alerts: s.Alerts, Contacts: s.Contacts}
	s.Radio = &radio.Service{Broadcasts: s.Contacts, Checks: s.Integrity, Mission: "MONUSCO"}
	h := s.Handler()
	if _, err := s.Auth.CreateUser(ctx, "test", "ada", auth.Admin, testPassword); err != nil {
		tb.Fatal(err)
	}
	tok, _, err := s.Auth.CreateToken(ctx, "test", "ada", "fuzz", 0)
	if err != nil {
		tb.Fatal(err)
	}
	return h, tok
}

// FuzzRouteValues sends every route of the table (fuzzedRoutes) the fuzzed
// value in each of its path wildcards and, under a fuzzed name, in the
// query, with a fuzzed body, as an admin, on a server with every
// capability over PostgreSQL (when configured; SQLite otherwise): the other
// fuzz targets run on SQLite, which stores and compares any bytes, while
// PostgreSQL refuses a NUL character or bytes that are not UTF-8 in any
// text it is sent. No input may give a 5xx but the 503 of a part this
// server was not given (training data, a forecaster); an /api/ refusal is
// JSON.
func FuzzRouteValues(f *testing.F) {
	db, dialect := routesFuzzStore(f)
	h, tok := capabilityServer(f, db)
	rs := fuzzedRoutes()
	f.Logf("%d routes on %s", len(rs), dialect)
	for i := range rs {
		f.Add(uint16(i), "x\x00y", "", "{}")
		f.Add(uint16(i), "1", "q", "\"\\u0000\"")
		f.Add(uint16(i), "\xff", "name", "")
	}
	for _, name := range []string{"actor", "action", "mission", "source", "channel", "form", "country", "status", "state", "lang"} {
		for i := range rs {
			if strings.HasPrefix(rs[i].pattern, "GET ") {
				f.Add(uint16(i), "\x00", name, "")
			}
		}
	}
	f.Fuzz(func(t *testing.T, route uint16, value, name, body string) {
		rt := rs[int(route)%len(rs)]
		method, pattern, _ := strings.Cut(rt.pattern, " ")
		path := wildcard.ReplaceAllStringFunc(pattern, func(w string) string {
			if w == "{$}" {
				return ""
			}
			return url.PathEscape(value)
		})
		if name != "" {
			path += "?" + url.Values{name: {value}}.Encode()
		}
		req, err := http.NewRequest(method, "http://vigil.test"+path, strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 && w.Code != http.StatusServiceUnavailable {
			t.Fatalf("%s %s (%s): %d %s", method, req.URL, dialect, w.Code, w.Body.String())
		}
		if strings.HasPrefix(pattern, "/api/") && w.Code >= 400 {
			var m struct {
				Error string `json:"error"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil || m.Error == "" {
				t.Fatalf("%s %s: %d without a JSON message: %q", method, req.URL, w.Code, w.Body.String())
			}
		}
	})
}
