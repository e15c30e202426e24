package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
)

// alertsAPIRoutes are the alert network's API routes that take a body, a
// path value or a query from outside; {q} is replaced by the fuzzed path
// value or query, {web} in a body by the web channel's key.
var alertsAPIRoutes = []struct{ method, path string }{
	{"POST", "/api/v1/alerts"},
	{"POST", "/api/v1/alerts/{q}/reveal"},
	{"POST", "/api/v1/alerts/{q}/reply"},
	{"POST", "/api/v1/alerts/{q}/move"},
	{"PATCH", "/api/v1/alerts/incidents/{q}"},
	{"POST", "/api/v1/alerts/incidents/{q}/cap"},
	{"POST", "/api/v1/alerts/incidents/{q}/event"},
	{"POST", "/api/v1/alerts/channels"},
	{"GET", "/api/v1/alerts?{q}"},
	{"GET", "/api/v1/alerts/incidents?{q}"},
	{"GET", "/api/v1/alerts/stats?{q}"},
	{"GET", "/api/v1/alerts/cap/{q}"},
	{"GET", "/api/v1/alerts/incidents/{q}"},
	{"PATCH", "/api/v1/alerts/channels/{q}"},
}

// FuzzAlertsAPI sends arbitrary JSON bodies, path values and queries to the
// alert network's API (as an admin, who may call every route) and requires
// an answer below 500; a 4xx must be JSON with an "error" message.
func FuzzAlertsAPI(f *testing.F) {
	seeds := []struct {
		route   uint8
		q, body string
	}{
		{0, "", `{"channel":"{web}","message":"Armed men near 1.5625, 30.2484","from":"+243812345678","name":"A","id":"c-1"}`},
		{0, "", `{"channel":"{web}","message":"x","lat":91,"lon":0}`},
		{0, "", `{"channel":"nope","message":"x"}`},
		{0, "", `{"channel":"{web}","message":"\ud800","location":"Djugu"}`},
		{1, "1", `{"reason":"call back the reporter"}`},
		{1, "1", `{"reason":""}`},
		{2, "1", `{"message":"Patrol on its way"}`},
		{3, "1", `{"incident":0}`},
		{3, "1", `{"incident":-5}`},
		{3, "1", `null`},
		{7, "", `{"kind":"webhook","name":"w\u202e","secret":"s-secret","legal_basis":"consent"}`},
		{4, "1", `{"status":"triaged","priority":"high","note":"n"}`},
		{4, "1", `{"status":"closed"}`},
		{4, "1", `{"lat":1e308,"lon":-1e308}`},
		{4, "1", `{"assignee":"","title":"","summary":null}`},
		{4, "1", `{"category":"abduction","reporter_sex":"female"}`},
		{4, "1", `{"category":"Abduction","reporter_sex":"f"}`},
		{4, "1", `{"category":"","reporter_sex":""}`},
		{4, "1", `{"lat":1.9,"lon":30.5,"place":"Djugu, Ituri (DR Congo)","precision_m":5000}`},
		{4, "1", `{"lat":1.9,"lon":30.5,"precision_m":-1}`},
		{4, "1", `{"place":"\u0000"}`},
		{9, "open=1&lang=fr", ``},
		{5, "1", ``},
		{5, "1?lang=fr", ``},
		{5, "1?lang=de&lang=", ``},
		{6, "1", `{"type_of_violence":"one-sided","best":3}`},
		{6, "1", `{"type_of_violence":"9","best":-1}`},
		{7, "", `{"kind":"webhook","name":"w","secret":"s-secret","legal_basis":"consent"}`},
		{7, "", `{"kind":"zz","name":""}`},
		{8, "since_id=0&incident=1&limit=5", ``},
		{8, "limit=99999999999999999999", ``},
		{8, "since_id=5&limit=1001", ``},
		{8, "since_id=&limit=0", ``},
		{8, "since_id=9223372036854775807&limit=1000", ``},
		{9, "status=received,triaged&since=2026-01-01T00:00:00Z&open=1", ``},
		{9, "until=2026-13-01T00:00:00Z", ``},
		{10, "weeks=0", ``},
		{10, "weeks=520", ``},
		{11, "x.xml", ``},
		{12, "1", ``},
		{12, "9223372036854775807", ``},
		{13, "1", `{"tipline":true}`},
		{13, "1", `{"tipline":"yes"}`},
		{13, "9223372036854775807", `{"tipline":false}`},
		{13, "1", `{}`},
	}
	for _, s := range seeds {
		f.Add(s.route, s.q, s.body)
	}
	e := newAlertsEnv(f, "ada")
	// One alert, so incident 1 and alert 1 exist.
	resp, b := e.do(nil, "POST", "/api/v1/alerts", reqOpt{token: e.tokens["ada"],
		body: `{"channel":"` + e.webform.Key + `","message":"Gunfire near the market of Djugu, 1.9 30.5"}`})
	if resp.StatusCode != 201 {
		f.Fatalf("seeding an alert: %d %s", resp.StatusCode, b)
	}
	f.Fuzz(func(t *testing.T, route uint8, q, body string) {
		rt := alertsAPIRoutes[int(route)%len(alertsAPIRoutes)]
		v := q
		if !strings.Contains(rt.path, "?") {
			v = url.PathEscape(q)
		}
		target := "http://vigil.test" + strings.Replace(rt.path, "{q}", v, 1)
		var rd io.Reader
		if rt.method != "GET" {
			rd = strings.NewReader(strings.ReplaceAll(body, "{web}", e.webform.Key))
		}
		req, err := http.NewRequest(rt.method, target, rd)
		if err != nil {
			return // not a request a client could send
		}
		req.Header.Set("Authorization", "Bearer "+e.tokens["ada"])
		if rd != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		checkAPIAnswer(t, req, w)
	})
}

// checkAPIAnswer fails on a 5xx, and on a 4xx that is not a JSON object
// with a non-empty "error".
func checkAPIAnswer(t *testing.T, req *http.Request, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code >= 500 {
		t.Fatalf("%s %s: %d %s", req.Method, req.URL, w.Code, w.Body.String())
	}
	// Requests that match no route (404, 405) answer JSON too.
	if w.Code >= 400 {
		var m struct {
			Error string `json:"error"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil || m.Error == "" {
			t.Fatalf("%s %s: %d without a JSON message: %q", req.Method, req.URL, w.Code, w.Body.String())
		}
	}
}

// FuzzAlertIntakeGateways sends arbitrary form bodies to the public intake
// routes not covered by FuzzSMSSyncIntake and FuzzWebhookIntake: Twilio
// (correctly signed, so the body reaches the parser), the no-JS web form
// (with a matching CSRF cookie) and SMSSync's GET task poll. No input may
// make them answer 5xx.
func FuzzAlertIntakeGateways(f *testing.F) {
	tw := url.Values{"MessageSid": {"SM0123456789abcdef0123456789abcdef"}, "From": {"+15005550006"}, "To": {"+15005550001"},
		"Body": {"Gunfire near the school, N 1°33' E 30°15'"}, "NumMedia": {"0"}}
	addRouteSeeds(f,
		[]string{tw.Encode(), "MessageSid=&Body=%ff", "Body=x&Body=y&From="},
		[]string{"message=Armed+men+at+Djugu&location=1%C2%B017%E2%80%B2S+29%C2%B030%E2%80%B2E&from=%2B243812345678&name=A&lang=fr", "message=&location=", "message=x%00&lang=zz"},
		[]string{"task=send&secret=s3cret-gw", "task=send&secret=", "task=%zz"},
	)
	e := newAlertsEnv(f)
	e.svc.Throttle = nil // every input reaches the form's validation (the budget: TestWebFormThrottle)
	f.Fuzz(func(t *testing.T, which uint8, s string) {
		var req *http.Request
		switch which % 3 {
		case 0:
			path := alerts.IntakePath(e.tw)
			req = httptest.NewRequest("POST", path, strings.NewReader(s))
			req.Header.Set("Content-Type", formCT)
			if form, err := url.ParseQuery(s); err == nil {
				req.Header.Set("X-Twilio-Signature", alerts.TwilioSignature("12345678", e.svc.BaseURL+path, form))
			}
		case 1:
			req = httptest.NewRequest("POST", alerts.IntakePath(e.webform), strings.NewReader(s+"&csrf=tok"))
			req.Header.Set("Content-Type", formCT)
			req.AddCookie(&http.Cookie{Name: alertFormCookie, Value: "tok"})
		case 2:
			var err error
			req, err = http.NewRequest("GET", "http://vigil.test"+alerts.IntakePath(e.sms)+"?"+s, nil)
			if err != nil {
				return
			}
		}
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", req.Method, req.URL.Path, s, w.Code, w.Body.String())
		}
	})
}
