package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/postgres"
	"github.com/vigil-project/vigil/storage/sqlite"
	"github.com/vigil-project/vigil/surveys"
)

// TestOpenRosaBasicNeedsTLS: HTTP Basic sends the password in clear, so it
// is refused unless the request arrived over TLS — on the server's own TLS
// listener, or through a proxy the operator declared (BehindTLSProxy) that
// says X-Forwarded-Proto: https. The refusal offers Digest, not Basic.
func TestOpenRosaBasicNeedsTLS(t *testing.T) {
	e := newOREnv(t)
	e.enableDigest("enum", orPassword)
	cases := []struct {
		name       string
		tls        bool   // the server's own TLS listener
		proxy      bool   // Server.BehindTLSProxy
		forwarded  string // X-Forwarded-Proto sent
		want       int
		basicOffer bool
	}{
		{"plain HTTP", false, false, "", 401, false},
		{"plain HTTP claiming https, no proxy declared", false, false, "https", 401, false},
		{"declared proxy, plain hop", false, true, "http", 401, false},
		{"declared proxy, TLS hop", false, true, "https", 200, true},
		{"own TLS listener", true, false, "", 200, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &Server{DB: e.db, Surveys: e.svc, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BehindTLSProxy: c.proxy}
			var srv *httptest.Server
			if c.tls {
				srv = httptest.NewTLSServer(s.Handler())
			} else {
				srv = httptest.NewServer(s.Handler())
			}
			defer srv.Close()
			req, _ := http.NewRequest("GET", srv.URL+"/formList", nil)
			req.SetBasicAuth("enum", orPassword)
			if c.forwarded != "" {
				req.Header.Set("X-Forwarded-Proto", c.forwarded)
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.want {
				t.Fatalf("Basic: %d %s, want %d", resp.StatusCode, b, c.want)
			}
			if c.want == 401 {
				if !strings.Contains(string(b), "HTTPS") {
					t.Errorf("the refusal does not say why: %s", b)
				}
				d, basic := challenges(t, resp)
				if basic != c.basicOffer || d.nonce == "" {
					t.Errorf("challenges %v: Basic offered %v, want %v; Digest %+v", resp.Header.Values("WWW-Authenticate"), basic, c.basicOffer, d)
				}
				// Digest works on the same plain connection.
				dr, _ := http.NewRequest("GET", srv.URL+"/formList", nil)
				dr.Header.Set("Authorization", digestAuth(d, "enum", orPassword, "GET", "/formList", 1))
				resp, err := srv.Client().Do(dr)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != 200 {
					t.Errorf("Digest after the refusal: %d", resp.StatusCode)
				}
			}
		})
	}
}

// TestOpenRosaBasicSameWorkForUnknownUsers: a wrong password for a real
// user costs an argon2id verification (~30 ms); an unknown or disabled user
// must cost the same, or the answer's timing tells which names exist. The
// test counts verifications instead of timing them.
func TestOpenRosaBasicSameWorkForUnknownUsers(t *testing.T) {
	e := newOREnv(t)
	ctx := context.Background()
	yes := true
	if _, err := e.db.UpdateUser(ctx, "test", "outsider", auth.AccountChange{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int64
	e.s.orLogin.Verify = func(hash, pw string) bool { calls.Add(1); return auth.VerifyPassword(hash, pw) }
	for _, c := range []struct{ name, user string }{
		{"wrong password", "enum:wrong"},
		{"unknown user", "nobody-here"},
		{"unknown user, password-like name", "Summer2026!"},
		{"disabled user", "outsider"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := calls.Load()
			resp, _ := e.req("GET", "/formList", c.user, "", nil)
			if resp.StatusCode != 401 {
				t.Fatalf("%d, want 401", resp.StatusCode)
			}
			if n := calls.Load() - before; n != 1 {
				t.Fatalf("%d password verifications, want 1 (as for a wrong password)", n)
			}
		})
	}
}

// sharedDB opens two handles on one fresh database, standing for two
// servers: the same SQLite directory, and (with VIGIL_TEST_POSTGRES) one
// PostgreSQL schema. reopen gives a third, for a restarted server.
type sharedDB struct {
	name   string
	a, b   *storage.DB
	reopen func(t *testing.T) *storage.DB
}

func sharedDBs(t *testing.T) []sharedDB {
	ctx := context.Background()
	dir := t.TempDir()
	openSQLite := func(t *testing.T) *storage.DB { return testutil.StoreAt(t, dir, sqlite.Options{}) }
	out := []sharedDB{{name: "sqlite", a: openSQLite(t), b: openSQLite(t), reopen: openSQLite}}
	base := testutil.PostgresURL(t)
	if base == "" {
		t.Log("VIGIL_TEST_POSTGRES not set: two servers on SQLite only")
		return out
	}
	dsn := testutil.PostgresSchema(t, base, "vw_login")
	openPG := func(t *testing.T) *storage.DB {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	a := openPG(t) // migrates first
	return append(out, sharedDB{name: "postgres", a: a, b: openPG(t), reopen: openPG})
}

// TestLoginLockoutAcrossServers: five wrong passwords on server A lock the
// account on server B too, and on a restarted server; for the web login and
// for OpenRosa Basic alike. The failure counts live in the database.
func TestLoginLockoutAcrossServers(t *testing.T) {
	for _, d := range sharedDBs(t) {
		t.Run(d.name, func(t *testing.T) {
			ctx := context.Background()
			keyDir := t.TempDir()
			keys, err := crypt.Load(keyDir) // the keyring every server shares
			if err != nil {
				t.Fatal(err)
			}
			hash, err := auth.HashPassword(orPassword)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := d.a.CreateUser(ctx, "test", auth.Account{Name: "lena", Role: auth.Viewer, PasswordHash: hash}); err != nil {
				t.Fatal(err)
			}
			start := func(db *storage.DB) *httptest.Server {
				s := &Server{DB: db, Surveys: &surveys.Service{Store: db, Keys: keys, Auditor: db},
					Log: slog.New(slog.NewTextHandler(io.Discard, nil)), BehindTLSProxy: true}
				srv := httptest.NewServer(viaTLSProxy(s.Handler()))
				t.Cleanup(srv.Close)
				return srv
			}
			a, b := start(d.a), start(d.b)

			webLogin := func(srv *httptest.Server, pw string) int {
				env := &testEnv{t: t, srv: srv}
				cl := env.client()
				tok := env.loginForm(cl, "")
				resp, _ := env.do(cl, "POST", "/login", reqOpt{body: form("name", "lena", "password", pw, "csrf", tok), ctype: formType})
				return resp.StatusCode
			}
			formList := func(srv *httptest.Server, user, pw string) int {
				req, _ := http.NewRequest("GET", srv.URL+"/formList", nil)
				req.SetBasicAuth(user, pw)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp.StatusCode
			}
			basic := func(srv *httptest.Server, pw string) int { return formList(srv, "lena", pw) }
			for _, c := range []struct {
				name     string
				try      func(*httptest.Server, string) int
				failures int
				ok       int
			}{
				{"web login", webLogin, 5, http.StatusSeeOther},
				{"OpenRosa Basic", basic, 10, http.StatusOK},
			} {
				t.Run(c.name, func(t *testing.T) {
					for i := 0; i < c.failures; i++ {
						if got := c.try(a, "wrong password!"); got != 401 {
							t.Fatalf("failure %d on A: %d", i+1, got)
						}
					}
					if got := c.try(b, orPassword); got != http.StatusTooManyRequests {
						t.Fatalf("right password on B after %d failures on A: %d, want 429", c.failures, got)
					}
					restarted := start(d.reopen(t))
					if got := c.try(restarted, orPassword); got != http.StatusTooManyRequests {
						t.Fatalf("right password on a restarted server: %d, want 429", got)
					}
				})
			}
			// Another user is not locked out.
			if _, err := d.a.CreateUser(ctx, "test", auth.Account{Name: "omar", Role: auth.Viewer, PasswordHash: hash}); err != nil {
				t.Fatal(err)
			}
			if got := formList(b, "omar", orPassword); got != 200 {
				t.Fatalf("another user on B: %d", got)
			}
		})
	}
}
