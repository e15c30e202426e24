package web

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/integrity"
)

// TestIntegrityRespondSaysHow: a check moves to "responded" only with a
// record of how the claim was answered. A rumour nobody sent to a tipline
// (a radio note) is rated and published: sending the answer reaches no
// one and leaves the response planned, and the move to responded without
// a word of how is refused (a keyed 400 naming "response", in French on a
// French page); with "Radio Okapi 14 h" it is made, the words in the
// check's log and the move audited. "response" is given only with that
// move.
func TestIntegrityRespondSaysHow(t *testing.T) {
	e := newCheckEnv(t)
	ana := e.tokens["ana"]
	ctx := context.Background()
	it, err := e.integ.AddOne(ctx, "ana", integrity.Item{Source: "Radio Okapi", SourceID: "r-1", Kind: "radio", Text: checkRumour, Lang: "fr"})
	if err != nil {
		t.Fatal(err)
	}
	base := "/api/v1/integrity/narratives/" + i64s(it.Narrative) + "/check"
	call := func(method, path, body string, want int) []byte {
		t.Helper()
		resp, b := e.do(nil, method, path, reqOpt{token: ana, body: body})
		if resp.StatusCode != want {
			t.Fatalf("%s %s %s: %d, want %d: %s", method, path, body, resp.StatusCode, want, b)
		}
		return b
	}
	for _, step := range []string{`{"state":"verifying"}`, `{"claim":"The Rutshuru bridge will be destroyed tonight"}`,
		`{"state":"rated","rating":"false","summary_fr":"Le pont est ouvert et gardé."}`} {
		call("POST", base, step, 200)
	}
	call("POST", base+"/publish", "", 200)
	call("POST", base, `{"state":"response_planned"}`, 200)
	if b := call("POST", base+"/answers", "", 200); !strings.Contains(string(b), `"sent":0`) {
		t.Fatalf("answers %s", b)
	}
	var c integrity.Check
	json.Unmarshal(call("GET", base, "", 200), &c)
	if c.State != integrity.CheckResponsePlanned {
		t.Fatalf("after answers that reached no one the check is %q, want response_planned", c.State)
	}
	ask := func(body, fr string) keyedCase {
		return keyedCase{method: "POST", path: base, body: body, opt: reqOpt{token: ana}, status: 400, fr: fr}
	}
	for _, c := range []keyedCase{
		ask(`{"state":"responded"}`, "response\u00a0: dites comment la réponse a été donnée (par ex. «\u202fRadio Okapi 14 h\u202f»)\u00a0: la réponse de la vérification n’a été envoyée à aucune personne qui a signalé la rumeur"),
		ask(`{"state":"responded","response":"  "}`, ""),
		ask(`{"response":"Radio Okapi 14 h"}`, ""),
		ask(`{"state":"closed","response":"Radio Okapi 14 h"}`, ""),
	} {
		resp, b := e.do(nil, c.method, c.path, reqOpt{token: ana, body: c.body})
		c.check(t, resp.StatusCode, b)
		if _, field := jsonErr(t, b); field != "response" {
			t.Errorf("%s: field %q, want response", c.body, field)
		}
	}
	json.Unmarshal(call("POST", base, `{"state":"responded","response":"Radio Okapi 14 h"}`, 200), &c)
	last := c.Log[len(c.Log)-1]
	if c.State != integrity.CheckResponded || last.Kind != integrity.LogState || last.To != integrity.CheckResponded || last.Text != "Radio Okapi 14 h" {
		t.Errorf("responded %q, last log entry %+v", c.State, last)
	}
	recs, _ := e.db.AuditLog(ctx, audit.Filter{Limit: 1000})
	found := false
	for _, r := range recs {
		if r.Action == "integrity.check.state" && r.Detail == "state response_planned → responded: Radio Okapi 14 h" {
			found = true
		}
	}
	if !found {
		t.Errorf("the move to responded is not audited with how: %+v", recs)
	}
}
