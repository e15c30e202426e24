package web

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
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

// TestAlertReplyDeliveryOnTimeline: each reply line of the incident API
// carries what became of its message, read again at each GET (the page's
// poll): queued for the gateway, sent once the SMSSync phone took it,
// then delivered, or failed with the reason the broadcast failures say
// (key contacts.fail.phone.2, its words in ?lang=); never the reporter's
// number nor the phone's words. Before, a reply line had no status.
func TestAlertReplyDeliveryOnTimeline(t *testing.T) {
	e := newAlertsEnv(t, "rex")
	cs := contacts.NewService(e.db, e.svc.Keys)
	cs.Channels = e.db
	e.svc.Results = cs // as vigil serve wires it
	path := alerts.IntakePath(e.sms)
	if resp, b := e.do(nil, "POST", path, reqOpt{body: smsForm("m-1", "Armed men near the market", "s3cret-gw"), ctype: formCT}); resp.StatusCode != 200 {
		t.Fatalf("intake: %d %s", resp.StatusCode, b)
	}
	as, err := e.svc.Store.Alerts(context.Background(), alerts.AlertFilter{})
	if err != nil || len(as) != 1 {
		t.Fatalf("alerts %+v %v", as, err)
	}
	a := as[0]
	for _, msg := range []string{"Patrol on its way", "Patrol arrived"} {
		if resp, b := e.do(nil, "POST", "/api/v1/alerts/"+i64s(a.ID)+"/reply", reqOpt{token: e.tokens["rex"], body: `{"message":"` + msg + `"}`}); resp.StatusCode != 201 {
			t.Fatalf("reply: %d %s", resp.StatusCode, b)
		}
	}
	deliveries := func(lang string) []alerts.Delivery {
		t.Helper()
		resp, b := e.do(nil, "GET", "/api/v1/alerts/incidents/"+i64s(a.IncidentID)+"?lang="+lang, reqOpt{token: e.tokens["rex"]})
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
		if strings.Contains(string(b), "243812345678") || strings.Contains(string(b), "Radio") {
			t.Errorf("incident answer holds the reporter's number or the phone's words: %s", b)
		}
		var p alerts.IncidentPage
		if err := json.Unmarshal(b, &p); err != nil {
			t.Fatal(err)
		}
		var out []alerts.Delivery
		for _, l := range p.Timeline {
			if l.Kind == "reply" {
				if l.Delivery == nil {
					t.Fatalf("reply line %+v has no delivery", l)
				}
				out = append(out, *l.Delivery)
			}
		}
		return out
	}
	states := func(ds []alerts.Delivery) string {
		var s []string
		for _, d := range ds {
			s = append(s, d.State+"/"+d.Code)
		}
		return strings.Join(s, " ")
	}
	if got := states(deliveries("en")); got != "queued/ queued/" {
		t.Errorf("before the phone polls: %s, want both queued", got)
	}
	resp, b := e.do(nil, "GET", path+"?task=send&secret=s3cret-gw", reqOpt{})
	var task struct {
		Payload struct {
			Messages []struct{ UUID, Message string }
		} `json:"payload"`
	}
	if err := json.Unmarshal(b, &task); err != nil || resp.StatusCode != 200 || len(task.Payload.Messages) != 2 {
		t.Fatalf("task=send: %d %s", resp.StatusCode, b)
	}
	uuid := map[string]string{}
	for _, m := range task.Payload.Messages {
		uuid[m.Message] = m.UUID
	}
	if resp, b := e.do(nil, "POST", path+"?task=sent&secret=s3cret-gw", reqOpt{body: `{"queued_messages":["` + uuid["Patrol on its way"] + `","` + uuid["Patrol arrived"] + `"]}`}); resp.StatusCode != 200 {
		t.Fatalf("task=sent: %d %s", resp.StatusCode, b)
	}
	if got := states(deliveries("en")); got != "sent/ sent/" {
		t.Errorf("taken by the phone: %s, want both sent", got)
	}
	if resp, b := e.do(nil, "POST", path+"?task=result&secret=s3cret-gw", reqOpt{body: `{"message_result":[` +
		`{"uuid":"` + uuid["Patrol on its way"] + `","sent_result_code":-1,"delivered_result_message":"SMS delivered"},` +
		`{"uuid":"` + uuid["Patrol arrived"] + `","sent_result_code":2,"sent_result_message":"Radio off +243812345678"}]}`}); resp.StatusCode != 200 {
		t.Fatalf("task=result: %d %s", resp.StatusCode, b)
	}
	for _, c := range []struct{ lang, reason string }{
		{"en", contacts.PhoneErrors[2]},
		{"fr", "Le téléphone n’a pas pu l’envoyer\u00a0: sa radio est coupée, mode avion (erreur Android 2)"},
	} {
		ds := deliveries(c.lang)
		if got := states(ds); got != "delivered/ failed/phone:2" {
			t.Fatalf("%s: after the phone's results: %s, want delivered, failed phone:2", c.lang, got)
		}
		if d := ds[1]; d.Key != "contacts.fail.phone.2" || d.Args["code"] != 2 || d.Reason != c.reason {
			t.Errorf("%s: failed reply's reason %+v, want key contacts.fail.phone.2 saying %q", c.lang, d, c.reason)
		}
		if d := ds[0]; d.Key != "" || d.Reason != "" {
			t.Errorf("%s: delivered reply has a reason: %+v", c.lang, d)
		}
	}
}

// TestAlertReplyToOptedOutReporter: a reply queued for a reporter who
// then replies STOP, and a reply written after, are marked not sent on
// the incident's timeline with why, in ?lang= (« non envoyé : la personne
// s’est désinscrite le … »), and never handed to the gateway. Before, they
// stayed « en file d’attente » for ever, with no reason.
func TestAlertReplyToOptedOutReporter(t *testing.T) {
	e := newAlertsEnv(t, "rex")
	cs := contacts.NewService(e.db, e.svc.Keys)
	cs.Channels = e.db
	e.svc.Inbound, e.svc.RecipientMAC = cs, cs.RecipientMAC // as vigil serve wires them
	path := alerts.IntakePath(e.sms)
	intake := func(id, msg string) {
		t.Helper()
		if resp, b := e.do(nil, "POST", path, reqOpt{body: smsForm(id, msg, "s3cret-gw"), ctype: formCT}); resp.StatusCode != 200 {
			t.Fatalf("intake: %d %s", resp.StatusCode, b)
		}
	}
	intake("m-1", "Armed men near the market")
	as, err := e.svc.Store.Alerts(context.Background(), alerts.AlertFilter{})
	if err != nil || len(as) != 1 {
		t.Fatalf("alerts %+v %v", as, err)
	}
	a := as[0]
	replyTo := func(msg string) {
		t.Helper()
		if resp, b := e.do(nil, "POST", "/api/v1/alerts/"+i64s(a.ID)+"/reply", reqOpt{token: e.tokens["rex"], body: `{"message":"` + msg + `"}`}); resp.StatusCode != 201 {
			t.Fatalf("reply: %d %s", resp.StatusCode, b)
		}
	}
	replyTo("Patrol on its way")
	intake("m-2", "STOP")
	replyTo("Patrol arrived")
	for _, c := range []struct{ lang, reason string }{
		{"en", "not sent: the person opted out on "},
		{"fr", "non envoyé\u00a0: la personne s’est désinscrite le "},
	} {
		resp, b := e.do(nil, "GET", "/api/v1/alerts/incidents/"+i64s(a.IncidentID)+"?lang="+c.lang, reqOpt{token: e.tokens["rex"]})
		var p alerts.IncidentPage
		if err := json.Unmarshal(b, &p); err != nil || resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, b)
		}
		n := 0
		for _, l := range p.Timeline {
			if l.Kind != "reply" {
				continue
			}
			n++
			if d := l.Delivery; d == nil || d.State != alerts.DeliveryWithheld || d.Code != "opted-out" || d.OptedOutAt == nil ||
				d.Key != "alerts.delivery.optedOut" || !strings.HasPrefix(d.Reason, c.reason) {
				t.Errorf("%s: reply to an opted-out reporter: %+v, want withheld, saying %q…", c.lang, d, c.reason)
			}
		}
		if n != 2 {
			t.Fatalf("%d reply lines, want 2", n)
		}
	}
	resp, b := e.do(nil, "GET", path+"?task=send&secret=s3cret-gw", reqOpt{})
	if resp.StatusCode != 200 || strings.Contains(string(b), "Patrol") {
		t.Fatalf("task=send hands out a reply to an opted-out reporter: %d %s", resp.StatusCode, b)
	}
}
