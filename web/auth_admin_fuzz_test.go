package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/auth"
)

// FuzzAdminQueries sends arbitrary audit-log queries, token ids and user
// names in paths (as an admin) and requires an answer below 500, and a 4xx
// with a JSON message.
func FuzzAdminQueries(f *testing.F) {
	addRouteSeeds(f,
		[]string{"actor=ada&action=login&since=2026-01-01&until=2026-12-31T00:00:00Z&limit=10", "since=yesterday&limit=-1", "limit=99999999999999999999&before=0"},
		[]string{"1", "-1", "9223372036854775808"},
		[]string{"vic", "no body"},
	)
	e := newEnv(f)
	tok := e.tokens["ada"]
	f.Fuzz(func(t *testing.T, which uint8, s string) {
		var method, target string
		switch which % 3 {
		case 0:
			method, target = "GET", "/api/v1/audit?"+s
		case 1:
			method, target = "DELETE", "/api/v1/tokens/"+url.PathEscape(s)
		case 2:
			method, target = "PATCH", "/api/v1/users/"+url.PathEscape(s)
		}
		req, err := http.NewRequest(method, "http://vigil.test"+target, http.NoBody) // a server never hands a handler a nil Body
		if err != nil {
			return
		}
		if which%3 == 2 {
			// No body: the handler must refuse it as bad JSON, not crash.
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, req)
		checkAPIAnswer(t, req, w)
		if method == "DELETE" && w.Code < 300 {
			// Maybe our own token: take a fresh one.
			var err error
			if tok, _, err = auth.NewService(e.db).CreateToken(context.Background(), "test", "ada", "fuzz", 0); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// FuzzSafeNext: the login page's ?next= never leads off the site, even as a
// browser reads it (WHATWG URL parsing drops tabs and newlines and takes
// "\" for "/").
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/", "/#alerts", "//evil.example", "/\\evil.example", "/\t/evil.example", "https://evil.example/",
		"/%2F/evil.example", "/..//evil.example", "/x?next=//evil", "\\\\evil", "/\x00", "/@evil.example"} {
		f.Add(s)
	}
	base, _ := url.Parse("https://vigil.test/login")
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if got != "/" && got != next {
			t.Fatalf("safeNext(%q) = %q: neither the input nor /", next, got)
		}
		browser := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(got)
		u, err := url.Parse(browser)
		if err != nil {
			t.Fatalf("safeNext(%q) = %q does not parse: %v", next, got, err)
		}
		if r := base.ResolveReference(u); r.Host != "vigil.test" || r.Scheme != "https" {
			t.Fatalf("safeNext(%q) = %q leads to %s", next, got, r)
		}
	})
}
