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
	for _, c := range []struct {
		method, path, body string
		status             int
		en, fr             string
	}{
		{"POST", "/api/v1/integrity/feeds", `{"url":"http://a.example/f.xml","every_minutes":60}`, 409, "url: this feed is already polled", "url : ce flux est déjà interrogé"},
		{"PUT", "/api/v1/integrity/terms/" + strconv.FormatInt(snake.ID, 10), `{"term":"cafard","language":"fr","severity":2}`, 400,
			`term: "cafard" (fr) is already term 1`, `term : "cafard" (fr) est déjà le terme 1`},
	} {
		resp, b := e.do(nil, c.method, c.path, reqOpt{token: ana, body: c.body})
		var v keyedAnswer
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s %s: %s %v", c.method, c.path, b, err)
		}
		m := v.said()
		if resp.StatusCode != c.status || v.Error != c.en || m.Text("en") != c.en || m.Text("fr") != c.fr {
			t.Errorf("%s %s: %d %s: %q / %q, want %d %q %q", c.method, c.path, resp.StatusCode, b, m.Text("en"), m.Text("fr"), c.status, c.en, c.fr)
		}
	}
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
	apperrtest.Said(t, "stale check", err, "state : quelqu'un d'autre a modifié cette vérification : rechargez-la")
}

// TestStoreNotFoundKey: a record the store does not have, answered with
// its bare "not found" (apperr.ErrNotFound), carries the sentinel's
// catalog message, « introuvable » on a French page; an event the map
// opens names its id.
func TestStoreNotFoundKey(t *testing.T) {
	e := newIntegrityEnv(t)
	for _, c := range []struct{ path, en, fr string }{
		{"/api/v1/integrity/items/999999", "not found", "introuvable"},
		{"/api/v1/events/999999", "no event with id 999999", "aucun événement avec l'identifiant 999999"},
	} {
		path := c.path
		resp, b := e.do(nil, "GET", path, reqOpt{token: e.tokens["ana"]})
		var v keyedAnswer
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s: %s %v", path, b, err)
		}
		m := v.said()
		if resp.StatusCode != 404 || v.Error != c.en || m.Text("en") != v.Error || m.Text("fr") != c.fr {
			t.Errorf("GET %s: %d %s: %q / %q, want 404 %q / %q", path, resp.StatusCode, b, m.Text("en"), m.Text("fr"), c.en, c.fr)
		}
	}
}
