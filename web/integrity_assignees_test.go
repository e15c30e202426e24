package web

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/auth"
)

// TestIntegrityAssignees: the Verify page offers « Confié à » from the
// users who may verify (analyst and admin, enabled), by name only, to an
// analyst; a viewer or responder is refused (403), and the answer holds no
// role, id or date.
func TestIntegrityAssignees(t *testing.T) {
	e := assigneesEnv(t)
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

// TestIntegrityAssignmentAgrees: a check is given only to a name the
// « Confié à » list offers (an enabled analyst or administrator), or to no
// one; another name (a viewer, a responder, a disabled analyst, no user)
// is refused naming assignee, said in French too, and nothing is written.
// Before, any text was taken: the list and what it offered disagreed.
func TestIntegrityAssignmentAgrees(t *testing.T) {
	e := assigneesEnv(t)
	ana := reqOpt{token: e.tokens["ana"]}
	if resp, b := e.do(nil, "POST", "/api/v1/integrity/import?name=x.csv", reqOpt{token: ana.token, body: integrityExport}); resp.StatusCode != 200 {
		t.Fatalf("import: %d %s", resp.StatusCode, b) // narrative 1 for its check
	}
	const path = "/api/v1/integrity/narratives/1/check"
	for _, who := range []string{"ada", "ana", ""} {
		if resp, b := e.do(nil, "POST", path, reqOpt{token: ana.token, body: `{"assignee":"` + who + `"}`}); resp.StatusCode != 200 {
			t.Errorf("assign %q: %d %s", who, resp.StatusCode, b)
		}
	}
	var cases []keyedCase
	for _, who := range []string{"vic", "rex", "old", "Amina"} {
		cases = append(cases, keyedCase{name: who, method: "POST", path: path, body: `{"assignee":"` + who + `"}`, opt: ana, status: 400,
			key: "refusal.field", fr: "assignee\u00a0: «\u202f" + who + "\u202f» n’est pas un analyste ou un administrateur actif (les personnes à qui une vérification peut être confiée)"})
	}
	checkKeyed(t, e, cases)
	if _, b := e.do(nil, "GET", path, ana); !strings.Contains(string(b), `"assignee":""`) {
		t.Errorf("after the refusals: %s, want no assignee", b)
	}
}

// assigneesEnv is an integrity server with ana (analyst), vic (viewer), ada
// (admin), rex (responder), zoe (analyst) and old (a disabled analyst).
func assigneesEnv(t *testing.T) *testEnv {
	e := newIntegrityEnv(t)
	ctx := context.Background()
	e.addUser(ctx, "ada", auth.Admin)
	e.addUser(ctx, "rex", auth.Responder)
	e.addUser(ctx, "zoe", auth.Analyst)
	e.addUser(ctx, "old", auth.Analyst)
	off := true
	if _, err := e.s.Auth.UpdateUser(ctx, "test", "old", auth.Change{Disabled: &off}); err != nil {
		t.Fatal(err)
	}
	return e
}
