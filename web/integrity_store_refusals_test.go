package web

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/apperr/apperrtest"
)

// TestIntegrityStoreRefusalKeys: the integrity store's own refusals a
// user meets on the Integrity and Verify pages carry their catalog
// message, English unchanged: a feed added twice (409) and a term renamed
// to another term's words (400) through the API, and a check changed by
// someone else meanwhile (the store's optimistic check).
func TestIntegrityStoreRefusalKeys(t *testing.T) {
	e := newIntegrityEnv(t)
	ana := e.tokens["ana"]
	post := func(path, body string) []byte {
		t.Helper()
		resp, b := e.do(nil, "POST", path, reqOpt{token: ana, body: body})
		if resp.StatusCode != 201 {
			t.Fatalf("POST %s: %d %s", path, resp.StatusCode, b)
		}
		return b
	}
	post("/api/v1/integrity/feeds", `{"url":"http://a.example/f.xml","every_minutes":60}`)
	post("/api/v1/integrity/terms", `{"term":"cafard","language":"fr","severity":2}`)
	var snake integrity.Term
	if err := json.Unmarshal(post("/api/v1/integrity/terms", `{"term":"serpent","language":"fr","severity":2}`), &snake); err != nil {
		t.Fatal(err)
	}
	checkKeyed(t, e, []keyedCase{
		{method: "POST", path: "/api/v1/integrity/feeds", body: `{"url":"http://a.example/f.xml","every_minutes":60}`, opt: reqOpt{token: ana}, status: 409,
			en: "url: this feed is already polled", fr: "url\u00a0: ce flux est déjà interrogé"},
		{method: "PUT", path: "/api/v1/integrity/terms/" + strconv.FormatInt(snake.ID, 10), body: `{"term":"cafard","language":"fr","severity":2}`, opt: reqOpt{token: ana}, status: 400,
			en: `term: "cafard" (fr) is already term 1`, fr: "term\u00a0: «\u202fcafard\u202f» (fr) est déjà le terme 1"},
	})
	// A check saved from a state it is no longer in.
	ctx := context.Background()
	if resp, b := e.do(nil, "POST", "/api/v1/integrity/import?name=x.csv", reqOpt{token: ana, body: integrityExport}); resp.StatusCode != 200 {
		t.Fatalf("import: %d %s", resp.StatusCode, b)
	}
	c := integrity.Check{Narrative: 1, State: "monitoring", Claim: "x"}
	if err := e.db.SaveCheck(ctx, "ana", "", &c, integrity.CheckEntry{}); err != nil {
		t.Fatal(err)
	}
	err := e.db.SaveCheck(ctx, "bob", "new", &c, integrity.CheckEntry{})
	if k, _ := apperr.KindOf(err); k != apperr.KindConflict || apperr.FieldOf(err) != "state" {
		t.Errorf("stale check: %v, want a conflict on state", err)
	}
	apperrtest.Said(t, "stale check", err, "state\u00a0: quelqu’un d’autre a modifié cette vérification\u00a0: rechargez-la")
}

// TestStoreNotFoundKey: a record the store does not have, answered with
// its bare "not found" (apperr.ErrNotFound), carries the sentinel's
// catalog message, « introuvable » on a French page; an event the map
// opens names its id.
func TestStoreNotFoundKey(t *testing.T) {
	e := newIntegrityEnv(t)
	ana := reqOpt{token: e.tokens["ana"]}
	checkKeyed(t, e, []keyedCase{
		{method: "GET", path: "/api/v1/integrity/items/999999", opt: ana, status: 404, en: "not found", fr: "introuvable"},
		{method: "GET", path: "/api/v1/events/999999", opt: ana, status: 404, en: "no event with id 999999", fr: "aucun événement avec l’identifiant 999999"},
	})
}
