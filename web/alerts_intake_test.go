package web

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/testutil"
)

// TestPhoneAlertIntakeAPI: an alert typed in by a responder (POST
// /api/v1/alerts, the Alerts page's form: taken by telephone or in person)
// is recorded as such, apart from the web channel's public form, and
// counted apart on the Alerts page's statistics (by_source) and the
// channels' counts (phone); its category and priority triage its incident
// (a joined incident keeps its category, its priority only rises). Bad
// input is a keyed 400 said in French and stores nothing; the reporter's
// number is sealed at rest and in no log.
func TestPhoneAlertIntakeAPI(t *testing.T) {
	ctx := context.Background()
	e := newAlertsEnv(t, "rex", "vic", "ada")
	var logs testutil.SyncBuffer
	e.server.Log = slog.New(slog.NewTextHandler(&logs, nil))
	e.svc.Log = e.server.Log
	rex := reqOpt{token: e.tokens["rex"]}
	body := func(fields string) string {
		return `{"channel":"` + e.webform.Key + `","message":"Des hommes armés au marché de Bunia","location":"Bunia","lat":1.5625,"lon":30.2484,"from":"+243812345678"` + fields + `}`
	}
	checkKeyed(t, e.testEnv, []keyedCase{
		{name: "category", method: "POST", path: "/api/v1/alerts", body: body(`,"category":"riot"`), opt: rex, status: 400, key: apperr.KeyField,
			fr: "category\u00a0: «\u202friot\u202f» n’est pas l’un de attack_on_civilians, sexual_violence, abduction, displacement, looting_property, threat_rumour, armed_group_movement, other"},
		{name: "priority", method: "POST", path: "/api/v1/alerts", body: body(`,"priority":"urgent"`), opt: rex, status: 400, key: apperr.KeyField,
			fr: "priority\u00a0: «\u202furgent\u202f» n’est pas l’un de critical, high, medium, low"},
		{name: "priority not a string", method: "POST", path: "/api/v1/alerts", body: body(`,"priority":1`), opt: rex, status: 400},
		{name: "an SMS channel", method: "POST", path: "/api/v1/alerts", body: strings.Replace(body(""), e.webform.Key, e.sms.Key, 1), opt: rex, status: 400,
			key: "alerts.refusal.web-channel", fr: "canal web inconnu «\u202f" + e.sms.Key + "\u202f»"},
		{name: "empty message", method: "POST", path: "/api/v1/alerts", body: `{"channel":"` + e.webform.Key + `","message":" ","category":"abduction"}`, opt: rex, status: 400,
			key: apperr.KeyField, fr: "message\u00a0: est vide"},
		{name: "viewer", method: "POST", path: "/api/v1/alerts", body: body(""), opt: reqOpt{token: e.tokens["vic"]}, status: 403},
		// The body's client id is "id" (a gateway's message_id is another API's name).
		{name: "id too long", method: "POST", path: "/api/v1/alerts", body: body(`,"id":"` + strings.Repeat("p", 300) + `"`), opt: rex, status: 400,
			key: apperr.KeyField, en: "id: is 300 bytes, the limit is 256", fr: "id\u00a0: fait 300 octets, la limite est 256"},
	})
	if n := e.count(t); n != 0 {
		t.Fatalf("refusals stored %d alerts", n)
	}

	// Typed in, each with its triage; the third joins the first's incident.
	var first alerts.Alert
	for i, c := range []struct {
		fields         string
		status         int
		category, prio string // the incident's after it
	}{
		{`,"id":"phone-1","category":"abduction","priority":"high"`, 201, "abduction", "high"},
		{`,"id":"phone-1","category":"abduction","priority":"high"`, 200, "abduction", "high"}, // a retry
		{`,"id":"phone-2","category":"looting_property","priority":"low"`, 201, "abduction", "high"},
		{`,"id":"phone-3","priority":"critical"`, 201, "abduction", "critical"},
	} {
		o := rex
		o.body = body(c.fields)
		resp, b := e.do(nil, "POST", "/api/v1/alerts", o)
		var a alerts.Alert
		if err := json.Unmarshal(b, &a); err != nil || resp.StatusCode != c.status || a.Intake != alerts.IntakePhone || a.Phone != "" || a.PhoneMasked == "" {
			t.Fatalf("alert %d: %d %s", i, resp.StatusCode, b)
		}
		if i == 0 {
			first = a
		} else if a.IncidentID != first.IncidentID {
			t.Fatalf("alert %d in incident %d, not %d", i, a.IncidentID, first.IncidentID)
		}
		in, err := e.svc.Store.Incident(ctx, a.IncidentID)
		if err != nil || in.Category != c.category || in.Priority != c.prio {
			t.Errorf("alert %d: incident category %q priority %q %v, want %q %q", i, in.Category, in.Priority, err, c.category, c.prio)
		}
	}
	tl, _ := e.svc.Store.Timeline(ctx, first.IncidentID)
	var triage []string
	for _, l := range tl {
		if l.Kind == "category" || l.Kind == "priority" {
			triage = append(triage, l.Actor+" "+l.Kind+" "+l.Text)
		}
	}
	if strings.Join(triage, "|") != "rex priority high|rex category abduction|rex priority critical" {
		t.Errorf("timeline: %q", triage)
	}

	// The web channel's public form and an SMS, for the counts.
	if _, err := e.svc.Receive(ctx, e.webform, alerts.Inbound{Message: "Maisons brûlées à Bule"}); err != nil {
		t.Fatal(err)
	}
	e.do(nil, "POST", alerts.IntakePath(e.sms), reqOpt{body: smsForm("m-1", "Attack at 1.5625, 30.2484", "s3cret-gw"), ctype: formCT})
	_, b := e.do(nil, "GET", "/api/v1/alerts/stats", reqOpt{token: e.tokens["vic"]})
	var st struct {
		BySource map[string]int `json:"by_source"`
	}
	if err := json.Unmarshal(b, &st); err != nil || len(st.BySource) != 5 || st.BySource["phone"] != 3 || st.BySource["web"] != 1 || st.BySource["smssync"] != 1 ||
		st.BySource["twilio"] != 0 || st.BySource["webhook"] != 0 {
		t.Errorf("stats by source: %s", b)
	}
	_, b = e.do(nil, "GET", "/api/v1/admin/channels/stats", reqOpt{token: e.tokens["ada"]})
	var cs struct{ Channels []alerts.ChannelStats }
	if err := json.Unmarshal(b, &cs); err != nil {
		t.Fatal(err)
	}
	got := map[int64][2]int{}
	for _, c := range cs.Channels {
		got[c.Channel] = [2]int{c.Messages, c.Phone}
	}
	if got[e.webform.ID] != [2]int{1, 3} || got[e.sms.ID] != [2]int{1, 0} || got[e.tw.ID] != [2]int{0, 0} {
		t.Errorf("channel stats (messages, phone): %v; %s", got, b)
	}

	var phone []byte
	if err := e.db.SQL.QueryRow(`SELECT phone FROM alerts WHERE id = ?`, first.ID).Scan(&phone); err != nil || len(phone) == 0 || bytes.Contains(phone, []byte("812345678")) {
		t.Errorf("reporter's number at rest: %q %v", phone, err)
	}
	if strings.Contains(logs.String(), "812345678") {
		t.Errorf("the reporter's number is in the log: %s", logs.String())
	}
}
