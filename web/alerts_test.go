package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage/sqlite"
)

type alertsEnv struct {
	*testEnv
	svc                    *alerts.Service
	sms, tw, hook, webform alerts.Channel
	server                 *Server
}

// newAlertsEnv starts a server with the alert network and one channel of
// each kind; users (ada admin, ana analyst, rex responder, vic viewer) are
// created only when named, since password hashing is slow.
func newAlertsEnv(t testing.TB, users ...string) *alertsEnv {
	t.Helper()
	return newAlertsEnvAt(t, t.TempDir(), sqlite.Options{}, users...)
}

// newAlertsEnvAt is newAlertsEnv on the SQLite database in dir, opened with opt.
func newAlertsEnvAt(t testing.TB, dir string, opt sqlite.Options, users ...string) *alertsEnv {
	t.Helper()
	ctx := context.Background()
	db, svc := OpenAlertsTestStore(t, dir, opt)
	s := &Server{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Alerts: svc, Events: db}
	e := &alertsEnv{testEnv: serveEnv(t, db, s, &testutil.SyncBuffer{}), svc: svc, server: s}
	svc.BaseURL = e.srv.URL
	roles := map[string]auth.Role{"ada": auth.Admin, "ana": auth.Analyst, "rex": auth.Responder, "vic": auth.Viewer}
	for _, name := range users {
		e.addUser(ctx, name, roles[name])
	}
	mk := func(k alerts.Kind, secret string) alerts.Channel {
		c, err := svc.NewChannel(ctx, "test", k, string(k)+" channel", secret, "")
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	e.sms, e.tw, e.hook, e.webform = mk(alerts.SMSSync, "s3cret-gw"), mk(alerts.Twilio, "12345678"), mk(alerts.Webhook, "hooktok-1"), mk(alerts.Web, "")
	return e
}

func (e *alertsEnv) count(t *testing.T) int {
	as, err := e.svc.Store.Alerts(context.Background(), alerts.AlertFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(as)
}

const formCT = "application/x-www-form-urlencoded"

func smsForm(id, msg, secret string) string {
	return url.Values{"from": {"+243812345678"}, "message": {msg}, "message_id": {id}, "sent_to": {"+243990000000"},
		"secret": {secret}, "device_id": {"1"}, "sent_timestamp": {"1764100000000"}}.Encode()
}

func TestSMSSyncIntake(t *testing.T) {
	e := newAlertsEnv(t, "rex")
	path := alerts.IntakePath(e.sms)
	resp, b := e.do(nil, "POST", path, reqOpt{body: smsForm("m-1", "Attack at 1.5625, 30.2484", "s3cret-gw"), ctype: formCT})
	if resp.StatusCode != 200 || strings.TrimSpace(string(b)) != `{"payload":{"error":null,"success":true}}` {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	// Gateway retry: accepted again, stored once.
	resp, _ = e.do(nil, "POST", path, reqOpt{body: smsForm("m-1", "Attack at 1.5625, 30.2484", "s3cret-gw"), ctype: formCT})
	if resp.StatusCode != 200 || e.count(t) != 1 {
		t.Fatalf("retry: %d, %d alerts", resp.StatusCode, e.count(t))
	}
	bad := []struct {
		name, path, body, ctype string
		status                  int
	}{
		{"wrong secret", path, smsForm("m-2", "x", "nope"), formCT, 403},
		{"no secret", path, smsForm("m-2", "x", ""), formCT, 403},
		{"empty message", path, smsForm("m-2", "  ", "s3cret-gw"), formCT, 400},
		{"invalid utf-8", path, smsForm("m-2", "bad \xff\xfe", "s3cret-gw"), formCT, 400},
		{"oversized", path, smsForm("m-2", strings.Repeat("a", 70000), "s3cret-gw"), formCT, 413},
		{"long message", path, smsForm("m-2", strings.Repeat("a", 5000), "s3cret-gw"), formCT, 400},
		{"bad timestamp", path, strings.Replace(smsForm("m-2", "x", "s3cret-gw"), "1764100000000", "yesterday", 1), formCT, 400},
		{"unknown channel", "/intake/smssync/doesnotexist", smsForm("m-2", "x", "s3cret-gw"), formCT, 404},
		{"wrong kind", "/intake/smssync/" + e.tw.Key, smsForm("m-2", "x", "s3cret-gw"), formCT, 404},
		{"bad content type", path, "<x/>", "text/xml", 415},
		{"unknown task", path + "?task=zap", smsForm("m-2", "x", "s3cret-gw"), formCT, 400},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := e.do(nil, "POST", tc.path, reqOpt{body: tc.body, ctype: tc.ctype})
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, b)
			}
			var v struct {
				Payload struct {
					Success bool    `json:"success"`
					Error   *string `json:"error"`
				} `json:"payload"`
			}
			if json.Unmarshal(b, &v) != nil || v.Payload.Success || v.Payload.Error == nil || *v.Payload.Error == "" {
				t.Fatalf("not an SMSSync error reply: %s", b)
			}
			if e.count(t) != 1 {
				t.Fatal("a refused request stored something")
			}
		})
	}

	// Outgoing replies: task=send poll, then task=sent.
	as, _ := e.svc.Store.Alerts(context.Background(), alerts.AlertFilter{})
	resp, b = e.do(nil, "POST", "/api/v1/alerts/"+i64s(as[0].ID)+"/reply", reqOpt{token: e.tokens["rex"], body: `{"message":"Patrol on its way"}`})
	if resp.StatusCode != 201 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	if resp, _ := e.do(nil, "GET", path+"?task=send&secret=nope", reqOpt{}); resp.StatusCode != 403 {
		t.Fatalf("task=send with wrong secret: %d", resp.StatusCode)
	}
	resp, b = e.do(nil, "GET", path+"?task=send&secret=s3cret-gw", reqOpt{})
	var task struct {
		Payload struct {
			Task     string `json:"task"`
			Secret   string `json:"secret"`
			Messages []struct{ To, Message, UUID string }
		} `json:"payload"`
	}
	if err := json.Unmarshal(b, &task); err != nil || resp.StatusCode != 200 || task.Payload.Task != "send" || len(task.Payload.Messages) != 1 ||
		task.Payload.Messages[0].To != "+243812345678" || task.Payload.Messages[0].UUID == "" {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	uuid := task.Payload.Messages[0].UUID
	resp, b = e.do(nil, "POST", path+"?task=sent&secret=s3cret-gw", reqOpt{body: `{"queued_messages":["` + uuid + `"]}`})
	if resp.StatusCode != 200 || !strings.Contains(string(b), uuid) {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	_, b = e.do(nil, "GET", path+"?task=send&secret=s3cret-gw", reqOpt{})
	if strings.Contains(string(b), uuid) {
		t.Fatal("sent message offered again")
	}
	// Its result (task=result): a report SMSSync's protocol cannot hold is
	// a 400 in SMSSync's shape naming the field, never a 5xx.
	for _, c := range []struct{ body, ctype, field string }{
		{`{"message_result":[{"uuid":"` + uuid + `","sent_result_code":"soon"}]}`, "application/json", "message_result[0].sent_result_code"},
		{`{"message_result":[{"sent_result_code":2}]}`, "application/json", "message_result[0].uuid"},
		{`{"message_result":7}`, "application/json", "message_result"},
		{"secret=s3cret-gw", formCT, "message_result"},
	} {
		resp, b = e.do(nil, "POST", path+"?task=result&secret=s3cret-gw", reqOpt{body: c.body, ctype: c.ctype})
		if resp.StatusCode != 400 || !strings.Contains(string(b), `"success":false`) || !strings.Contains(string(b), c.field) {
			t.Errorf("task=result %s: %d %s, want 400 naming %s", c.body, resp.StatusCode, b, c.field)
		}
	}
	resp, b = e.do(nil, "POST", path+"?task=result&secret=s3cret-gw", reqOpt{body: `{"message_result":[{"uuid":"` + uuid + `","sent_result_code":-1,"delivered_result_message":"SMS delivered"}]}`})
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"success":true`) {
		t.Errorf("task=result: %d %s", resp.StatusCode, b)
	}
}

func TestTwilioSignatureVector(t *testing.T) {
	// Twilio's documented example (Webhooks security guide).
	params := url.Values{"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+12349013030"}, "Digits": {"1234"},
		"From": {"+12349013030"}, "To": {"+18005551212"}}
	got := alerts.TwilioSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params)
	if got != "0/KCTR6DLpKmkAf8muzZqo1nDgQ=" {
		t.Fatalf("signature %s", got)
	}
	params.Set("Digits", "9999")
	if alerts.TwilioValid("12345", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", "https://mycompany.com/myapp.php?foo=1&bar=2", params) {
		t.Fatal("tampered params accepted")
	}
}

func TestTwilioIntake(t *testing.T) {
	e := newAlertsEnv(t)
	path := alerts.IntakePath(e.tw)
	params := url.Values{"MessageSid": {"SM0123456789abcdef0123456789abcdef"}, "AccountSid": {"AC1"}, "From": {"+15005550006"},
		"To": {"+15005550001"}, "Body": {"Gunfire near the school, N 1°33' E 30°15'"}, "NumMedia": {"0"},
		"FromCountry": {"CD"}, "SomeFutureParam": {"x"}} // unknown extra params are signed too
	sig := alerts.TwilioSignature("12345678", e.srv.URL+path, params)
	resp, b := e.do(nil, "POST", path, reqOpt{body: params.Encode(), ctype: formCT, hdr: map[string]string{"X-Twilio-Signature": sig}})
	if resp.StatusCode != 200 || !strings.Contains(string(b), "<Response><Message>") || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/xml") {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	resp, _ = e.do(nil, "POST", path, reqOpt{body: params.Encode(), ctype: formCT, hdr: map[string]string{"X-Twilio-Signature": sig}})
	if resp.StatusCode != 200 || e.count(t) != 1 {
		t.Fatalf("retry: %d, %d alerts", resp.StatusCode, e.count(t))
	}
	as, _ := e.svc.Store.Alerts(context.Background(), alerts.AlertFilter{})
	if as[0].Location.Status != "resolved" {
		t.Fatalf("location %+v", as[0].Location)
	}
	params.Set("Body", "forged")
	for _, s := range []string{sig, "", "garbage"} {
		resp, _ = e.do(nil, "POST", path, reqOpt{body: params.Encode(), ctype: formCT, hdr: map[string]string{"X-Twilio-Signature": s}})
		if resp.StatusCode != 403 || e.count(t) != 1 {
			t.Fatalf("forged: %d, %d alerts", resp.StatusCode, e.count(t))
		}
	}
}

func TestWebhookIntake(t *testing.T) {
	e := newAlertsEnv(t)
	path := alerts.IntakePath(e.hook)
	hdr := map[string]string{"Authorization": "Token hooktok-1"}
	resp, b := e.do(nil, "POST", path, reqOpt{hdr: hdr, body: `{"id":"r-1","from":"+1","text":"attack in Bunia","date":"2026-11-25T20:00:00Z"}`})
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"duplicate":false`) {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	resp, b = e.do(nil, "POST", path, reqOpt{hdr: hdr, body: url.Values{"id": {"r-1"}, "from": {"+1"}, "text": {"attack in Bunia"}}.Encode(), ctype: formCT})
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"duplicate":true`) {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	for _, tc := range []struct {
		hdr    map[string]string
		body   string
		status int
	}{
		{map[string]string{"Authorization": "Token wrong"}, `{"id":"r-2","text":"x"}`, 403},
		{hdr, `{"id":"r-2","text":""}`, 400},
		{hdr, `{"id":"r-2","text":"x","extra":1}`, 400},
		{hdr, `{"id":"r-2","text":"x"} trailing`, 400},
		{hdr, `{"id":"r-2","text":"x","date":"monday"}`, 400},
		{hdr, `{"id":"r-2","text":"x","lat":95,"lon":1}`, 400},
	} {
		resp, b := e.do(nil, "POST", path, reqOpt{hdr: tc.hdr, body: tc.body})
		if resp.StatusCode != tc.status {
			t.Errorf("%s: %d %s", tc.body, resp.StatusCode, b)
		}
	}
	if e.count(t) != 1 {
		t.Fatalf("%d alerts", e.count(t))
	}
}

func TestWebFormNoJS(t *testing.T) {
	e := newAlertsEnv(t)
	c := e.client()
	path := alerts.IntakePath(e.webform)
	resp, b := e.do(c, "GET", path+"?lang=fr", reqOpt{})
	if resp.StatusCode != 200 || !strings.Contains(string(b), "Signaler une alerte") || strings.Contains(string(b), "<script") {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	tok := csrfField.FindStringSubmatch(string(b))[1]
	// Without the token: refused, nothing stored.
	resp, _ = e.do(c, "POST", path, reqOpt{body: url.Values{"message": {"x"}, "csrf": {"forged"}}.Encode(), ctype: formCT})
	if resp.StatusCode != 403 || e.count(t) != 0 {
		t.Fatalf("forged csrf: %d", resp.StatusCode)
	}
	resp, b = e.do(c, "GET", path, reqOpt{})
	tok = csrfField.FindStringSubmatch(string(b))[1]
	resp, b = e.do(c, "POST", path, reqOpt{body: url.Values{"message": {"Des hommes armés à Bunia"}, "location": {"1.5625, 30.2484"},
		"from": {"+243811111111"}, "name": {"Amani"}, "csrf": {tok}, "lang": {"fr"}}.Encode(), ctype: formCT})
	if resp.StatusCode != 200 || !strings.Contains(string(b), "Merci") || e.count(t) != 1 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	tok = csrfField.FindStringSubmatch(string(b))[1]
	resp, b = e.do(c, "POST", path, reqOpt{body: url.Values{"message": {""}, "csrf": {tok}}.Encode(), ctype: formCT})
	if resp.StatusCode != 400 || !strings.Contains(string(b), "message") {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
}

func TestAlertsAPIRoles(t *testing.T) {
	e := newAlertsEnv(t, "rex", "vic")
	e.do(nil, "POST", alerts.IntakePath(e.sms), reqOpt{body: smsForm("m-1", "Attack at 1.5625, 30.2484", "s3cret-gw"), ctype: formCT})
	// Viewer: no message, no phone mask, rounded location.
	_, b := e.do(nil, "GET", "/api/v1/alerts", reqOpt{token: e.tokens["vic"]})
	if strings.Contains(string(b), "Attack") || strings.Contains(string(b), "78") && strings.Contains(string(b), "phone") || !strings.Contains(string(b), `"lat":1.6`) {
		t.Fatalf("viewer sees: %s", b)
	}
	_, b = e.do(nil, "GET", "/api/v1/alerts", reqOpt{token: e.tokens["rex"]})
	var as []alerts.Alert
	json.Unmarshal(b, &as)
	if len(as) != 1 || as[0].PhoneMasked != "+••••••••••78" || as[0].Phone != "" || as[0].Message == "" {
		t.Fatalf("responder sees: %s", b)
	}
	id := i64s(as[0].ID)
	if resp, _ := e.do(nil, "POST", "/api/v1/alerts/"+id+"/reveal", reqOpt{token: e.tokens["vic"], body: `{"reason":"x"}`}); resp.StatusCode != 403 {
		t.Fatalf("viewer reveal: %d", resp.StatusCode)
	}
	if resp, _ := e.do(nil, "POST", "/api/v1/alerts/"+id+"/reveal", reqOpt{token: e.tokens["rex"], body: `{"reason":""}`}); resp.StatusCode != 400 {
		t.Fatalf("reveal without reason: %d", resp.StatusCode)
	}
	resp, b := e.do(nil, "POST", "/api/v1/alerts/"+id+"/reveal", reqOpt{token: e.tokens["rex"], body: `{"reason":"call back"}`})
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"phone":"+243812345678"`) {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	inc := i64s(as[0].IncidentID)
	if resp, _ := e.do(nil, "PATCH", "/api/v1/alerts/incidents/"+inc, reqOpt{token: e.tokens["vic"], body: `{"status":"triaged"}`}); resp.StatusCode != 403 {
		t.Fatalf("viewer patch: %d", resp.StatusCode)
	}
	if resp, _ := e.do(nil, "PATCH", "/api/v1/alerts/incidents/"+inc, reqOpt{token: e.tokens["rex"], body: `{"status":"closed"}`}); resp.StatusCode != 409 {
		t.Fatalf("bad transition: %d", resp.StatusCode)
	}
	for _, st := range []string{"triaged", "verified"} {
		if resp, b := e.do(nil, "PATCH", "/api/v1/alerts/incidents/"+inc, reqOpt{token: e.tokens["rex"], body: `{"status":"` + st + `","title":"Attack on Bunia"}`}); resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", st, resp.StatusCode, b)
		}
	}
	resp, b = e.do(nil, "POST", "/api/v1/alerts/incidents/"+inc+"/cap", reqOpt{token: e.tokens["rex"]})
	if resp.StatusCode != 201 {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	var pub struct{ URL string }
	json.Unmarshal(b, &pub)
	resp, b = e.do(nil, "GET", pub.URL, reqOpt{token: e.tokens["vic"]})
	if resp.StatusCode != 200 || !strings.Contains(string(b), "urn:oasis:names:tc:emergency:cap:1.2") || resp.Header.Get("Content-Type") != "application/cap+xml; charset=utf-8" {
		t.Fatalf("%d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	resp, b = e.do(nil, "GET", "/api/v1/alerts/cap/feed.atom", reqOpt{token: e.tokens["vic"]})
	if resp.StatusCode != 200 || !strings.Contains(string(b), "application/cap+xml") || resp.Header.Get("Content-Type") != "application/atom+xml; charset=utf-8" ||
		resp.Header.Get("Content-Disposition") != "" {
		t.Fatalf("%d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	resp, b = e.do(nil, "GET", "/api/v1/alerts/stats", reqOpt{token: e.tokens["vic"]})
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"triaged":1`) {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	if resp, _ := e.do(nil, "GET", "/api/v1/alerts/channels", reqOpt{token: e.tokens["rex"]}); resp.StatusCode != 403 {
		t.Fatalf("responder lists channels: %d", resp.StatusCode)
	}
	if resp, _ := e.do(nil, "GET", "/api/v1/alerts", reqOpt{}); resp.StatusCode != 401 {
		t.Fatalf("anonymous: %d", resp.StatusCode)
	}
	for _, p := range []string{"/api/v1/alerts?since_id=-1", "/api/v1/alerts/incidents?status=zzz", "/api/v1/alerts/incidents/abc", "/api/v1/alerts/incidents?since=yesterday"} {
		if resp, b := e.do(nil, "GET", p, reqOpt{token: e.tokens["rex"]}); resp.StatusCode != 400 {
			t.Errorf("%s: %d %s", p, resp.StatusCode, b)
		}
	}
	if resp, _ := e.do(nil, "GET", "/api/v1/alerts/incidents/999", reqOpt{token: e.tokens["rex"]}); resp.StatusCode != 404 {
		t.Errorf("missing incident: %d", resp.StatusCode)
	}
}

func i64s(i int64) string { return strconv.FormatInt(i, 10) }

// FuzzSMSSyncIntake: no input makes the handler answer 5xx or panic.
func FuzzSMSSyncIntake(f *testing.F) {
	f.Add(smsForm("m-1", "Attack at 1.5625, 30.2484", "s3cret-gw"), "")
	f.Add(smsForm("m-2", "x\xff", "s3cret-gw"), "task=sent")
	f.Add(`{"queued_messages":["a"]}`, "task=sent&secret=s3cret-gw")
	f.Add(`message_result=[{"uuid":"a","sent_result_code":2,"sent_result_message":"Radio off"}]`, "task=result&secret=s3cret-gw")
	f.Add(`message_result="[{\"uuid\":\"a\u0000\",\"sent_result_code\":\"x\"}]"`, "task=result&secret=s3cret-gw")
	f.Add("from=%zz", "")
	e := newAlertsEnv(f)
	f.Fuzz(func(t *testing.T, body, query string) {
		req := httptest.NewRequest("POST", alerts.IntakePath(e.sms)+"?"+url.PathEscape(query), strings.NewReader(body))
		req.Header.Set("Content-Type", formCT)
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%d %s", w.Code, w.Body.String())
		}
	})
}

// FuzzWebhookIntake: JSON bodies never cause a 5xx.
func FuzzWebhookIntake(f *testing.F) {
	f.Add(`{"id":"r-1","from":"+1","text":"attack","date":"2026-11-25T20:00:00Z","lat":1,"lon":2}`)
	f.Add(`{"text":"\ud800"}`)
	e := newAlertsEnv(f)
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", alerts.IntakePath(e.hook), strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Vigil-Secret", "hooktok-1")
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%d %s", w.Code, w.Body.String())
		}
	})
}

// BenchmarkSMSSyncIntake measures the durable intake path in process: HTTP
// handler, parsing, location, encryption, group commit on SQLite (WAL,
// synchronous=NORMAL), audit entry. Run with -cpu 2.
func BenchmarkSMSSyncIntake(b *testing.B) {
	e := newAlertsEnv(b)
	path := alerts.IntakePath(e.sms)
	var n atomic.Int64
	b.SetParallelism(32) // many gateways posting at once: group commit shares transactions
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := n.Add(1)
			req := httptest.NewRequest("POST", path, strings.NewReader(smsForm("b-"+i64s(id), "armed men near 1.5625, 30.2484", "s3cret-gw")))
			req.Header.Set("Content-Type", formCT)
			w := httptest.NewRecorder()
			e.h.ServeHTTP(w, req)
			if w.Code != 200 {
				b.Fatalf("%d %s", w.Code, w.Body.String())
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "alerts/s")
}

// TestIncidentCategoryAPI: category and reporter sex through the API — a
// 400 naming the field for unknown values, set by a responder, refused to a
// viewer, reporter sex hidden from viewers, and both counted in the stats.
func TestIncidentCategoryAPI(t *testing.T) {
	e := newAlertsEnv(t, "rex", "vic")
	e.do(nil, "POST", alerts.IntakePath(e.sms), reqOpt{body: smsForm("m-1", "Armed men took two girls at 1.5625, 30.2484", "s3cret-gw"), ctype: formCT})
	ins, _ := e.svc.Store.Incidents(context.Background(), alerts.IncidentFilter{})
	if len(ins) != 1 {
		t.Fatalf("%d incidents", len(ins))
	}
	path := "/api/v1/alerts/incidents/" + i64s(ins[0].ID)
	for _, c := range []struct{ body, field string }{
		{`{"category":"riot"}`, "category"},
		{`{"reporter_sex":"woman"}`, "reporter_sex"},
		{`{"category":"abduction","reporter_sex":"x"}`, "reporter_sex"},
		{`{"lat":1.5,"lon":30.2,"precision_m":-3}`, "precision_m"},
	} {
		resp, b := e.do(nil, "PATCH", path, reqOpt{token: e.tokens["rex"], body: c.body})
		var er struct{ Error, Field string }
		json.Unmarshal(b, &er)
		if resp.StatusCode != 400 || er.Field != c.field {
			t.Errorf("%s: %d %s, want 400 on %s", c.body, resp.StatusCode, b, c.field)
		}
	}
	if resp, _ := e.do(nil, "PATCH", path, reqOpt{token: e.tokens["vic"], body: `{"category":"abduction"}`}); resp.StatusCode != 403 {
		t.Fatalf("viewer sets category: %d", resp.StatusCode)
	}
	resp, b := e.do(nil, "PATCH", path, reqOpt{token: e.tokens["rex"], body: `{"category":"abduction","reporter_sex":"female"}`})
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"category":"abduction"`) || !strings.Contains(string(b), `"reporter_sex":"female"`) {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
	_, b = e.do(nil, "GET", path, reqOpt{token: e.tokens["vic"]})
	if !strings.Contains(string(b), `"category":"abduction"`) || strings.Contains(string(b), "female") {
		t.Fatalf("viewer sees: %s", b)
	}
	// The stats count by reporter sex for those who see it per incident;
	// a viewer would learn this lone incident's reporter sex from them.
	for _, c := range []struct {
		who     string
		female  int
		withSex bool
	}{{"rex", 1, true}, {"vic", 0, false}} {
		_, b = e.do(nil, "GET", "/api/v1/alerts/stats", reqOpt{token: e.tokens[c.who]})
		var st struct {
			ByCategory    map[string]int `json:"by_category"`
			ByReporterSex map[string]int `json:"by_reporter_sex"`
		}
		if err := json.Unmarshal(b, &st); err != nil || st.ByCategory["abduction"] != 1 || st.ByCategory["none"] != 0 || st.ByReporterSex["female"] != c.female || (st.ByReporterSex != nil) != c.withSex || len(st.ByCategory) != len(alerts.Categories)+1 {
			t.Fatalf("%s stats: %s", c.who, b)
		}
	}
}

// TestIncidentQueueView: the queue's rows carry the first alert's text for
// responders only, the place by name (not coordinates) and the SLA clock
// by triage state.
func TestIncidentQueueView(t *testing.T) {
	e := newAlertsEnv(t, "rex", "vic")
	clock := time.Date(2026, 11, 25, 20, 0, 0, 0, time.UTC)
	e.svc.Now = func() time.Time { return clock }
	e.do(nil, "POST", alerts.IntakePath(e.sms), reqOpt{body: smsForm("m-1", "Armed men   took two girls near the market at 1.5625, 30.2484", "s3cret-gw"), ctype: formCT})
	clock = clock.Add(20 * time.Minute)
	e.do(nil, "POST", alerts.IntakePath(e.sms), reqOpt{body: smsForm("m-2", "second message 1.5625, 30.2484", "s3cret-gw"), ctype: formCT})
	clock = clock.Add(10 * time.Minute)
	get := func(who string) alerts.Incident {
		_, b := e.do(nil, "GET", "/api/v1/alerts/incidents?lang=fr", reqOpt{token: e.tokens[who]})
		var ins []alerts.Incident
		if err := json.Unmarshal(b, &ins); err != nil || len(ins) != 1 {
			t.Fatalf("%s: %s", who, b)
		}
		return ins[0]
	}
	r := get("rex")
	if r.Preview != "Armed men took two girls near the market at 1.5625, 30.2484" {
		t.Errorf("preview %q", r.Preview)
	}
	if !strings.Contains(r.PlaceLabel, "Bunia") || strings.ContainsAny(r.PlaceLabel, "0123456789") {
		t.Errorf("place label %q", r.PlaceLabel)
	}
	// Received 30 min ago, triage SLA 15 min: overdue by 15 min.
	if r.SLA == nil || r.SLA.Kind != "triage" || r.SLA.LeftS != -900 {
		t.Errorf("clock %+v", r.SLA)
	}
	if v := get("vic"); v.Preview != "" || v.PlaceLabel == "" {
		t.Errorf("viewer: preview %q label %q", v.Preview, v.PlaceLabel)
	}
	e.do(nil, "PATCH", "/api/v1/alerts/incidents/"+i64s(r.ID), reqOpt{token: e.tokens["rex"], body: `{"status":"triaged"}`})
	if r := get("rex"); r.SLA == nil || r.SLA.Kind != "response" || r.SLA.LeftS != 5400 {
		t.Errorf("after triage: %+v", r.SLA)
	}
	_, b := e.do(nil, "GET", "/api/v1/alerts/incidents/"+i64s(r.ID), reqOpt{token: e.tokens["rex"]})
	if !strings.Contains(string(b), `"preview":"Armed men`) || !strings.Contains(string(b), `"place_label":"`) {
		t.Errorf("incident page: %s", b)
	}
}

// TestIncidentQueuePreviewCut: a first alert longer than the queue's
// preview is cut after a whole word (a date is one: « le 2018-12-3… » was
// cut inside it), and the whole text comes with it (preview_full, the
// row's title); a text that fits has no preview_full.
func TestIncidentQueuePreviewCut(t *testing.T) {
	e := newAlertsEnv(t, "rex")
	long := "ALERTE DEMO (synthétique, d'après l'événement UCDP GED 271759) : des civils attaqués par ADF près de Beni, Nord-Kivu le 2018-12-31, environ 3 morts signalés, 1.5625, 30.2484"
	e.do(nil, "POST", alerts.IntakePath(e.sms), reqOpt{body: smsForm("m-1", long, "s3cret-gw"), ctype: formCT})
	_, b := e.do(nil, "GET", "/api/v1/alerts/incidents", reqOpt{token: e.tokens["rex"]})
	var ins []alerts.Incident
	if err := json.Unmarshal(b, &ins); err != nil || len(ins) != 1 {
		t.Fatalf("%s", b)
	}
	p := ins[0].Preview
	cut, ok := strings.CutSuffix(p, "…")
	if !ok || len(p) > alerts.PreviewBytes+len("…") || !strings.HasPrefix(long, cut) || long[len(cut)] != ' ' {
		t.Errorf("preview %q: want the text cut after a whole word, marked …", p)
	}
	if ins[0].PreviewFull != long {
		t.Errorf("preview_full %q, want the whole text", ins[0].PreviewFull)
	}
	e.do(nil, "POST", alerts.IntakePath(e.sms), reqOpt{body: smsForm("m-2", "short one far away 12.5, 14.2", "s3cret-gw"), ctype: formCT})
	_, b = e.do(nil, "GET", "/api/v1/alerts/incidents", reqOpt{token: e.tokens["rex"]})
	if !strings.Contains(string(b), `"preview":"short one far away 12.5, 14.2"`) || strings.Count(string(b), `"preview_full"`) != 1 {
		t.Errorf("a preview that fits: %s", b)
	}
}

// TestWebChannelsForResponders: GET /api/v1/alerts/web-channels names the
// web channels (key and name, nothing else) to responders and above, for the
// alerts page's form of alerts taken by telephone; viewers are refused.
func TestWebChannelsForResponders(t *testing.T) {
	e := newAlertsEnv(t, "rex", "vic", "ada")
	want := `[{"key":"` + e.webform.Key + `","name":"web channel"}]`
	for _, c := range []struct {
		user   string
		status int
		body   string
	}{
		{"rex", 200, want},
		{"ada", 200, want},
		{"vic", 403, ""},
	} {
		resp, b := e.do(nil, "GET", "/api/v1/alerts/web-channels", reqOpt{token: e.tokens[c.user]})
		if resp.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d: %s", c.user, resp.StatusCode, c.status, b)
			continue
		}
		if c.body != "" && strings.TrimSpace(string(b)) != c.body {
			t.Errorf("%s: body %s, want %s", c.user, b, c.body)
		}
	}
}
