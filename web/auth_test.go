package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
)

const testPassword = "a long test password"

type testEnv struct {
	t      testing.TB
	db     *storage.DB
	srv    *httptest.Server
	h      http.Handler
	s      *Server
	log    *testutil.SyncBuffer
	tokens map[string]string // user name -> bearer token
}

// newEnv starts a server on a fresh SQLite store in a temp dir with users
// ada (admin), ana (analyst), rex (responder) and vic (viewer), each with a
// bearer token.
func newEnv(t testing.TB) *testEnv {
	t.Helper()
	ctx := context.Background()
	db := testutil.Store(t)
	logs := &testutil.SyncBuffer{}
	e := serveEnv(t, db, &Server{DB: db, Log: slog.New(slog.NewTextHandler(logs, nil))}, logs)
	for _, u := range []struct {
		name string
		role auth.Role
	}{{"ada", auth.Admin}, {"ana", auth.Analyst}, {"rex", auth.Responder}, {"vic", auth.Viewer}} { // token ids 1..4
		e.addUser(ctx, u.name, u.role)
	}
	return e
}

// serveEnv starts s (over db) on an httptest server and returns its test
// environment; log is the buffer s logs to, if any.
func serveEnv(t testing.TB, db *storage.DB, s *Server, log *testutil.SyncBuffer) *testEnv {
	t.Helper()
	h := s.Handler()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &testEnv{t: t, db: db, srv: srv, h: h, s: s, log: log, tokens: map[string]string{}}
}

// addUser creates the user name with role and a bearer token for it
// (e.tokens[name]).
func (e *testEnv) addUser(ctx context.Context, name string, role auth.Role) {
	e.t.Helper()
	if _, err := e.s.Auth.CreateUser(ctx, "test", name, role, testPassword); err != nil {
		e.t.Fatal(err)
	}
	tok, _, err := e.s.Auth.CreateToken(ctx, "test", name, "test", 0)
	if err != nil {
		e.t.Fatal(err)
	}
	e.tokens[name] = tok
}

// client returns an HTTP client with its own cookie jar that does not follow
// redirects.
func (e *testEnv) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// with returns the environment reporting to t (a fuzz target's or a
// subtest's), so that its helpers can be called from inside it.
func (e *testEnv) with(t testing.TB) *testEnv {
	c := *e
	c.t = t
	return &c
}

type reqOpt struct {
	token string            // bearer token
	hdr   map[string]string // extra headers
	body  string
	ctype string
}

func (e *testEnv) do(c *http.Client, method, path string, o reqOpt) (*http.Response, []byte) {
	e.t.Helper()
	if c == nil {
		c = e.client()
	}
	var body io.Reader
	if o.body != "" {
		body = strings.NewReader(o.body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if o.token != "" {
		req.Header.Set("Authorization", "Bearer "+o.token)
	}
	if o.body != "" {
		ct := o.ctype
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	for k, v := range o.hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, b
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// loginForm fetches the login page and returns its CSRF token.
func (e *testEnv) loginForm(c *http.Client, query string) string {
	e.t.Helper()
	resp, b := e.do(c, "GET", "/login"+query, reqOpt{})
	if resp.StatusCode != 200 {
		e.t.Fatalf("GET /login: %d %s", resp.StatusCode, b)
	}
	m := csrfField.FindSubmatch(b)
	if m == nil {
		e.t.Fatalf("no csrf field in the login page:\n%s", b)
	}
	return string(m[1])
}

func form(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v.Encode()
}

const formType = "application/x-www-form-urlencoded"

// login logs c in as name and returns the session's CSRF token from /api/v1/me.
func (e *testEnv) login(c *http.Client, name string) string {
	e.t.Helper()
	tok := e.loginForm(c, "")
	resp, b := e.do(c, "POST", "/login", reqOpt{body: form("name", name, "password", testPassword, "csrf", tok), ctype: formType})
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login %s: %d %s", name, resp.StatusCode, b)
	}
	resp, b = e.do(c, "GET", "/api/v1/me", reqOpt{})
	if resp.StatusCode != 200 {
		e.t.Fatalf("me after login: %d %s", resp.StatusCode, b)
	}
	var me struct{ Name, Role, CSRF string }
	if err := json.Unmarshal(b, &me); err != nil || me.Name != name || me.CSRF == "" {
		e.t.Fatalf("me = %s (%v)", b, err)
	}
	return me.CSRF
}

func jsonErr(t *testing.T, b []byte) (msg, field string) {
	t.Helper()
	var v struct{ Error, Field string }
	if err := json.Unmarshal(b, &v); err != nil || v.Error == "" {
		t.Fatalf("not a JSON error: %s", b)
	}
	return v.Error, v.Field
}

func TestLoginForm(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name       string
		user, pass string
		csrf       string // "page": the page's token
		next       string
		want       int
		wantLoc    string
	}{
		{"no csrf", "vic", testPassword, "", "", 403, ""},
		{"wrong csrf", "vic", testPassword, "forged", "", 403, ""},
		{"wrong password", "vic", "not the password", "page", "", 401, ""},
		{"unknown user", "nobody", testPassword, "page", "", 401, ""},
		{"empty fields", "", "", "page", "", 400, ""},
		{"ok", "vic", testPassword, "page", "", 303, "/"},
		{"ok next", "vic", testPassword, "page", "/map?x=1", 303, "/map?x=1"},
		{"open redirect refused", "vic", testPassword, "page", "//evil.example/", 303, "/"},
		{"absolute next refused", "vic", testPassword, "page", "https://evil.example/", 303, "/"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cl := e.client()
			tok := e.loginForm(cl, "")
			if c.csrf != "page" {
				tok = c.csrf
			}
			q := ""
			if c.next != "" {
				q = "?next=" + url.QueryEscape(c.next)
			}
			resp, b := e.do(cl, "POST", "/login"+q, reqOpt{body: form("name", c.user, "password", c.pass, "csrf", tok), ctype: formType})
			if resp.StatusCode != c.want {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, c.want, b)
			}
			var sess *http.Cookie
			for _, ck := range resp.Cookies() {
				if ck.Name == sessionCookie && ck.Value != "" {
					sess = ck
				}
			}
			if c.want != 303 {
				if sess != nil {
					t.Fatal("failed login set a session cookie")
				}
				return
			}
			if loc := resp.Header.Get("Location"); loc != c.wantLoc {
				t.Errorf("Location %q, want %q", loc, c.wantLoc)
			}
			if sess == nil || !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode || sess.Secure {
				t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, not Secure over plain HTTP", sess)
			}
			if strings.Contains(string(b), testPassword) {
				t.Error("answer echoes the password")
			}
		})
	}
}

func TestLoginRateLimit(t *testing.T) {
	e := newEnv(t)
	cl := e.client()
	for i := 0; i < 5; i++ {
		tok := e.loginForm(cl, "")
		resp, _ := e.do(cl, "POST", "/login", reqOpt{body: form("name", "ana", "password", "wrong password", "csrf", tok), ctype: formType})
		if resp.StatusCode != 401 {
			t.Fatalf("attempt %d: %d", i, resp.StatusCode)
		}
	}
	tok := e.loginForm(cl, "")
	resp, _ := e.do(cl, "POST", "/login", reqOpt{body: form("name", "ana", "password", testPassword, "csrf", tok), ctype: formType})
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("after 5 failures: %d, want 429 with Retry-After", resp.StatusCode)
	}
	// Other users are not locked out.
	e.login(e.client(), "vic")
}

func TestLoginLanguage(t *testing.T) {
	e := newEnv(t)
	cases := []struct{ query, accept, want, notWant string }{
		{"", "", "Password", "Mot de passe"},
		{"", "fr-FR,fr;q=0.9,en;q=0.8", "Mot de passe", "Password"},
		{"", "de-DE, en;q=0.5, fr;q=0.9", "Mot de passe", "Password"},
		{"", "fr;q=0.1, en", "Password", "Mot de passe"},
		{"?lang=fr", "en", "Mot de passe", "Password"},
		{"?lang=en", "fr", "Password", "Mot de passe"},
		{"?lang=xx", "fr", "Mot de passe", "Password"},
	}
	for _, c := range cases {
		resp, b := e.do(nil, "GET", "/login"+c.query, reqOpt{hdr: map[string]string{"Accept-Language": c.accept}})
		if resp.StatusCode != 200 || !strings.Contains(string(b), c.want) || strings.Contains(string(b), c.notWant) {
			t.Errorf("GET /login%s Accept-Language %q: %d, want %q and not %q", c.query, c.accept, resp.StatusCode, c.want, c.notWant)
		}
	}
	// A failed login answers in the form's language.
	cl := e.client()
	tok := e.loginForm(cl, "?lang=fr")
	_, b := e.do(cl, "POST", "/login", reqOpt{body: form("name", "vic", "password", "wrong password", "csrf", tok, "lang", "fr"), ctype: formType})
	if !strings.Contains(string(b), "mot de passe incorrect") {
		t.Errorf("French failed login page: %s", b)
	}
	// A login in a language asked for (?lang=, posted by the form) tells the
	// app that language in the cookie vigil_lang; one guessed from
	// Accept-Language posts none and sets none.
	for _, c := range []struct{ query, accept, want string }{
		{"?lang=fr", "en", "fr"}, {"?lang=en", "fr", "en"}, {"", "fr", ""}, {"?lang=xx", "fr", ""},
	} {
		cl := e.client()
		resp, page := e.do(cl, "GET", "/login"+c.query, reqOpt{hdr: map[string]string{"Accept-Language": c.accept}})
		m := csrfField.FindSubmatch(page)
		if resp.StatusCode != 200 || m == nil {
			t.Fatalf("GET /login%s: %d %s", c.query, resp.StatusCode, page)
		}
		kv := []string{"name", "vic", "password", testPassword, "csrf", string(m[1])}
		if l := regexp.MustCompile(`name="lang" value="(\w+)"`).FindSubmatch(page); l != nil {
			kv = append(kv, "lang", string(l[1]))
		}
		resp, b := e.do(cl, "POST", "/login", reqOpt{body: form(kv...), ctype: formType, hdr: map[string]string{"Accept-Language": c.accept}})
		got := ""
		for _, ck := range resp.Cookies() {
			if ck.Name == "vigil_lang" {
				got = ck.Value
			}
		}
		if resp.StatusCode != http.StatusSeeOther || got != c.want {
			t.Errorf("login from /login%s (Accept-Language %s): %d, cookie vigil_lang %q, want %q (%s)", c.query, c.accept, resp.StatusCode, got, c.want, b)
		}
	}
}

func TestSessionCSRF(t *testing.T) {
	e := newEnv(t)
	cl := e.client()
	csrf := e.login(cl, "ana")
	body := `{"name":"laptop"}`
	cases := []struct {
		name string
		hdr  map[string]string
		want int
	}{
		{"no csrf", nil, 403},
		{"wrong csrf", map[string]string{csrfHeader: "forged"}, 403},
		{"other session's csrf", map[string]string{csrfHeader: e.login(e.client(), "ana")}, 403},
		{"right csrf", map[string]string{csrfHeader: csrf}, 201},
	}
	for _, c := range cases {
		resp, b := e.do(cl, "POST", "/api/v1/tokens", reqOpt{body: body, hdr: c.hdr})
		if resp.StatusCode != c.want {
			t.Errorf("%s: %d, want %d: %s", c.name, resp.StatusCode, c.want, b)
		}
	}
	// GET needs no CSRF token.
	if resp, b := e.do(cl, "GET", "/api/v1/tokens", reqOpt{}); resp.StatusCode != 200 || !strings.Contains(string(b), "laptop") {
		t.Errorf("GET tokens: %d %s", resp.StatusCode, b)
	}
	// Logout by form needs the csrf field too.
	resp, _ := e.do(cl, "POST", "/logout", reqOpt{body: form("x", "y"), ctype: formType})
	if resp.StatusCode != 403 {
		t.Errorf("logout without csrf: %d, want 403", resp.StatusCode)
	}
	resp, _ = e.do(cl, "POST", "/logout", reqOpt{body: form("csrf", csrf), ctype: formType})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/login" {
		t.Errorf("logout: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := e.do(cl, "GET", "/api/v1/me", reqOpt{}); resp.StatusCode != 401 {
		t.Errorf("me after logout: %d, want 401", resp.StatusCode)
	}
}

func TestBearerTokens(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name string
		hdr  string
		want int
	}{
		{"none", "", 401},
		{"basic", "Basic dmljOnBhc3M=", 401},
		{"empty bearer", "Bearer ", 401},
		{"unknown", "Bearer vgl_notatoken", 401},
		{"no prefix", "Bearer " + strings.TrimPrefix(e.tokens["vic"], auth.TokenPrefix), 401},
		{"valid", "Bearer " + e.tokens["vic"], 200},
		{"case-insensitive scheme", "bearer " + e.tokens["vic"], 200},
	}
	for _, c := range cases {
		h := map[string]string{}
		if c.hdr != "" {
			h["Authorization"] = c.hdr
		}
		resp, b := e.do(nil, "GET", "/api/v1/me", reqOpt{hdr: h})
		if resp.StatusCode != c.want {
			t.Errorf("%s: %d, want %d: %s", c.name, resp.StatusCode, c.want, b)
		}
		if c.want == 401 {
			jsonErr(t, b)
		}
	}
	// Bearer requests need no CSRF token for unsafe methods.
	resp, b := e.do(nil, "POST", "/api/v1/tokens", reqOpt{token: e.tokens["vic"], body: `{"name":"script"}`})
	if resp.StatusCode != 201 {
		t.Fatalf("create token by bearer: %d %s", resp.StatusCode, b)
	}
	var created struct{ Token string }
	json.Unmarshal(b, &created)
	if resp, _ := e.do(nil, "GET", "/api/v1/me", reqOpt{token: created.Token}); resp.StatusCode != 200 {
		t.Errorf("new token rejected: %d", resp.StatusCode)
	}
	// Disabling the user revokes their tokens.
	resp, b = e.do(nil, "PATCH", "/api/v1/users/vic", reqOpt{token: e.tokens["ada"], body: `{"disabled":true}`})
	if resp.StatusCode != 200 {
		t.Fatalf("disable vic: %d %s", resp.StatusCode, b)
	}
	if resp, _ := e.do(nil, "GET", "/api/v1/me", reqOpt{token: created.Token}); resp.StatusCode != 401 {
		t.Errorf("token of disabled user: %d, want 401", resp.StatusCode)
	}
}

func TestRoles(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		user         string
		method, path string
		body         string
		want         int
	}{
		{"", "GET", "/api/v1/events", "", 401},
		{"", "GET", "/api/v1/users", "", 401},
		{"", "GET", "/healthz", "", 200},
		{"", "GET", "/api/v1/openapi.json", "", 200},
		{"vic", "GET", "/api/v1/events", "", 200},
		{"vic", "GET", "/api/v1/grid", "", 200},
		{"vic", "GET", "/api/v1/clusters?zoom=3", "", 200},
		{"vic", "GET", "/api/v1/me", "", 200},
		{"vic", "GET", "/api/v1/users", "", 403},
		{"vic", "POST", "/api/v1/users", `{"name":"eve","role":"admin","password":"` + testPassword + `"}`, 403},
		{"vic", "PATCH", "/api/v1/users/vic", `{"role":"admin"}`, 403},
		{"vic", "GET", "/api/v1/audit", "", 403},
		{"vic", "POST", "/api/v1/tokens", `{"user":"ada"}`, 403},
		{"vic", "POST", "/api/v1/tokens", `{"user":"vic"}`, 201},
		{"rex", "GET", "/api/v1/users", "", 403},
		{"ana", "GET", "/api/v1/users", "", 403},
		{"ana", "POST", "/api/v1/users", `{"name":"eve","role":"viewer","password":"` + testPassword + `"}`, 403},
		{"ana", "GET", "/api/v1/audit", "", 403},
		{"ada", "GET", "/api/v1/users", "", 200},
		{"ada", "GET", "/api/v1/audit", "", 200},
		{"ada", "POST", "/api/v1/users", `{"name":"eve","role":"viewer","password":"` + testPassword + `"}`, 201},
		{"ada", "POST", "/api/v1/users", `{"name":"eve","role":"viewer","password":"` + testPassword + `"}`, 409},
		{"ada", "POST", "/api/v1/users", `{"name":"bad name","role":"viewer","password":"` + testPassword + `"}`, 400},
		{"ada", "POST", "/api/v1/users", `{"name":"fred","role":"root","password":"` + testPassword + `"}`, 400},
		{"ada", "POST", "/api/v1/users", `{"name":"fred","role":"viewer","password":"short"}`, 400},
		{"ada", "POST", "/api/v1/users", `{"name":"fred","role":"viewer","password":"` + testPassword + `","admin":true}`, 400},
		{"ada", "POST", "/api/v1/users", `not json`, 400},
		{"ada", "PATCH", "/api/v1/users/eve", `{"role":"analyst"}`, 200},
		{"ada", "PATCH", "/api/v1/users/eve", `{"role":"king"}`, 400},
		{"ada", "PATCH", "/api/v1/users/nobody", `{"role":"analyst"}`, 404},
		{"ada", "PATCH", "/api/v1/users/ada", `{"disabled":true}`, 400},
		{"ada", "PATCH", "/api/v1/users/ada", `{"role":"viewer"}`, 400},
		{"ada", "POST", "/api/v1/tokens", `{"user":"ana","name":"for ana"}`, 201},
		{"ada", "POST", "/api/v1/tokens", `{"user":"nobody"}`, 400},
		{"ada", "POST", "/api/v1/tokens", `{"ttl_days":-1}`, 400},
		{"vic", "DELETE", "/api/v1/tokens/1", "", 404}, // token 1 is ada's
		{"vic", "DELETE", "/api/v1/tokens/x", "", 400},
		{"ada", "DELETE", "/api/v1/tokens/999", "", 404},
		{"ada", "DELETE", "/api/v1/tokens/2", "", 204}, // an admin may revoke anyone's
		{"ada", "GET", "/api/v1/audit?limit=0", "", 400},
		{"ada", "GET", "/api/v1/audit?since=yesterday", "", 400},
		{"ada", "GET", "/api/v1/audit?cursor=-4", "", 400},
		{"ada", "GET", "/api/v1/audit?actr=ada", "", 400},
	}
	for _, c := range cases {
		resp, b := e.do(nil, c.method, c.path, reqOpt{token: e.tokens[c.user], body: c.body})
		if resp.StatusCode != c.want {
			t.Errorf("%s %s %s as %q: %d, want %d: %s", c.method, c.path, c.body, c.user, resp.StatusCode, c.want, b)
		}
		if resp.StatusCode >= 400 {
			jsonErr(t, b)
		}
	}
}

func TestAuditOverHTTP(t *testing.T) {
	e := newEnv(t)
	e.login(e.client(), "vic")
	cl := e.client()
	tok := e.loginForm(cl, "")
	e.do(cl, "POST", "/login", reqOpt{body: form("name", "vic", "password", "Hunter2-wrong-pass", "csrf", tok), ctype: formType})
	// A password typed into the name field (a valid user name, and not a
	// user): the audit log names it only by a keyed hash.
	tok = e.loginForm(cl, "")
	e.do(cl, "POST", "/login", reqOpt{body: form("name", "Tamarind2026secret", "password", "x", "csrf", tok), ctype: formType})
	e.do(nil, "POST", "/api/v1/users", reqOpt{token: e.tokens["ada"], body: `{"name":"eve","role":"viewer","password":"` + testPassword + `"}`})
	resp, b := e.do(nil, "GET", "/api/v1/audit?limit=1000", reqOpt{token: e.tokens["ada"]})
	if resp.StatusCode != 200 {
		t.Fatalf("audit: %d %s", resp.StatusCode, b)
	}
	var out struct{ Records []audit.Record }
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range out.Records {
		seen[r.Action+" "+r.Actor+" "+r.Object] = true
	}
	for _, want := range []string{"login.ok vic user:vic", "login.fail anonymous user:vic", "user.create ada user:eve", "token.create test token:1"} {
		if !seen[want] {
			t.Errorf("audit log lacks %q: %v", want, seen)
		}
	}
	if strings.Contains(string(b), testPassword) || strings.Contains(string(b), "Hunter2") || strings.Contains(strings.ToLower(string(b)), "tamarind") {
		t.Error("audit log holds a password")
	}
	if !regexp.MustCompile(`unknown user \(name hash [0-9a-f]{16}\)`).Match(b) {
		t.Errorf("audit log does not record the unknown name's keyed hash: %s", b)
	}
	// Paging.
	resp, b = e.do(nil, "GET", "/api/v1/audit?limit=2&action=login.", reqOpt{token: e.tokens["ada"]})
	var page struct {
		Records []audit.Record
		Next    string
	}
	json.Unmarshal(b, &page)
	if resp.StatusCode != 200 || len(page.Records) != 2 || page.Next == "" {
		t.Fatalf("page: %d %s", resp.StatusCode, b)
	}
}

func TestSecurityHeadersAndLogs(t *testing.T) {
	e := newEnv(t)
	resp, _ := e.do(nil, "GET", "/api/v1/events?country=Secret+Village&source=informant-42", reqOpt{token: e.tokens["vic"]})
	if resp.StatusCode != 200 {
		t.Fatalf("events: %d", resp.StatusCode)
	}
	e.do(nil, "PATCH", "/api/v1/users/vic-the-person", reqOpt{token: e.tokens["ada"], body: `{"role":"viewer"}`})
	for _, path := range []string{"/healthz", "/login", "/api/v1/me"} {
		resp, _ := e.do(nil, "GET", path, reqOpt{})
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		for _, d := range strings.Split(csp, ";") {
			if strings.HasPrefix(strings.TrimSpace(d), "script-src") && strings.Contains(d, "unsafe-inline") {
				t.Errorf("%s: CSP allows inline scripts", path)
			}
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", path, h)
		}
	}
	logs := e.log.String()
	for _, secret := range []string{"Secret", "informant", "vic-the-person", testPassword, e.tokens["vic"]} {
		if strings.Contains(logs, secret) {
			t.Errorf("log holds %q:\n%s", secret, logs)
		}
	}
	if !strings.Contains(logs, "route=\"GET /api/v1/events\"") || !strings.Contains(logs, "status=200") {
		t.Errorf("request not logged by route:\n%s", logs)
	}
}

func TestHealthz(t *testing.T) {
	e := newEnv(t)
	resp, b := e.do(nil, "GET", "/healthz", reqOpt{})
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"ok"`) {
		t.Fatalf("healthz: %d %s", resp.StatusCode, b)
	}
	e.db.Close()
	resp, _ = e.do(nil, "GET", "/healthz", reqOpt{})
	if resp.StatusCode != 503 {
		t.Fatalf("healthz with closed db: %d, want 503", resp.StatusCode)
	}
}

func TestMultipartFormCSRF(t *testing.T) {
	e := newEnv(t)
	cl := e.client()
	csrf := e.login(cl, "vic")
	for _, c := range []struct {
		field string
		want  int
	}{{"", 403}, {"forged", 403}, {csrf, 303}} {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		if c.field != "" {
			mw.WriteField("csrf", c.field)
		}
		fw, _ := mw.CreateFormFile("file", "big.bin")
		fw.Write(bytes.Repeat([]byte("x"), 200<<10)) // larger than the URL-encoded limit
		mw.Close()
		resp, b := e.do(cl, "POST", "/logout", reqOpt{body: buf.String(), ctype: mw.FormDataContentType()})
		if resp.StatusCode != c.want {
			t.Errorf("multipart csrf %q: %d, want %d: %s", c.field, resp.StatusCode, c.want, b)
		}
	}
}
