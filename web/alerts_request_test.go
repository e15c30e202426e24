package web

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/internal/apperr"
)

// oneSMSAlert sends one alert through e's SMSSync channel and answers it as
// user reads it (with its incident).
func oneSMSAlert(t *testing.T, e *alertsEnv, user string) alerts.Alert {
	t.Helper()
	e.do(nil, "POST", alerts.IntakePath(e.sms), reqOpt{body: smsForm("m-1", "Attack at the market", "s3cret-gw"), ctype: formCT})
	_, b := e.do(nil, "GET", "/api/v1/alerts", reqOpt{token: e.tokens[user]})
	var as []alerts.Alert
	if err := json.Unmarshal(b, &as); err != nil || len(as) != 1 {
		t.Fatalf("alerts: %s %v", b, err)
	}
	return as[0]
}

// TestIncidentPatchRequestID: PATCH /api/v1/alerts/incidents/{id} with the
// page's request_id makes a note once when it is sent again (its first
// answer lost): both answers are 200 with the incident and its timeline has
// the note once. The same id with another note is a keyed 409 on
// request_id said in French, an id over 100 bytes a keyed 400 naming it;
// neither writes.
func TestIncidentPatchRequestID(t *testing.T) {
	e := newAlertsEnv(t, "rex")
	inc := i64s(oneSMSAlert(t, e, "rex").IncidentID)
	notes := func() int {
		t.Helper()
		_, b := e.do(nil, "GET", "/api/v1/alerts/incidents/"+inc, reqOpt{token: e.tokens["rex"]})
		var p alerts.IncidentPage
		if err := json.Unmarshal(b, &p); err != nil {
			t.Fatalf("incident: %s %v", b, err)
		}
		n := 0
		for _, l := range p.Timeline {
			if l.Kind == "note" {
				n++
			}
		}
		return n
	}
	for i := 0; i < 2; i++ {
		resp, b := e.do(nil, "PATCH", "/api/v1/alerts/incidents/"+inc, reqOpt{token: e.tokens["rex"], body: `{"note":"Called the CLA back","request_id":"change-1"}`})
		var in alerts.Incident
		if resp.StatusCode != 200 || json.Unmarshal(b, &in) != nil || i64s(in.ID) != inc {
			t.Fatalf("send %d: %d %s", i+1, resp.StatusCode, b)
		}
		if n := notes(); n != 1 {
			t.Fatalf("after send %d: %d notes in the timeline, want 1", i+1, n)
		}
	}
	rex := func(name, body string, status int, key, fr string) keyedCase {
		return keyedCase{name: name, method: "PATCH", path: "/api/v1/alerts/incidents/" + inc, body: body, opt: reqOpt{token: e.tokens["rex"]}, status: status, key: key, fr: fr}
	}
	checkKeyed(t, e.testEnv, []keyedCase{
		rex("the id with another note", `{"note":"Called the CLA twice","request_id":"change-1"}`, 409, apperr.KeyField,
			"request_id\u00a0: a déjà été envoyé avec une autre modification de l’incident "+inc+"\u00a0: envoyez une nouvelle modification avec un nouvel identifiant"),
		rex("an id too long", `{"note":"x","request_id":"`+strings.Repeat("x", 101)+`"}`, 400, apperr.KeyField, "request_id\u00a0: fait 101 octets, la limite est 100"),
	})
	if n := notes(); n != 1 {
		t.Fatalf("after the refusals: %d notes, want 1", n)
	}
}
