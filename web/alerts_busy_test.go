package web

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/sqlite"
)

// holdWriteLock takes SQLite's write lock on the database in dir from
// another connection (as another process would) and returns its release.
func holdWriteLock(t *testing.T, dir string) func() {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "vigil.db"))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := raw.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	released := false
	release := func() {
		if !released {
			conn.ExecContext(context.Background(), "ROLLBACK")
			conn.Close()
			raw.Close()
			released = true
		}
	}
	t.Cleanup(release)
	return release
}

// While another process holds the database's write lock past the busy
// timeout, every intake answers 503 with Retry-After in its gateway's own
// shape (so the gateway keeps the message and sends it again), nothing is
// stored, /healthz says the database cannot be written; once the lock is
// released the same messages are taken.
func TestIntakeWhileDatabaseLocked(t *testing.T) {
	dir := t.TempDir()
	e := newAlertsEnvAt(t, dir, sqlite.Options{BusyTimeout: 100 * time.Millisecond}, "rex")
	c := e.client()
	formPath := alerts.IntakePath(e.webform)
	_, page := e.do(c, "GET", formPath, reqOpt{})
	tok := csrfField.FindStringSubmatch(string(page))[1]
	// Load every channel into the service's cache as a running server has.
	for _, ch := range []alerts.Channel{e.sms, e.tw, e.hook, e.webform} {
		if _, err := e.svc.Channel(context.Background(), ch.Key); err != nil {
			t.Fatal(err)
		}
	}
	twForm := url.Values{"MessageSid": {"SM1"}, "From": {"+243812345678"}, "To": {"+243990000000"}, "Body": {"Attack at 1.5625, 30.2484"}}
	type intake struct {
		name, method, path, body, ctype string
		hdr                             map[string]string
		// ok checks the answer's body while locked.
		busy func(b string) bool
	}
	cases := []intake{
		{"smssync", "POST", alerts.IntakePath(e.sms), smsForm("m-1", "Attack at 1.5625, 30.2484", "s3cret-gw"), formCT, nil, func(b string) bool {
			var v struct {
				Payload struct {
					Success bool    `json:"success"`
					Error   *string `json:"error"`
				} `json:"payload"`
			}
			return json.Unmarshal([]byte(b), &v) == nil && !v.Payload.Success && v.Payload.Error != nil && *v.Payload.Error != ""
		}},
		{"twilio", "POST", alerts.IntakePath(e.tw), twForm.Encode(), formCT,
			map[string]string{"X-Twilio-Signature": alerts.TwilioSignature("12345678", e.srv.URL+alerts.IntakePath(e.tw), twForm)},
			func(b string) bool { return strings.Contains(b, "<Response><Message>") && strings.Contains(b, "again") }},
		{"webhook", "POST", alerts.IntakePath(e.hook), `{"id":"w-1","text":"Attack at 1.5625, 30.2484"}`, "application/json",
			map[string]string{"X-Vigil-Secret": "hooktok-1"}, func(b string) bool { return strings.Contains(b, `"error":`) }},
		{"web form", "POST", formPath, url.Values{"message": {"Attack at Bunia"}, "csrf": {tok}}.Encode(), formCT, nil,
			func(b string) bool {
				return strings.Contains(b, "not received") && strings.Contains(b, "Attack at Bunia")
			}},
		{"API", "POST", "/api/v1/alerts", `{"channel":"` + e.webform.Key + `","message":"Attack at Bunia","id":"api-1"}`, "application/json",
			map[string]string{"Authorization": "Bearer " + e.tokens["rex"]}, func(b string) bool {
				// Said in the page's language too (alerts.Refusals).
				return strings.Contains(b, `"error":"the database cannot take the message now`) && strings.Contains(b, `"key":"alerts.refusal.retry"`)
			}},
	}
	release := holdWriteLock(t, dir)
	for _, tc := range cases {
		resp, b := e.do(c, tc.method, tc.path, reqOpt{body: tc.body, ctype: tc.ctype, hdr: tc.hdr})
		if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || !tc.busy(string(b)) {
			t.Errorf("%s while locked: %d Retry-After %q: %s", tc.name, resp.StatusCode, resp.Header.Get("Retry-After"), b)
		}
	}
	// Another write: the store's own refusal, said in the page's language
	// (storage.Refusals).
	checkKeyed(t, e.testEnv, []keyedCase{{name: "a token while locked", method: "POST", path: "/api/v1/tokens", body: `{"name":"x"}`,
		opt: reqOpt{token: e.tokens["rex"]}, status: 503, fr: "la base de données est verrouillée par un autre processus (écriture impossible)"}})
	resp, b := e.do(nil, "GET", "/healthz", reqOpt{})
	if resp.StatusCode != 503 || !strings.Contains(string(b), `"reason":"the database is locked`) {
		t.Errorf("/healthz while locked: %d %s", resp.StatusCode, b)
	}
	release()
	if t.Failed() {
		t.FailNow()
	}
	if n := e.count(t); n != 0 {
		t.Fatalf("%d alerts stored while locked", n)
	}
	// The gateways send again: all taken.
	_, page = e.do(c, "GET", formPath, reqOpt{})
	cases[3].body = url.Values{"message": {"Attack at Bunia"}, "csrf": {csrfField.FindStringSubmatch(string(page))[1]}}.Encode()
	for _, tc := range cases {
		resp, b := e.do(c, tc.method, tc.path, reqOpt{body: tc.body, ctype: tc.ctype, hdr: tc.hdr})
		if resp.StatusCode/100 != 2 {
			t.Errorf("%s after the lock: %d %s", tc.name, resp.StatusCode, b)
		}
	}
	if n := e.count(t); n != len(cases) {
		t.Fatalf("%d alerts stored after the retries, want %d", n, len(cases))
	}
	if resp, b := e.do(nil, "GET", "/healthz", reqOpt{}); resp.StatusCode != 200 {
		t.Fatalf("/healthz after the lock: %d %s", resp.StatusCode, b)
	}
}

// /healthz reports a database that can be read but not written; a write
// is refused 503 with the store's message, said in the page's language
// (storage.Refusals).
func TestHealthReadOnlyDatabase(t *testing.T) {
	e, tok := readOnlyEnv(t)
	resp, b := e.do(nil, "GET", "/healthz", reqOpt{})
	if resp.StatusCode != 503 || !strings.Contains(string(b), `"reason":"the database is read-only"`) {
		t.Fatalf("/healthz on a read-only database: %d %s", resp.StatusCode, b)
	}
	checkKeyed(t, e, []keyedCase{{name: "a write", method: "POST", path: "/api/v1/tokens", body: `{"name":"x"}`, opt: reqOpt{token: tok},
		status: 503, fr: "la base de données est en lecture seule"}})
}

// readOnlyEnv serves a database opened read-only (after its migrations and
// an administrator, ada, whose bearer token it returns, were written).
func readOnlyEnv(t *testing.T) (*testEnv, string) {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(context.Background(), dir, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	svc := auth.NewService(db)
	if _, err := svc.CreateUser(context.Background(), "test", "ada", auth.Admin, testPassword); err != nil {
		t.Fatal(err)
	}
	tok, _, err := svc.CreateToken(context.Background(), "test", "ada", "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "vigil.db")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	ro := storage.New(raw, storage.SQLite)
	s := &Server{DB: ro, Events: ro, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	e := &testEnv{t: t, db: ro, srv: httptest.NewServer(s.Handler())}
	t.Cleanup(e.srv.Close)
	return e, tok
}
