package web

import (
	"encoding/json"
	"strings"
	"testing"
)

// Unknown routes and wrong methods answer the API's JSON error shape (with
// its catalog key: TestEdgeRefusalKeys), with the Allow header on a 405; a browser asking for a page gets a page-ish
// answer, not JSON.
func TestUnknownRoutesAnswerJSON(t *testing.T) {
	e := newAlertsEnv(t, "rex")
	for _, tc := range []struct {
		method, path string
		hdr          map[string]string
		status       int
		json         bool
		allow        string
	}{
		{"GET", "/api/v1/nope", nil, 404, true, ""},
		{"POST", "/api/v1/nope", nil, 404, true, ""},
		{"GET", "/api/v2/alerts", nil, 404, true, ""},
		{"DELETE", "/api/v1/alerts", nil, 405, true, "GET, HEAD, POST"},
		{"PUT", "/api/v1/alerts/incidents/1", nil, 405, true, "GET, HEAD, PATCH"},
		{"GET", "/intake/smssync/x/y", nil, 404, true, ""},
		{"DELETE", "/healthz", nil, 405, true, "GET, HEAD"},
		{"GET", "/no/such/page", map[string]string{"Accept": "text/html"}, 404, false, ""},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			resp, b := e.do(nil, tc.method, tc.path, reqOpt{token: e.tokens["rex"], hdr: tc.hdr})
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, b)
			}
			isJSON := strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json")
			if isJSON != tc.json {
				t.Fatalf("Content-Type %q: %s", resp.Header.Get("Content-Type"), b)
			}
			if tc.json {
				var body struct{ Error, Key string }
				if err := json.Unmarshal(b, &body); err != nil || body.Error == "" || body.Key == "" {
					t.Fatalf("not the JSON error shape: %s (%v)", b, err)
				}
			}
			if got := resp.Header.Get("Allow"); got != tc.allow {
				t.Fatalf("Allow %q, want %q", got, tc.allow)
			}
		})
	}
}
