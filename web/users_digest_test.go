package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
)

// TestUsersAPIEnablesDigest: a user created, or given a new password, in
// Administration (the web API) had no HTTP Digest credential, which only
// the command line wrote (vigil user add … --password-stdin): an
// enumerator made in the browser could not log in from ODK Collect on a
// field office's plain-HTTP network (Basic is refused without TLS) until
// someone ran a terminal command. The API now stores the sealed HA1 of the
// password it sets, as the command line does; the user logs in with Digest.
func TestUsersAPIEnablesDigest(t *testing.T) {
	e := newOREnv(t)
	ctx := context.Background()
	tok, _, err := e.s.Auth.CreateToken(ctx, "test", "ada", "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, method, path, user, password string
		body                               map[string]string
	}{
		{"user added in Administration", "POST", "/api/v1/users", "field.enum", "added-in-the-browser-1",
			map[string]string{"name": "field.enum", "role": "viewer", "password": "added-in-the-browser-1"}},
		{"password reset in Administration", "PATCH", "/api/v1/users/enum", "enum", "reset-in-the-browser-2",
			map[string]string{"password": "reset-in-the-browser-2"}},
	}
	for _, c := range cases {
		b, _ := json.Marshal(c.body)
		r, err := http.NewRequest(c.method, e.srv.URL+c.path, bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Authorization", "Bearer "+tok)
		if resp, body := e.roundTrip(r, "application/json"); resp.StatusCode/100 != 2 {
			t.Fatalf("%s: %s %s: %d %s", c.name, c.method, c.path, resp.StatusCode, body)
		}
		ch := e.challenge(t)
		resp, body := e.send("GET", "/formList", digestAuth(ch, c.user, c.password, "GET", "/formList", 1), "", nil)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: ODK Collect's Digest login as %s over plain HTTP: %d %.200s, want 200", c.name, c.user, resp.StatusCode, body)
		}
	}
}

// TestUsersAPIDigestAtomic: the users API wrote the user (or the new
// password) first and the Digest credential after, in two transactions:
// when storing the credential failed, the request answered an error with
// the user already made (or the password already changed, the old Digest
// credential dropped). The credential is now sealed first and stored with
// the user in one transaction: when sealing it, or storing it, fails,
// nothing is written, and the user logs in as before.
func TestUsersAPIDigestAtomic(t *testing.T) {
	e := newOREnv(t)
	e.enableDigest("enum", orPassword)
	ctx := context.Background()
	tok, _, err := e.s.Auth.CreateToken(ctx, "test", "ada", "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	call := func(method, path string, body map[string]string) (int, string) {
		t.Helper()
		b, _ := json.Marshal(body)
		r, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Authorization", "Bearer "+tok)
		resp, got := e.roundTrip(r, "application/json")
		return resp.StatusCode, got
	}
	audited := func() int {
		t.Helper()
		n := 0
		for _, a := range []string{"user.create", "user.update", "user.digest"} {
			recs, err := e.db.AuditLog(ctx, audit.Filter{Action: a})
			if err != nil {
				t.Fatal(err)
			}
			n += len(recs)
		}
		return n
	}
	sealing := e.s.Auth.SealDigest
	failures := []struct {
		name   string
		inject func() (undo func())
	}{
		{"sealing the credential fails", func() func() {
			e.s.Auth.SealDigest = func(string, string) ([]byte, error) { return nil, errors.New("sealing refused (test)") }
			return func() { e.s.Auth.SealDigest = sealing }
		}},
		{"storing the credential fails", func() func() {
			// The database refuses any row given a Digest credential.
			for _, q := range []string{
				`CREATE TRIGGER test_no_digest_insert BEFORE INSERT ON users WHEN NEW.digest_ha1 IS NOT NULL BEGIN SELECT RAISE(ABORT, 'digest refused (test)'); END`,
				`CREATE TRIGGER test_no_digest_update BEFORE UPDATE OF digest_ha1 ON users WHEN NEW.digest_ha1 IS NOT NULL BEGIN SELECT RAISE(ABORT, 'digest refused (test)'); END`,
			} {
				if _, err := e.db.SQL.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			return func() {
				for _, q := range []string{`DROP TRIGGER test_no_digest_insert`, `DROP TRIGGER test_no_digest_update`} {
					if _, err := e.db.SQL.ExecContext(ctx, q); err != nil {
						t.Fatal(err)
					}
				}
			}
		}},
	}
	for _, f := range failures {
		before := audited()
		undo := f.inject()
		if code, body := call("POST", "/api/v1/users", map[string]string{"name": "field.enum", "role": "viewer", "password": "added-in-the-browser-1"}); code/100 == 2 {
			t.Fatalf("%s: user added: %d %s", f.name, code, body)
		}
		if code, body := call("PATCH", "/api/v1/users/enum", map[string]string{"password": "reset-in-the-browser-2"}); code/100 == 2 {
			t.Fatalf("%s: password reset: %d %s", f.name, code, body)
		}
		undo()
		if _, err := e.db.UserByName(ctx, "field.enum"); !errors.Is(err, auth.ErrNoUser) {
			t.Errorf("%s: the refused user was written (%v)", f.name, err)
		}
		if n := audited(); n != before {
			t.Errorf("%s: %d user audit records written by refused requests", f.name, n-before)
		}
		// enum logs in with the old password, Basic and Digest alike.
		if resp, body := e.req("GET", "/formList", "enum", "", nil); resp.StatusCode != http.StatusOK {
			t.Errorf("%s: Basic login with the old password: %d %.200s", f.name, resp.StatusCode, body)
		}
		ch := e.challenge(t)
		if resp, body := e.send("GET", "/formList", digestAuth(ch, "enum", orPassword, "GET", "/formList", 1), "", nil); resp.StatusCode != http.StatusOK {
			t.Errorf("%s: Digest login with the old password: %d %.200s", f.name, resp.StatusCode, body)
		}
	}
	// With nothing failing, the same requests go through.
	if code, body := call("POST", "/api/v1/users", map[string]string{"name": "field.enum", "role": "viewer", "password": "added-in-the-browser-1"}); code != http.StatusCreated {
		t.Fatalf("user added: %d %s", code, body)
	}
	if code, body := call("PATCH", "/api/v1/users/enum", map[string]string{"password": "reset-in-the-browser-2"}); code != http.StatusOK {
		t.Fatalf("password reset: %d %s", code, body)
	}
}
