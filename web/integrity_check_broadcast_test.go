package web

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/integrity"
)

// TestIntegrityCheckBroadcast: a broadcast is sent from a check, or an
// earlier one linked to it. The check's history then shows it (its
// channel, when, how many recipients and what became of their messages:
// counts, never a number), the link is logged and audited, and the
// broadcast's reach is the record of how the claim was answered: a
// planned response moves to « responded » with it, as it does when the
// fact-check's answer reached a tipline sender. A broadcast answers one
// check: linking it to another is a keyed 400 naming "broadcast".
// Before, the analyst could only type how the claim was answered.
func TestIntegrityCheckBroadcast(t *testing.T) {
	e := newCheckEnv(t)
	ana := e.tokens["ana"]
	ctx := context.Background()
	for i, p := range []string{"+243811000201", "+243811000202"} {
		if _, err := e.server.Contacts.Create(ctx, "ana", contacts.Input{Phone: p, Name: "c" + i64s(int64(i)), Language: "fr", Groups: []string{"bunia"}, ConsentHow: "verbal"}); err != nil {
			t.Fatal(err)
		}
	}
	call := func(method, path, body string, want int) []byte {
		t.Helper()
		resp, b := e.do(nil, method, path, reqOpt{token: ana, body: body})
		if resp.StatusCode != want {
			t.Fatalf("%s %s %s: %d, want %d: %s", method, path, body, resp.StatusCode, want, b)
		}
		if strings.Contains(string(b), "81100020") {
			t.Errorf("a number in the answer to %s %s: %s", method, path, b)
		}
		return b
	}
	planned := func(source, text string) string {
		t.Helper()
		it, err := e.integ.AddOne(ctx, "ana", integrity.Item{Source: "Radio Okapi", SourceID: source, Kind: "radio", Text: text, Lang: "fr"})
		if err != nil {
			t.Fatal(err)
		}
		base := "/api/v1/integrity/narratives/" + i64s(it.Narrative) + "/check"
		for _, step := range []string{`{"state":"verifying"}`, `{"claim":"The Rutshuru bridge will be destroyed tonight"}`,
			`{"state":"rated","rating":"false","summary_fr":"Le pont est ouvert et gardé."}`} {
			call("POST", base, step, 200)
		}
		call("POST", base+"/publish", "", 200)
		call("POST", base, `{"state":"response_planned"}`, 200)
		return base
	}
	base := planned("r-1", checkRumour)
	send := `{"channel_id":` + i64s(e.tip.ID) + `,"group":"bunia","messages":{"fr":"Faux : le pont de Rutshuru est ouvert."}}`
	var c integrity.Check
	if err := json.Unmarshal(call("POST", base+"/broadcasts", send, 200), &c); err != nil {
		t.Fatal(err)
	}
	if c.State != integrity.CheckResponded || len(c.Broadcasts) != 1 {
		t.Fatalf("after a broadcast from the check: %s with %+v broadcasts, want responded with 1", c.State, c.Broadcasts)
	}
	b := c.Broadcasts[0]
	if b.ID == 0 || b.Channel != "Bunia tipline" || b.Recipients != 2 || b.Pending != 2 || b.QueuedAt == nil || b.Group != "bunia" {
		t.Errorf("the check's broadcast %+v, want 2 recipients pending on Bunia tipline, to the group bunia", b)
	}
	kinds := []string{}
	for _, l := range c.Log {
		kinds = append(kinds, l.Kind+":"+l.To)
	}
	if got := strings.Join(kinds[len(kinds)-2:], " "); got != "broadcast: state:responded" {
		t.Errorf("log ends %q, want the broadcast then the move to responded", got)
	}
	// An earlier broadcast, sent from the Broadcasts page, linked to the
	// check afterwards.
	var other contacts.Broadcast
	json.Unmarshal(call("POST", "/api/v1/broadcasts", send, 201), &other)
	json.Unmarshal(call("POST", base+"/broadcasts", `{"broadcast":`+i64s(other.ID)+`}`, 200), &c)
	if len(c.Broadcasts) != 2 || c.Broadcasts[1].ID != other.ID || c.Broadcasts[1].Recipients != 2 {
		t.Errorf("after linking broadcast %d: %+v", other.ID, c.Broadcasts)
	}
	var got contacts.Broadcast
	if json.Unmarshal(call("GET", "/api/v1/broadcasts/"+i64s(other.ID), "", 200), &got); got.Check != c.Narrative {
		t.Errorf("broadcast %d answers check %d, want %d", other.ID, got.Check, c.Narrative)
	}
	// Linked again to the same check: nothing changes; to another: refused.
	call("POST", base+"/broadcasts", `{"broadcast":`+i64s(other.ID)+`}`, 200)
	second := planned("r-2", "L’eau du forage de Kiwanja a été empoisonnée par les soldats, ne la buvez pas")
	for _, k := range []keyedCase{
		{name: "another check's broadcast", method: "POST", path: second + "/broadcasts", body: `{"broadcast":` + i64s(other.ID) + `}`, opt: reqOpt{token: ana}, status: 400,
			fr: "broadcast\u00a0: la diffusion " + i64s(other.ID) + " répond déjà à la vérification du récit " + i64s(c.Narrative)},
		{name: "neither", method: "POST", path: second + "/broadcasts", body: `{}`, opt: reqOpt{token: ana}, status: 400,
			fr: "broadcast\u00a0: donnez la diffusion à lier (son numéro), ou celle à envoyer"},
	} {
		k.opt.body = k.body
		resp, b := e.do(nil, k.method, k.path, k.opt)
		k.check(t, resp.StatusCode, b)
		if _, field := jsonErr(t, b); field != "broadcast" {
			t.Errorf("%s: field %q, want broadcast", k.name, field)
		}
	}
	recs, _ := e.db.AuditLog(ctx, audit.Filter{Limit: 1000})
	n := 0
	for _, r := range recs {
		if strings.Contains(r.Detail, "81100020") {
			t.Errorf("a number in the audit: %+v", r)
		}
		if r.Action == "integrity.check.broadcast" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d audit entries of a broadcast linked to a check, want 2", n)
	}
}

// TestBroadcastEmptyAudienceRefused: a broadcast whose audience reaches
// no one (a group without contacts, a point with no contact within its
// radius, a group whose every contact opted out) is refused with a keyed
// 422 naming the audience's field, from the Contacts page's POST
// /api/v1/broadcasts and from a check's POST .../check/broadcasts alike,
// and nothing is written: no broadcast, nothing in the check's history.
// Before, it was queued to 0 people and the form only warned.
func TestBroadcastEmptyAudienceRefused(t *testing.T) {
	e := newCheckEnv(t)
	ana := e.tokens["ana"]
	ctx := context.Background()
	lat, lon := 1.56, 30.25 // Bunia
	for _, in := range []contacts.Input{
		{Phone: "+243811000301", Language: "fr", Groups: []string{"bunia"}, Lat: &lat, Lon: &lon, ConsentHow: "verbal"},
		{Phone: "+243811000302", Language: "fr", Groups: []string{"gone"}, ConsentHow: "verbal"},
	} {
		if _, err := e.server.Contacts.Create(ctx, "ana", in); err != nil {
			t.Fatal(err)
		}
	}
	if o, err := e.server.Contacts.InboundSMS(ctx, "+243811000302", "STOP"); err != nil || o == nil {
		t.Fatalf("opt-out: %v %v", o, err)
	}
	it, err := e.integ.AddOne(ctx, "ana", integrity.Item{Source: "Radio Okapi", SourceID: "r-empty", Kind: "radio", Text: checkRumour, Lang: "fr"})
	if err != nil {
		t.Fatal(err)
	}
	check := "/api/v1/integrity/narratives/" + i64s(it.Narrative) + "/check"
	if resp, b := e.do(nil, "POST", check, reqOpt{token: ana, body: `{"state":"verifying"}`}); resp.StatusCode != 200 {
		t.Fatalf("start the check: %d %s", resp.StatusCode, b)
	}
	count := func() (int, int) {
		t.Helper()
		bs, err := e.server.Contacts.ListBroadcasts(ctx, 500)
		if err != nil {
			t.Fatal(err)
		}
		c, err := e.integ.GetCheck(ctx, it.Narrative)
		if err != nil {
			t.Fatal(err)
		}
		return len(bs), len(c.Log)
	}
	bs0, log0 := count()
	body := func(audience string) string {
		return `{"channel_id":` + i64s(e.tip.ID) + `,` + audience + `,"messages":{"fr":"Le pont est ouvert."}}`
	}
	for _, path := range []string{"/api/v1/broadcasts", check + "/broadcasts"} {
		for _, c := range []struct{ name, audience, field, fr string }{
			{"a group with no contact", `"group":"nobody"`, "group",
				"group\u00a0: aucun contact dans le groupe «\u202fnobody\u202f»\u00a0: ajoutez-en sur la page Contacts, ou choisissez un autre public"},
			{"no contact near the point", `"lat":-4.32,"lon":15.31,"radius_km":20`, "lat",
				"lat\u00a0: aucun contact dont le lieu est connu n’est dans cette zone\u00a0: ajoutez-en sur la page Contacts, ou choisissez un autre public"},
			{"every contact opted out", `"group":"gone"`, "group",
				"group\u00a0: tous les contacts de ce public se sont désinscrits (1)\u00a0: personne ne recevrait la diffusion"},
		} {
			k := keyedCase{name: c.name, method: "POST", path: path, fr: c.fr, status: 422}
			resp, b := e.do(nil, k.method, k.path, reqOpt{token: ana, body: body(c.audience)})
			k.check(t, resp.StatusCode, b)
			var v struct{ Field string }
			if json.Unmarshal(b, &v); v.Field != c.field {
				t.Errorf("%s %s: field %q, want %q", path, c.name, v.Field, c.field)
			}
		}
	}
	if bs, log := count(); bs != bs0 || log != log0 {
		t.Errorf("after the refusals: %d broadcasts and %d log entries, want %d and %d (nothing written)", bs, log, bs0, log0)
	}
	// The same form to the group that has a contact goes.
	if resp, b := e.do(nil, "POST", "/api/v1/broadcasts", reqOpt{token: ana, body: body(`"group":"bunia"`)}); resp.StatusCode != 201 {
		t.Fatalf("a broadcast to a group with a contact: %d %s", resp.StatusCode, b)
	}
	// Scheduled for later, the empty group is kept (it may be filled
	// before then), and the answer says it reaches no one now: the
	// broadcast itself, and the check's broadcast sent from it.
	later := `"at":"` + time.Now().Add(24*time.Hour).UTC().Format(time.RFC3339) + `"`
	for _, c := range []struct{ path, status string }{{"/api/v1/broadcasts", "201"}, {check + "/broadcasts", "200"}} {
		resp, b := e.do(nil, "POST", c.path, reqOpt{token: ana, body: body(`"group":"nobody",` + later)})
		var v struct {
			NoOneNow   bool `json:"no_one_now"`
			Broadcasts []struct {
				Group    string
				NoOneNow bool `json:"no_one_now"`
			}
		}
		if err := json.Unmarshal(b, &v); err != nil || strconv.Itoa(resp.StatusCode) != c.status {
			t.Fatalf("%s scheduled to an empty group: %d %s, want %s", c.path, resp.StatusCode, b, c.status)
		}
		if c.path != "/api/v1/broadcasts" {
			v.NoOneNow = len(v.Broadcasts) == 1 && v.Broadcasts[0].Group == "nobody" && v.Broadcasts[0].NoOneNow
		}
		if !v.NoOneNow {
			t.Errorf("%s scheduled to an empty group: %s, want no one now said", c.path, b)
		}
	}
}
