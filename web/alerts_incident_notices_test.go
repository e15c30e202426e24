package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/alerts/alertstest"
)

// TestIncidentUndeliveredNotices: GET /api/v1/alerts/incidents/{id} tells
// an analyst or admin of the escalation notices about that incident nobody
// was told of (undelivered_notices: given up after its nine tries; on a
// server without a webhook, waiting for one), not of other incidents'
// notices, and never the webhook's URL nor its failure; a responder or
// viewer is told nothing of them. Before, a notice given up was listed
// only on Administration → Escalation notices.
func TestIncidentUndeliveredNotices(t *testing.T) {
	ctx := context.Background()
	e := newAlertsEnv(t, "ada", "ana", "rex", "vic")
	now := time.Now().UTC()
	e.svc.Now = func() time.Time { return now }
	a, err := e.svc.Receive(ctx, e.sms, alerts.Inbound{GatewayID: "n-1", From: "+243812345678", Message: "Armed men at 1.5625, 30.2484"})
	if err != nil {
		t.Fatal(err)
	}
	alertstest.RefusingHook(t, e.svc, http.StatusBadGateway)
	hookURL := e.svc.EscalationURL
	alertstest.GiveUpNotice(t, e.svc, map[string]any{"type": "vigil.incident.overdue", "incident_id": a.IncidentID}, &now)
	alertstest.GiveUpNotice(t, e.svc, map[string]any{"type": "vigil.incident.overdue", "incident_id": a.IncidentID + 1000}, &now)
	path := "/api/v1/alerts/incidents/" + i64s(a.IncidentID)
	get := func(user string) (alerts.IncidentPage, string) {
		t.Helper()
		resp, b := e.do(nil, "GET", path, reqOpt{token: e.tokens[user]})
		var p alerts.IncidentPage
		if resp.StatusCode != 200 || json.Unmarshal(b, &p) != nil {
			t.Fatalf("%s: %d %s", user, resp.StatusCode, b)
		}
		return p, string(b)
	}
	for _, c := range []struct {
		user  string
		state string // "": none told
	}{{"ada", alerts.NoticeGivenUp}, {"ana", alerts.NoticeGivenUp}, {"rex", ""}, {"vic", ""}} {
		p, b := get(c.user)
		if c.state == "" {
			if strings.Contains(b, "undelivered_notices") {
				t.Errorf("%s is told of the notices: %s", c.user, b)
			}
			continue
		}
		if len(p.Notices) != 1 || p.Notices[0].State != c.state || p.Notices[0].Tries != alerts.NoticeTries || p.Notices[0].GaveUp == nil || p.Notices[0].Type != "vigil.incident.overdue" {
			t.Errorf("%s: notices %+v, want the incident's one given up", c.user, p.Notices)
		}
		// The failure as the webhook's answer would read: "502" alone is
		// also in a timestamp's microseconds (…59.005025Z).
		if strings.Contains(b, hookURL) || strings.Contains(b, "Bad Gateway") || strings.Contains(b, "status 502") || strings.Contains(b, "HTTP 502") || strings.Contains(b, "last_error") || strings.Contains(b, "error") {
			t.Errorf("%s: the webhook's URL or failure in %s", c.user, b)
		}
	}

	// Without a webhook, a notice queued while one was set waits for one.
	e.svc.EscalationURL = ""
	if p, _ := get("ana"); len(p.Notices) != 1 || p.Notices[0].State != alerts.NoticeGivenUp {
		t.Errorf("without a webhook: %+v", p.Notices)
	}
}
