package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/surveys/starter"
)

// readRoutes are read routes with a path value or query from outside that
// the other fuzz targets do not reach; {q} is the fuzzed value (path-escaped
// in a path, raw after "?").
var readRoutes = []string{
	"/api/v1/coverage/scenarios/{q}",
	"/api/v1/coverage/scenarios?{q}",
	"/api/v1/coverage/seasons?{q}",
	"/api/v1/surveys/margins/{q}",
	"/api/v1/surveys/margins?{q}",
	"/api/v1/surveys/forms/{q}/analysis/settings",
	"/api/v1/surveys/forms/{q}/analysis",
	"/api/v1/surveys/forms/{q}/unheard",
	"/api/v1/surveys/forms/{q}/export",
	"/api/v1/surveys/interlocutors?{q}",
	"/api/v1/surveys/forms?{q}",
	"/api/v1/tokens?{q}",
	"/api/v1/users?{q}",
	"/api/v1/alerts/channels?{q}",
	"/api/v1/alerts/cap/feed.atom?{q}",
	"/login?{q}",
	"/intake/web/{q}",
}

// FuzzReadRoutes sends arbitrary path values and queries to the read
// routes above, on a server with every capability configured, as an admin:
// no 5xx, and a 4xx from a handler is JSON with an error message.
func FuzzReadRoutes(f *testing.F) {
	for i, q := range []string{"1", "limit=5", "", "census", "x=1", starter.FormID, starter.FormID, starter.FormID, starter.FormID,
		"from=2026-01-01&to=2026-12-31", "", "", "", "", "", "next=/%23alerts&lang=fr", "nokey"} {
		f.Add(uint8(i), q)
	}
	f.Add(uint8(0), "99999999999999999999")
	f.Add(uint8(5), "..")
	f.Add(uint8(8), "%00")
	f.Add(uint8(9), "from=2026-13-01")
	f.Add(uint8(15), "next=//evil.example&lang=%ff")
	_, h, tok := surveysFuzzServer(f, "ada", auth.Admin, func(s *Server, db *storage.DB) {
		ak := testutil.Keys(f, "k")
		s.Alerts = alerts.NewService(db, ak)
	})
	f.Fuzz(func(t *testing.T, route uint8, q string) {
		p := readRoutes[int(route)%len(readRoutes)]
		v := q
		if !strings.Contains(p, "?") {
			v = url.PathEscape(q)
		}
		req, err := http.NewRequest("GET", "http://vigil.test"+strings.Replace(p, "{q}", v, 1), http.NoBody)
		if err != nil {
			return
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if strings.HasPrefix(p, "/login") || strings.HasPrefix(p, "/intake/") {
			if w.Code >= 500 { // HTML pages: no JSON to check
				t.Fatalf("GET %s: %d %s", req.URL, w.Code, w.Body.String())
			}
			return
		}
		checkAPIAnswer(t, req, w)
	})
}
