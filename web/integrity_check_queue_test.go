package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/integrity"
)

// TestIntegrityCheckQueueAPI: GET /api/v1/integrity/checks lists the
// checks in progress to a viewer (none before anyone works on a
// narrative), takes state= for one state, and refuses a state that is
// none of the workflow's or another parameter with a 400 JSON message.
func TestIntegrityCheckQueueAPI(t *testing.T) {
	e := newIntegrityEnv(t)
	ana, vic := reqOpt{token: e.tokens["ana"]}, reqOpt{token: e.tokens["vic"]}
	if resp, b := e.do(nil, "POST", "/api/v1/integrity/import?name=x.csv", reqOpt{token: e.tokens["ana"], body: integrityExport}); resp.StatusCode != 200 {
		t.Fatalf("import: %d %s", resp.StatusCode, b)
	}
	queue := func(query string) []int64 {
		t.Helper()
		resp, b := e.do(nil, "GET", "/api/v1/integrity/checks"+query, vic)
		var l struct {
			Checks []struct {
				Narrative int64  `json:"narrative"`
				State     string `json:"state"`
				Sample    string `json:"sample"`
			} `json:"checks"`
			More *bool `json:"more"`
		}
		if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &l) != nil || l.Checks == nil || l.More == nil || *l.More {
			t.Fatalf("GET checks%s: %d %s", query, resp.StatusCode, b)
		}
		var ns []int64
		for _, c := range l.Checks {
			if c.Sample == "" {
				t.Errorf("check %d without its sample: %s", c.Narrative, b)
			}
			ns = append(ns, c.Narrative)
		}
		return ns
	}
	if got := queue(""); len(got) != 0 {
		t.Fatalf("before any check: %v", got)
	}
	for _, step := range []struct{ id, body string }{{"1", `{"state":"monitoring"}`}, {"2", `{"deadline":"2030-01-01 12:00"}`}} {
		if resp, b := e.do(nil, "POST", "/api/v1/integrity/narratives/"+step.id+"/check", reqOpt{token: ana.token, body: step.body}); resp.StatusCode != 200 {
			t.Fatalf("step %s: %d %s", step.body, resp.StatusCode, b)
		}
	}
	for query, want := range map[string][]int64{"": {2, 1}, "?state=monitoring": {1}, "?state=new": {2}, "?state=closed": nil} {
		if got := queue(query); len(got) != len(want) || (len(got) > 0 && (got[0] != want[0] || got[len(got)-1] != want[len(want)-1])) {
			t.Errorf("queue%s: %v, want %v", query, got, want)
		}
	}
	for _, q := range []string{"?state=pending", "?state=", "?limit=5", "?state=new&state=closed"} {
		resp, b := e.do(nil, "GET", "/api/v1/integrity/checks"+q, vic)
		var m struct {
			Error string `json:"error"`
		}
		if q == "?state=" {
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s: %d %s, want every state but closed", q, resp.StatusCode, b)
			}
			continue
		}
		if resp.StatusCode != http.StatusBadRequest || json.Unmarshal(b, &m) != nil || m.Error == "" {
			t.Errorf("%s: %d %s, want 400 with a message", q, resp.StatusCode, b)
		}
	}
	// state=all: the checks in progress and the closed ones in one list
	// (the Verify page's chooser asked twice, once per state).
	if resp, b := e.do(nil, "POST", "/api/v1/integrity/narratives/1/check", reqOpt{token: ana.token, body: `{"state":"closed"}`}); resp.StatusCode != 200 {
		t.Fatalf("close: %d %s", resp.StatusCode, b)
	}
	for query, want := range map[string]string{"": "[2]", "?state=closed": "[1]", "?state=all": "[2 1]"} {
		if got := fmt.Sprint(queue(query)); got != want {
			t.Errorf("after closing 1, queue%s: %s, want %s", query, got, want)
		}
	}
	k := keyedCase{method: "GET", path: "/api/v1/integrity/checks?state=every", opt: vic, status: 400,
		fr: "state\u00a0: «\u202fevery\u202f» n’est pas l’un de all, new, monitoring, verifying, rated, response_planned, responded, closed"}
	resp, b := e.do(nil, k.method, k.path, k.opt)
	k.check(t, resp.StatusCode, b)
	if _, field := jsonErr(t, b); field != "state" {
		t.Errorf("state=every: field %q, want state", field)
	}
}

// TestIntegrityCheckQueueSenders: through the tiplines' real intake, a
// rumour sent three times by one number, once by another and once through
// the WhatsApp webhook is 5 tipline messages from 3 senders in the queue
// of checks; the numbers are in no answer.
func TestIntegrityCheckQueueSenders(t *testing.T) {
	e := newCheckEnv(t)
	e.sms(t, "+243811000001", "q-1", checkRumour)
	e.sms(t, "+243811000001", "q-2", "RT "+checkRumour+" !!")
	e.sms(t, "+243811000001", "q-3", "Fwd: "+checkRumour)
	e.sms(t, "+243811000002", "q-4", checkRumour+" ?")
	if resp, b := e.do(nil, "POST", alerts.IntakePath(e.hookTip), reqOpt{hdr: map[string]string{"Authorization": "Token hooktip-secret"},
		body: `{"id":"w-1","from":"+243811000004","text":"` + checkRumour + `"}`}); resp.StatusCode != 200 {
		t.Fatalf("webhook tipline: %d %s", resp.StatusCode, b)
	}
	its, err := e.integ.Items(context.Background(), integrity.ItemFilter{Query: "pont de rutshuru"})
	if err != nil || len(its) != 5 {
		t.Fatalf("%d tipline items (%v), want 5", len(its), err)
	}
	n := its[0].Narrative
	if resp, b := e.do(nil, "POST", "/api/v1/integrity/narratives/"+i64s(n)+"/check", reqOpt{token: e.tokens["ana"], body: `{"state":"verifying"}`}); resp.StatusCode != 200 {
		t.Fatalf("verifying: %d %s", resp.StatusCode, b)
	}
	resp, b := e.do(nil, "GET", "/api/v1/integrity/checks", reqOpt{token: e.tokens["vic"]})
	var l integrity.CheckList
	if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &l) != nil || len(l.Checks) != 1 {
		t.Fatalf("GET checks: %d %s", resp.StatusCode, b)
	}
	if q := l.Checks[0]; q.Narrative != n || q.Tipline != 5 || q.Senders != 3 || q.Unkeyed != 0 {
		t.Errorf("tipline %d messages from %d senders (%d unkeyed), want 5 from 3 (0): %s", q.Tipline, q.Senders, q.Unkeyed, b)
	}
	if strings.Contains(string(b), "24381100000") {
		t.Errorf("a number in the queue: %s", b)
	}
}
