package web

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/vigil-project/vigil/auth"
)

// TestIntegrityAssignees: the Verify page offers « Confié à » from the
// users who may verify (analyst and admin, enabled), by name only, to an
// analyst; a viewer or responder is refused (403), and the answer holds no
// role, id or date.
func TestIntegrityAssignees(t *testing.T) {
	e := newIntegrityEnv(t) // ana (analyst), vic (viewer)
	ctx := context.Background()
	e.addUser(ctx, "ada", auth.Admin)
	e.addUser(ctx, "rex", auth.Responder)
	e.addUser(ctx, "zoe", auth.Analyst)
	e.addUser(ctx, "old", auth.Analyst)
	off := true
	if _, err := e.s.Auth.UpdateUser(ctx, "test", "old", auth.Change{Disabled: &off}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		who    string
		status int
		names  []string
	}{
		{"ana", 200, []string{"ada", "ana", "zoe"}},
		{"ada", 200, []string{"ada", "ana", "zoe"}},
		{"rex", 403, nil},
		{"vic", 403, nil},
	} {
		t.Run(tc.who, func(t *testing.T) {
			resp, b := e.do(nil, "GET", "/api/v1/integrity/assignees", reqOpt{token: e.tokens[tc.who]})
			if resp.StatusCode != tc.status {
				t.Fatalf("%d %s, want %d", resp.StatusCode, b, tc.status)
			}
			if tc.status != 200 {
				return
			}
			var got map[string]any
			if err := json.Unmarshal(b, &got); err != nil || len(got) != 1 {
				t.Fatalf("answer %s (%v), want only names", b, err)
			}
			var v struct{ Names []string }
			if err := json.Unmarshal(b, &v); err != nil || !slices.Equal(v.Names, tc.names) {
				t.Fatalf("names %s (%v), want %v", b, err, tc.names)
			}
		})
	}
}
