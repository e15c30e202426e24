package web

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/alerts/alertstest"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/internal/apperr"
)

// TestIncidentEscalateAPI: a responder escalates an open incident by hand
// with a reason (POST /api/v1/alerts/incidents/{id}/escalate, browser
// session with its CSRF token): the incident is marked escalated, the
// timeline and the audit log say who, when and why, and the escalation
// webhook hears of it as of an overdue incident. Bad input is a keyed 4xx
// said in French and writes nothing: no reason, a blank or too long one,
// an incident closed or unknown, a viewer, no CSRF token, a body the JSON
// decoder refuses.
func TestIncidentEscalateAPI(t *testing.T) {
	ctx := context.Background()
	e := newAlertsEnv(t, "rex", "vic")
	hooks := alertstest.EscalationHook(t, e.svc)

	// Two incidents far apart: one stays open, the other is closed.
	e.do(nil, "POST", alerts.IntakePath(e.sms), reqOpt{body: smsForm("m-1", "Armed men near the market at 1.5625, 30.2484", "s3cret-gw"), ctype: formCT})
	e.do(nil, "POST", alerts.IntakePath(e.sms), reqOpt{body: smsForm("m-2", "Houses burning at -1.6794, 29.2285", "s3cret-gw"), ctype: formCT})
	ins, err := e.svc.Store.Incidents(ctx, alerts.IncidentFilter{})
	if err != nil || len(ins) != 2 {
		t.Fatalf("%d incidents %v", len(ins), err)
	}
	open, closed := ins[0], ins[1]
	if open.FirstAt.After(closed.FirstAt) {
		open, closed = closed, open
	}
	for _, st := range []string{"false", "closed"} {
		if resp, b := e.do(nil, "PATCH", "/api/v1/alerts/incidents/"+i64s(closed.ID), reqOpt{token: e.tokens["rex"], body: `{"status":"` + st + `"}`}); resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", st, resp.StatusCode, b)
		}
	}
	rex := e.client()
	csrf := e.login(rex, "rex")
	session := reqOpt{hdr: map[string]string{csrfHeader: csrf}}
	path := func(id int64) string { return "/api/v1/alerts/incidents/" + i64s(id) + "/escalate" }
	escalations := func() (lines []alerts.LogEntry, records []audit.Record) {
		for _, id := range []int64{open.ID, closed.ID} {
			tl, err := e.svc.Store.Timeline(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range tl {
				if l.Kind == "escalate" {
					lines = append(lines, l)
				}
			}
		}
		rs, err := e.server.Audit.AuditLog(ctx, audit.Filter{Action: "alerts.incident.escalate"})
		if err != nil {
			t.Fatal(err)
		}
		return lines, rs
	}

	long := strings.Repeat("é", 501) // 1002 bytes
	checkKeyed(t, e.testEnv, []keyedCase{
		{name: "no reason", method: "POST", path: path(open.ID), body: `{}`, opt: session, client: rex, status: 400, key: apperr.KeyField, fr: "reason\u00a0: est vide"},
		{name: "blank reason", method: "POST", path: path(open.ID), body: `{"reason":"  \n"}`, opt: session, client: rex, status: 400, key: apperr.KeyField, fr: "reason\u00a0: est vide"},
		{name: "long reason", method: "POST", path: path(open.ID), body: `{"reason":"` + long + `"}`, opt: session, client: rex, status: 400, key: apperr.KeyField,
			fr: "reason\u00a0: fait 1002 octets, la limite est 1000"},
		{name: "closed incident", method: "POST", path: path(closed.ID), body: `{"reason":"families still on the road"}`, opt: session, client: rex, status: 409,
			key: "alerts.refusal.escalate-closed", fr: "l’incident " + i64s(closed.ID) + " a le statut « clos »\u00a0: seul un incident ouvert peut faire l’objet d’une escalade"},
		{name: "unknown incident", method: "POST", path: path(999), body: `{"reason":"x"}`, opt: session, client: rex, status: 404,
			key: "alerts.refusal.no-incident", fr: "l’incident 999 n’existe pas"},
		{name: "viewer", method: "POST", path: path(open.ID), body: `{"reason":"x"}`, opt: reqOpt{token: e.tokens["vic"]}, status: 403},
		{name: "no CSRF", method: "POST", path: path(open.ID), body: `{"reason":"x"}`, client: rex, status: 403},
		{name: "unknown field", method: "POST", path: path(open.ID), body: `{"reason":"x","why":"y"}`, opt: session, client: rex, status: 400},
		{name: "not JSON", method: "POST", path: path(open.ID), body: `reason=x`, opt: session, client: rex, status: 400},
	})
	if lines, records := escalations(); len(lines) != 0 || len(records) != 0 {
		t.Fatalf("refusals wrote: %+v %+v", lines, records)
	}
	if in, _ := e.svc.Store.Incident(ctx, open.ID); in.EscalatedAt != nil {
		t.Fatalf("refusals escalated: %+v", in)
	}
	if got := hooks(); len(got) != 0 {
		t.Fatalf("webhook told of a refusal: %v", got)
	}

	// Escalated by hand, twice: the first escalation's time is kept, each
	// is in the timeline and the audit log.
	reasons := []string{"Armed group seen moving towards the camp", "Second call: they are at the school"}
	var first *alerts.Incident
	for i, reason := range reasons {
		o := session
		o.body = `{"reason":"  ` + reason + `  "}`
		resp, b := e.do(rex, "POST", path(open.ID), o)
		var in alerts.Incident
		if err := json.Unmarshal(b, &in); resp.StatusCode != 200 || err != nil || in.ID != open.ID || in.EscalatedAt == nil {
			t.Fatalf("escalate %d: %d %s", i, resp.StatusCode, b)
		}
		if first == nil {
			first = &in
		} else if !in.EscalatedAt.Equal(*first.EscalatedAt) {
			t.Errorf("escalated_at moved: %v then %v", first.EscalatedAt, in.EscalatedAt)
		}
	}
	lines, records := escalations()
	if len(lines) != 2 || len(records) != 2 {
		t.Fatalf("timeline %+v, audit %+v", lines, records)
	}
	for i, l := range lines {
		if l.Actor != "rex" || l.IncidentID != open.ID || l.Text != "escalated by hand: "+reasons[i] || l.At.IsZero() {
			t.Errorf("timeline line %d: %+v", i, l)
		}
	}
	for _, r := range records {
		if r.Actor != "rex" || r.Object != "incident:"+i64s(open.ID) || !strings.HasPrefix(r.Detail, "escalated by hand: ") || r.Time.IsZero() {
			t.Errorf("audit: %+v", r)
		}
	}
	sent := hooks()
	if len(sent) != 2 {
		t.Fatalf("webhook calls: %v", sent)
	}
	var notice map[string]any
	if err := json.Unmarshal([]byte(sent[0]), &notice); err != nil || notice["type"] != "vigil.incident.escalated" || notice["incident_id"] != float64(open.ID) ||
		notice["reason"] != reasons[0] || notice["by_hand"] != true || strings.Contains(sent[0], "243") || strings.Contains(sent[0], "market") {
		t.Errorf("webhook notice: %s", sent[0])
	}

	// The incident page shows the escalation; a viewer sees that it was
	// escalated by hand, not the officer's words.
	for _, c := range []struct{ who, text string }{{"rex", "escalated by hand: " + reasons[0]}, {"vic", "escalated by hand"}} {
		_, b := e.do(nil, "GET", "/api/v1/alerts/incidents/"+i64s(open.ID), reqOpt{token: e.tokens[c.who]})
		var p alerts.IncidentPage
		if err := json.Unmarshal(b, &p); err != nil || p.Incident.EscalatedAt == nil {
			t.Fatalf("%s: %s", c.who, b)
		}
		var got []string
		for _, l := range p.Timeline {
			if l.Kind == "escalate" {
				got = append(got, l.Text)
			}
		}
		if len(got) != 2 || got[0] != c.text {
			t.Errorf("%s sees %q, want first %q", c.who, got, c.text)
		}
	}
}
