package web

import (
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/auth"
)

// TestRouteTable: the table is well formed and Handler serves exactly its
// rows, in its order.
func TestRouteTable(t *testing.T) {
	seen := map[string]bool{}
	var want []string
	for _, rt := range routes {
		method, path, ok := strings.Cut(rt.pattern, " ")
		if !ok || method == "" || !strings.HasPrefix(path, "/") {
			t.Errorf("route %q: want \"METHOD /path\"", rt.pattern)
		}
		if seen[rt.pattern] {
			t.Errorf("route %q is in the table twice", rt.pattern)
		}
		seen[rt.pattern] = true
		if rt.min != public && !slices.Contains(auth.Roles, rt.min) {
			t.Errorf("route %q: minimum role %q is neither public nor a role", rt.pattern, rt.min)
		}
		if rt.handler == nil {
			t.Errorf("route %q has no handler", rt.pattern)
		}
		want = append(want, rt.pattern)
	}
	s := &Server{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	s.Handler()
	if got := s.Patterns(); !slices.Equal(got, want) {
		t.Errorf("Handler registered\n%q\nwant the table's\n%q", got, want)
	}
}

// TestRouteTableRoles sends each route that has a minimum role a request
// without credentials (401) and one from the role just below it (403): the
// table's roles are the ones enforced.
func TestRouteTableRoles(t *testing.T) {
	e := newEnv(t)
	tokenOf := map[auth.Role]string{auth.Viewer: e.tokens["vic"], auth.Responder: e.tokens["rex"], auth.Analyst: e.tokens["ana"], auth.Admin: e.tokens["ada"]}
	wild := regexp.MustCompile(`\{[^}]+\}`)
	checked := 0
	for _, rt := range routes {
		if rt.min == public {
			continue
		}
		method, path, _ := strings.Cut(rt.pattern, " ")
		path = strings.TrimSuffix(wild.ReplaceAllStringFunc(path, func(w string) string {
			if w == "{$}" {
				return ""
			}
			return "1"
		}), "/")
		if path == "" {
			path = "/"
		}
		resp, body := e.do(nil, method, path, reqOpt{})
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s %s without a login: %d %s, want 401", method, path, resp.StatusCode, body)
		}
		i := slices.Index(auth.Roles, rt.min)
		if i > 0 {
			below := auth.Roles[i-1]
			resp, body := e.do(nil, method, path, reqOpt{token: tokenOf[below]})
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s as %s (needs %s): %d %s, want 403", method, path, below, rt.min, resp.StatusCode, body)
			}
		}
		checked++
	}
	if checked < 50 {
		t.Errorf("only %d routes with a role checked", checked)
	}
}
