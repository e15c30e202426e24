package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/auth"
)

// FuzzAuthInputs sends arbitrary login forms and arbitrary JSON bodies to
// the user and token endpoints (as an admin, by bearer token) and requires
// an answer below 500 — and never a session for a wrong password.
func FuzzAuthInputs(f *testing.F) {
	addRouteSeeds(f,
		[]string{"name=vic&password=x&csrf=y", "name=%ff%fe&password=&csrf=", strings.Repeat("a=b&", 1000)},
		[]string{`{"name":"eve","role":"viewer","password":"a long test password"}`, `{"name":"","role":"","password":""}`, `{"name":"x","role":"admin","password":"\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000"}`},
		[]string{`{"role":"analyst"}`, `{"disabled":null,"password":null}`},
		[]string{`{"user":"vic","name":"x","ttl_days":99999999999999999999}`, `[]`},
	)
	e := newEnv(f)
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		var req *http.Request
		switch which % 4 {
		case 0:
			req = httptest.NewRequest("POST", "/login", strings.NewReader(body))
			req.Header.Set("Content-Type", formType)
		case 1:
			req = httptest.NewRequest("POST", "/api/v1/users", strings.NewReader(body))
		case 2:
			req = httptest.NewRequest("PATCH", "/api/v1/users/vic", strings.NewReader(body))
		case 3:
			req = httptest.NewRequest("POST", "/api/v1/tokens", strings.NewReader(body))
		}
		if which%4 != 0 {
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+e.tokens["ada"])
		}
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", req.Method, req.URL.Path, body, w.Code, w.Body.String())
		}
		if which%4 == 0 && strings.Contains(w.Header().Get("Set-Cookie"), sessionCookie+"=") {
			t.Fatalf("login form %q without a valid CSRF cookie opened a session", body)
		}
	})
}

func TestPageRouteRedirectsToLogin(t *testing.T) {
	e := newEnv(t)
	s := &Server{DB: e.db}
	h := s.Handler()
	s.route("GET /reports", auth.Viewer, func(w http.ResponseWriter, r *http.Request) error {
		_, err := w.Write([]byte("report for " + csrfFrom(r.Context())))
		return err
	})
	cases := []struct {
		name, accept, auth string
		want               int
		loc                string
	}{
		{"browser without session", "text/html,application/xhtml+xml", "", 303, "/login?next=%2Freports%3Fy%3D2017"},
		{"script without session", "application/json", "", 401, ""},
		{"token", "text/html", "Bearer " + e.tokens["vic"], 200, ""},
	}
	for _, c := range cases {
		req := httptest.NewRequest("GET", "/reports?y=2017", nil)
		req.Header.Set("Accept", c.accept)
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != c.want || w.Header().Get("Location") != c.loc {
			t.Errorf("%s: %d Location %q, want %d %q", c.name, w.Code, w.Header().Get("Location"), c.want, c.loc)
		}
	}
}
