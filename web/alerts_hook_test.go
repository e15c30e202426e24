package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/alerts/alertstest"
	"github.com/vigil-project/vigil/audit"
)

// recordingHook is a test escalation webhook answering status (0: 200)
// and keeping the bodies posted to it.
type recordingHook struct {
	srv    *httptest.Server
	mu     sync.Mutex
	bodies []string
	status int
}

func newRecordingHook(t *testing.T, status int) *recordingHook {
	h := &recordingHook{status: status}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.bodies = append(h.bodies, string(b))
		h.mu.Unlock()
		if h.status != 0 {
			w.WriteHeader(h.status)
		}
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *recordingHook) got() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.bodies...)
}

// TestEscalationHookAPI: an administrator sets the escalation webhook in
// the browser (PUT /api/v1/alerts/escalation-hook), which wins over the
// server's flag, is shown as scheme and host only, sealed at rest, tested
// (POST …/test: the webhook's status), changed and removed (the flag's in
// force again), each audited; notices given up against the old URL are
// posted to the new one. Refusals (roles, CSRF, a bad URL: keyed 400
// naming url) write nothing. Before, the webhook was a server flag only:
// these routes answered 404.
func TestEscalationHookAPI(t *testing.T) {
	ctx := context.Background()
	e := newAlertsEnv(t, "ada", "rex")
	now := time.Now().UTC()
	e.svc.Now = func() time.Time { return now }
	flag := alertstest.RefusingHook(t, e.svc, http.StatusBadGateway) // the flag's URL, down
	alertstest.GiveUpNotice(t, e.svc, map[string]any{"type": "vigil.incident.overdue", "incident_id": 7}, &now)
	good := newRecordingHook(t, 0)
	secretURL := good.srv.URL + "/hooks/SECRETPATH?token=SECRETQUERY"

	ada := e.client()
	csrf := e.login(ada, "ada")
	session := reqOpt{hdr: map[string]string{csrfHeader: csrf}}
	const path = "/api/v1/alerts/escalation-hook"
	body := func(u string) string { b, _ := json.Marshal(map[string]string{"url": u}); return string(b) }
	audits := func(action string) []audit.Record {
		rs, err := e.server.Audit.AuditLog(ctx, audit.Filter{Action: action})
		if err != nil {
			t.Fatal(err)
		}
		return rs
	}
	view := func() alerts.HookView {
		var v alerts.HookView
		resp, b := e.do(ada, "GET", path, reqOpt{})
		if resp.StatusCode != 200 || json.Unmarshal(b, &v) != nil {
			t.Fatalf("GET: %d %s", resp.StatusCode, b)
		}
		if strings.Contains(string(b), "SECRET") {
			t.Fatalf("GET answers the secret: %s", b)
		}
		return v
	}
	if v := view(); v.Source != alerts.HookSetFlag || v.Shown != e.svc.EscalationURL {
		t.Fatalf("before: %+v", v)
	}

	refusedURL := func(name, u, key, fr string) keyedCase {
		return keyedCase{name: name, method: "PUT", path: path, body: body(u), opt: session, client: ada, status: 400, key: key, fr: fr}
	}
	checkKeyed(t, e.testEnv, []keyedCase{
		{name: "responder reads", method: "GET", path: path, opt: reqOpt{token: e.tokens["rex"]}, status: 403},
		{name: "responder sets", method: "PUT", path: path, body: body(secretURL), opt: reqOpt{token: e.tokens["rex"]}, status: 403},
		{name: "responder removes", method: "DELETE", path: path, opt: reqOpt{token: e.tokens["rex"]}, status: 403},
		{name: "responder tests", method: "POST", path: path + "/test", opt: reqOpt{token: e.tokens["rex"]}, status: 403},
		{name: "no CSRF", method: "PUT", path: path, body: body(secretURL), client: ada, status: 403},
		{name: "not JSON", method: "PUT", path: path, body: "{", opt: session, client: ada, status: 400},
		{name: "unknown field", method: "PUT", path: path, body: `{"link":"https://x.org"}`, opt: session, client: ada, status: 400},
		refusedURL("empty", "  ", "alerts.refusal.hook-empty", "indiquez l’URL du webhook (http ou https)"),
		refusedURL("ftp", "ftp://hooks.example.org/x", "", "url\u00a0: le schéma «\u202fftp\u202f» n’est pas permis\u00a0: utilisez http ou https"),
		refusedURL("no host", "https:///hook", "", "url\u00a0: l’URL n’a pas d’hôte"),
		refusedURL("metadata address", "http://169.254.169.254/latest/meta-data/", "", ""),
		refusedURL("metadata name", "http://metadata.google.internal/x", "", ""),
		refusedURL("too long", "https://hooks.example.org/"+strings.Repeat("a", alerts.MaxHookURL), "alerts.refusal.hook-long", "l’URL fait plus de 2000 octets"),
		{name: "remove none", method: "DELETE", path: path, opt: session, client: ada, status: 404, key: "alerts.refusal.hook-none-here",
			fr: "aucun webhook de remontée n’est défini sur cette page\u00a0: rien n’a été supprimé"},
	})
	for _, a := range []string{"alerts.hook.set", "alerts.hook.change", "alerts.hook.remove", "alerts.hook.test"} {
		if rs := audits(a); len(rs) != 0 {
			t.Fatalf("refusals audited %s: %+v", a, rs)
		}
	}
	if v := view(); v.Source != alerts.HookSetFlag {
		t.Fatalf("refusals changed the webhook: %+v", v)
	}

	// Set: in force over the flag, shown by scheme and host, sealed.
	resp, b := e.do(ada, "PUT", path, reqOpt{body: body(secretURL), hdr: session.hdr})
	var v alerts.HookView
	if resp.StatusCode != 200 || json.Unmarshal(b, &v) != nil || strings.Contains(string(b), "SECRET") {
		t.Fatalf("PUT: %d %s", resp.StatusCode, b)
	}
	shown := good.srv.URL + "/…"
	if v.Source != alerts.HookSetHere || v.Shown != shown || v.UpdatedBy != "ada" || v.Flag == "" {
		t.Fatalf("PUT answered %+v", v)
	}
	if h, err := e.svc.Store.(alerts.HookStore).EscalationHook(ctx); err != nil || len(h.URLSealed) == 0 || strings.Contains(string(h.URLSealed), "SECRET") {
		t.Fatalf("stored: %v %q", err, h.URLSealed)
	}
	if rs := audits("alerts.hook.set"); len(rs) != 1 || rs[0].Actor != "ada" || rs[0].Detail != "webhook "+shown {
		t.Fatalf("set audited %+v", rs)
	}
	// The notice given up against the flag's URL goes to the new one.
	if err := e.svc.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	if got := good.got(); len(got) != 1 || !strings.Contains(got[0], `"incident_id":7`) {
		t.Fatalf("the new webhook got %q", got)
	}
	var list alerts.NoticeReport
	if resp, b := e.do(ada, "GET", "/api/v1/alerts/notices", reqOpt{}); resp.StatusCode != 200 || json.Unmarshal(b, &list) != nil || len(list.Notices) != 0 || !list.Webhook {
		t.Fatalf("notices after the change: %s", b)
	}

	// Test: posted to the webhook in force (not the flag's), a test notice.
	flagPosts := flag.Posts.Load()
	var tr alerts.HookTest
	resp, b = e.do(ada, "POST", path+"/test", session)
	if resp.StatusCode != 200 || json.Unmarshal(b, &tr) != nil || !tr.OK || tr.Status != 200 || tr.Shown != shown {
		t.Fatalf("test: %d %s", resp.StatusCode, b)
	}
	if got := good.got(); len(got) != 2 || !strings.Contains(got[1], `"type":"vigil.test"`) || !strings.Contains(got[1], `"test":true`) || flag.Posts.Load() != flagPosts {
		t.Fatalf("test posted %q (flag's posts %d → %d)", got, flagPosts, flag.Posts.Load())
	}
	if rs := audits("alerts.hook.test"); len(rs) != 1 || rs[0].Detail != "test notice to "+shown+" set here; answered HTTP 200" {
		t.Fatalf("test audited %+v", rs)
	}

	// Change to a refusing webhook: the test says its status.
	bad := newRecordingHook(t, http.StatusServiceUnavailable)
	if resp, b := e.do(ada, "PUT", path, reqOpt{body: body(bad.srv.URL), hdr: session.hdr}); resp.StatusCode != 200 {
		t.Fatalf("change: %d %s", resp.StatusCode, b)
	}
	resp, b = e.do(ada, "POST", path+"/test", session)
	if resp.StatusCode != 200 || json.Unmarshal(b, &tr) != nil || tr.OK || tr.Status != 503 || tr.Error != "status 503" || tr.Shown != bad.srv.URL {
		t.Fatalf("test of a refusing webhook: %d %s", resp.StatusCode, b)
	}
	if rs := audits("alerts.hook.change"); len(rs) != 1 || rs[0].Detail != "webhook "+bad.srv.URL {
		t.Fatalf("change audited %+v", rs)
	}

	// Remove: the flag's is in force again.
	v = alerts.HookView{}
	resp, b = e.do(ada, "DELETE", path, session)
	if resp.StatusCode != 200 || json.Unmarshal(b, &v) != nil || v.Source != alerts.HookSetFlag || v.Updated != nil {
		t.Fatalf("DELETE: %d %s", resp.StatusCode, b)
	}
	if rs := audits("alerts.hook.remove"); len(rs) != 1 || rs[0].Detail != "webhook "+bad.srv.URL {
		t.Fatalf("remove audited %+v", rs)
	}
	// Without flag nor stored webhook: a test is a keyed 409.
	e.svc.EscalationURL = ""
	if v := view(); v.Source != alerts.HookNone || v.Shown != "" {
		t.Fatalf("none: %+v", v)
	}
	checkKeyed(t, e.testEnv, []keyedCase{{name: "test without webhook", method: "POST", path: path + "/test", opt: session, client: ada, status: 409, key: "alerts.refusal.no-webhook"}})
}

// FuzzEscalationHookBody: no body of PUT /api/v1/alerts/escalation-hook
// makes the server answer 5xx (or a 4xx without a JSON message) or store
// a URL the checks refuse.
func FuzzEscalationHookBody(f *testing.F) {
	for _, s := range []string{`{"url":"https://hooks.example.org/x?token=1"}`, `{"url":""}`, `{"url":"ftp://x"}`, `{"url":"http://169.254.169.254/"}`,
		`{"url":"http://[::1/x"}`, `{"url":"http:opaque"}`, `{}`, `[]`, `null`, `{"url":1}`, "{\"url\":\"http://a\u0000b/\"}", `{"url":"HTTP://Hooks.Example.ORG:8443"}`} {
		f.Add(s)
	}
	e := newAlertsEnv(f, "ada")
	f.Fuzz(func(t *testing.T, in string) {
		req := httptest.NewRequest("PUT", "http://vigil.test/api/v1/alerts/escalation-hook", strings.NewReader(in))
		req.Header.Set("Authorization", "Bearer "+e.tokens["ada"])
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		checkAPIAnswer(t, req, w)
		if w.Code != 200 {
			return
		}
		h, err := e.svc.Store.EscalationHook(context.Background())
		if err != nil {
			t.Fatalf("%q: 200 but nothing stored: %v", in, err)
		}
		raw, err := e.svc.Keys.Open(h.URLSealed, []byte(alerts.AADEscalationHook))
		if err != nil || alerts.CheckEscalationURL(string(raw), false) != nil {
			t.Fatalf("%q: stored a URL the checks refuse (%v)", in, err)
		}
	})
}
