package web

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
)

type sseEvent struct{ name, data string }

// sseReader reads Server-Sent Events; reads fail when the stream's context
// deadline passes, so a test waiting for an event that never comes fails
// instead of hanging.
type sseReader struct {
	t *testing.T
	r *bufio.Reader
}

func (s *sseReader) next() sseEvent {
	s.t.Helper()
	var ev sseEvent
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			s.t.Fatalf("reading the stream: %v", err)
		}
		line = strings.TrimRight(line, "\r\n")
		switch {
		case line == "":
			if ev.name != "" || ev.data != "" {
				return ev
			}
		case strings.HasPrefix(line, ":"): // comment (heartbeat)
		case strings.HasPrefix(line, "event: "):
			ev.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			ev.data += strings.TrimPrefix(line, "data: ")
		}
	}
}

// until reads events until one named name satisfies ok.
func (s *sseReader) until(name string, ok func(alerts.Change) bool) alerts.Change {
	s.t.Helper()
	for {
		ev := s.next()
		if ev.name != name {
			continue
		}
		var c alerts.Change
		if err := json.Unmarshal([]byte(ev.data), &c); err != nil {
			s.t.Fatalf("event data %q: %v", ev.data, err)
		}
		for _, w := range []string{"Attack", "243", "Bunia", "location", "message"} {
			if strings.Contains(ev.data, w) {
				s.t.Fatalf("personal data or content in a queue notice: %s", ev.data)
			}
		}
		if ok(c) {
			return c
		}
	}
}

// openStream opens GET /api/v1/alerts/stream as the user with token; the
// stream ends with ctx.
func (e *alertsEnv) openStream(ctx context.Context, t *testing.T, token string) (*sseReader, *http.Response) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", e.srv.URL+"/api/v1/alerts/stream", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "text/event-stream")
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return &sseReader{t: t, r: bufio.NewReader(resp.Body)}, resp
}

// helloStream opens an event stream as token (for at most a minute, and
// closed when the test ends) and requires its first event to be hello;
// what names the stream in the failure.
func (e *alertsEnv) helloStream(t *testing.T, token, what string) *sseReader {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	st, _ := e.openStream(ctx, t, token)
	if ev := st.next(); ev.name != "hello" {
		t.Fatalf("%s: first event %+v, want hello", what, ev)
	}
	return st
}

func TestAlertsStream(t *testing.T) {
	e := newAlertsEnv(t, "vic", "rex")
	for _, tc := range []struct {
		name, token string
		status      int
	}{{"no login", "", 401}, {"bad token", "nope", 401}} {
		resp, _ := e.do(nil, "GET", "/api/v1/alerts/stream", reqOpt{token: tc.token})
		if resp.StatusCode != tc.status {
			t.Fatalf("%s: %d, want %d", tc.name, resp.StatusCode, tc.status)
		}
	}
	// A deadline on every read: the test fails rather than hangs if an
	// event never comes (it asserts nothing about how fast they come).
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	watch, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go e.svc.WatchStore(watch, 20*time.Millisecond)

	// The queue's lowest role (viewer) may follow it.
	st, _ := e.openStream(ctx, t, e.tokens["vic"])
	hello := st.next()
	var hv struct{ Version int64 }
	if hello.name != "hello" || json.Unmarshal([]byte(hello.data), &hv) != nil {
		t.Fatalf("first event %+v", hello)
	}

	// An SMS through the public SMSSync endpoint becomes a notice naming the
	// new alert and its incident.
	resp, b := e.do(nil, "POST", alerts.IntakePath(e.sms), reqOpt{body: smsForm("s-1", "Attack at 1.5625, 30.2484 near Bunia", "s3cret-gw"), ctype: formCT})
	if resp.StatusCode != 200 {
		t.Fatalf("intake: %d %s", resp.StatusCode, b)
	}
	stored, err := e.svc.Store.Alerts(context.Background(), alerts.AlertFilter{})
	if err != nil || len(stored) != 1 {
		t.Fatalf("%d alerts %v", len(stored), err)
	}
	a := stored[0]
	c := st.until("queue", func(c alerts.Change) bool { return c.Kind == "alert" })
	if !slices.Contains(c.Alerts, a.ID) || !slices.Contains(c.Incidents, a.IncidentID) {
		t.Fatalf("notice %+v, want alert %d incident %d", c, a.ID, a.IncidentID)
	}

	// A triage change is announced too.
	inc := i64s(a.IncidentID)
	if resp, b := e.do(nil, "PATCH", "/api/v1/alerts/incidents/"+inc, reqOpt{token: e.tokens["rex"], body: `{"status":"triaged"}`}); resp.StatusCode != 200 {
		t.Fatalf("patch: %d %s", resp.StatusCode, b)
	}
	st.until("queue", func(c alerts.Change) bool { return c.Kind == "incident" && slices.Contains(c.Incidents, a.IncidentID) })

	// A change made by another process on the same database (another
	// server on PostgreSQL, the CLI on SQLite) arrives through the change
	// counter.
	other := alerts.NewService(e.db, e.svc.Keys)
	if _, err := other.Receive(context.Background(), e.sms, alerts.Inbound{GatewayID: "other-1", Message: "second report"}); err != nil {
		t.Fatal(err)
	}
	v, _ := e.db.QueueVersion(context.Background())
	st.until("queue", func(c alerts.Change) bool { return c.Version >= v && c.Version > hv.Version })

	// When the server shuts down (WatchStore's context ends) the stream
	// ends, so shutdown does not wait for it.
	stopWatch()
	for {
		if _, err := st.r.ReadString('\n'); err != nil {
			if ctx.Err() != nil {
				t.Fatal("stream did not end at shutdown")
			}
			break
		}
	}
}

func TestAlertsStreamWithoutAlerts(t *testing.T) {
	e := newEnv(t)
	resp, b := e.do(nil, "GET", "/api/v1/alerts/stream", reqOpt{token: e.tokens["vic"]})
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(b), "alert network") {
		t.Fatalf("%d %s", resp.StatusCode, b)
	}
}

func TestAlertsStreamLimit(t *testing.T) {
	e := newAlertsEnv(t, "vic")
	e.svc.MaxStreams = 1
	e.helloStream(t, e.tokens["vic"], "the first stream")
	// Said by the catalog, its English as it always was (a client may read
	// it), so that a French page or client says it in French.
	keyedCase{name: "second stream over the limit", method: "GET", path: "/api/v1/alerts/stream", opt: reqOpt{token: e.tokens["vic"]},
		status: http.StatusServiceUnavailable, key: "alerts.refusal.streams",
		en: "too many live queue streams open on this server; poll GET /api/v1/alerts instead",
		fr: "trop de flux en direct de la file d’alertes sont ouverts sur ce serveur\u202f; interrogez plutôt GET /api/v1/alerts"}.send(t, e.testEnv)
}

// TestAlertsStreamLimitPerServer: the stream budget belongs to a server's
// alert service, not the process — a server at its limit does not refuse
// streams on another server in the same process.
func TestAlertsStreamLimitPerServer(t *testing.T) {
	a := newAlertsEnv(t, "vic")
	b := newAlertsEnv(t, "vic")
	a.svc.MaxStreams = 1
	b.svc.MaxStreams = 1
	a.helloStream(t, a.tokens["vic"], "server A")
	if resp, body := a.do(nil, "GET", "/api/v1/alerts/stream", reqOpt{token: a.tokens["vic"]}); resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("server A over its limit: %d %s", resp.StatusCode, body)
	}
	b.helloStream(t, b.tokens["vic"], "server B, while server A is at its limit,")
}
