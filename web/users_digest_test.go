package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
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
