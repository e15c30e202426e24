package web

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
)

// TestAlertReplyOnTimeline: a responder's SMS reply to a reporter is on
// the incident's timeline, in the same transaction as its queueing: who
// replied, when, to which alert's reporter and through which gateway;
// never the reporter's number nor the reply's text. Like notes and
// tipline answers, the line is for responders and up: a viewer's page
// has none. A refused reply (empty message) writes no line. Before, the
// reply was only in the audit log (alerts.reply.queue).
func TestAlertReplyOnTimeline(t *testing.T) {
	e := newAlertsEnv(t, "rex", "vic")
	resp, b := e.do(nil, "POST", alerts.IntakePath(e.sms), reqOpt{body: smsForm("m-1", "Armed men near the market", "s3cret-gw"), ctype: formCT})
	if resp.StatusCode != 200 {
		t.Fatalf("intake: %d %s", resp.StatusCode, b)
	}
	as, err := e.svc.Store.Alerts(context.Background(), alerts.AlertFilter{})
	if err != nil || len(as) != 1 {
		t.Fatalf("alerts %+v %v", as, err)
	}
	a := as[0]
	reply := "/api/v1/alerts/" + i64s(a.ID) + "/reply"
	if resp, b := e.do(nil, "POST", reply, reqOpt{token: e.tokens["rex"], body: `{"message":" "}`}); resp.StatusCode != 400 {
		t.Fatalf("empty reply: %d %s", resp.StatusCode, b)
	}
	if resp, b := e.do(nil, "POST", reply, reqOpt{token: e.tokens["rex"], body: `{"message":"Patrol on its way"}`}); resp.StatusCode != 201 {
		t.Fatalf("reply: %d %s", resp.StatusCode, b)
	}
	want := fmt.Sprintf("reply to the reporter of alert %d sent by SMS through %s", a.ID, e.sms.Name)
	for _, c := range []struct {
		who  string
		want []string // the reply lines the page shows
	}{
		{"rex", []string{"rex: " + want}},
		{"vic", nil},
	} {
		t.Run(c.who, func(t *testing.T) {
			resp, b := e.do(nil, "GET", "/api/v1/alerts/incidents/"+i64s(a.IncidentID), reqOpt{token: e.tokens[c.who]})
			var p alerts.IncidentPage
			if err := json.Unmarshal(b, &p); err != nil || resp.StatusCode != 200 {
				t.Fatalf("%d %s", resp.StatusCode, b)
			}
			var got []string
			for _, l := range p.Timeline {
				if l.Kind == "reply" {
					got = append(got, l.Actor+": "+l.Text)
				}
				if strings.Contains(l.Text, "243812345678") || strings.Contains(l.Text, "Patrol") {
					t.Errorf("timeline line %+v holds the number or the reply", l)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("reply lines %q, want %q", got, c.want)
			}
		})
	}
}
