package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/openrosa"
)

// TestRequestTextRefused: a NUL character or bytes that are not UTF-8 in a
// request's path or query, or a NUL in a JSON body's text, are a 400 naming
// the query parameter, "path", or the body's JSON path, on every route and
// before anything is read or written (the OpenRosa routes in an
// <OpenRosaResponse>, as all their refusals). On PostgreSQL each of these answered
// 500 (SQLSTATE 22021); on SQLite most were a 404 or were stored as sent.
// A body that writes a backslash and "u0000" as text is no NUL and passes.
func TestRequestTextRefused(t *testing.T) {
	h, tok := capabilityServer(t, testutil.Store(t))
	const manual = `{"indicator":"x","period":"2017","area":"CAF","value":1,"source":%s}`
	for _, c := range []struct {
		method, path, body string
		want               int
		field              string
	}{
		{"GET", "/api/v1/alerts/cap/x%00y", "", 400, "path"},
		{"GET", "/intake/web/x%FFy", "", 400, "path"},
		{"GET", "/forms/x%00/manifest", "", 400, "path"},
		{"DELETE", "/api/v1/performance/frameworks/M%00", "", 400, "path"},
		{"GET", "/api/v1/audit?actor=a%00", "", 400, "actor"},
		{"GET", "/api/v1/places/search?q=%FF", "", 400, "q"},
		{"GET", "/api/v1/coverage/deployments?a%00=1", "", 400, "query"},
		{"POST", "/api/v1/performance/manual", strings.Replace(manual, "%s", `"s\u0000"`, 1), 400, "source"},
		{"POST", "/api/v1/performance/manual", strings.Replace(manual, "%s", `"s\\u0000"`, 1), 201, ""},
		{"PUT", "/api/v1/performance/frameworks/MINUSCA", `{"objectives":[{"id":"o","title":"O","results":[{"id":"r","title":"R\u0000",` +
			`"indicators":[{"id":"i","indicator":"events","area":"CAF","targets":[{"period":"2017-Q3","value":4}]}]}]}]}`, 400, "objectives[0].results[0].title"},
		{"POST", "/api/v1/coverage/deployments", `{"format":"csv","name":"s.csv","data":"id,mission,lat,lon,start,end\nba\u0000ngui,MINUSCA,4.39,18.55,2014-09,2018-12\n"}`, 400, "data"},
	} {
		req := httptest.NewRequest(c.method, "http://vigil.test"+c.path, strings.NewReader(c.body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if openRosaPath(req.URL.Path) { // an <OpenRosaResponse> naming the field
			if w.Code != c.want || w.Header().Get(openrosa.VersionHeader) == "" || !strings.Contains(w.Body.String(), c.field+": contains a NUL") {
				t.Errorf("%s %s: %d %v %q, want %d, the version header and %s named", c.method, c.path, w.Code, w.Header(), w.Body.String(), c.want, c.field)
			}
			continue
		}
		var got struct{ Error, Field string }
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil && w.Code >= 400 {
			t.Errorf("%s %s: %d, not JSON: %q", c.method, c.path, w.Code, w.Body.String())
			continue
		}
		if w.Code != c.want || got.Field != c.field {
			t.Errorf("%s %s %s: %d field %q (%s), want %d field %q", c.method, c.path, c.body, w.Code, got.Field, got.Error, c.want, c.field)
		}
		if c.want == http.StatusBadRequest && c.field != "" && c.field != "query" && !strings.Contains(got.Error, "NUL") && !strings.Contains(got.Error, "UTF-8") {
			t.Errorf("%s %s: %q does not say what is wrong", c.method, c.path, got.Error)
		}
	}
}
