package web

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage/sqlite"
)

// TestReplyGateway: a reply to a reporter is queued where a gateway will
// take it (SMSSync task=send): the alert's own SMSSync channel, else, for
// a web form's sender, the mission's first SMSSync channel; with no
// gateway it is refused on the field "gateway" and nothing is queued (a
// webhook channel without an outbound URL too: its reply is not rerouted
// to the mission's phone, 409; contacts' TestReplyGoesBackTheWayItCame).
// Before, a reply to a web-form alert was queued on the web form channel,
// where nothing ever sends it.
func TestReplyGateway(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name  string
		kinds []alerts.Kind // channels, in creation order
		from  int           // the alert's channel (index in kinds)
		via   int           // the gateway the reply must go through (-1: refused)
	}{
		{"own SMSSync channel", []alerts.Kind{alerts.SMSSync, alerts.SMSSync}, 1, 1},
		{"web form through the mission gateway", []alerts.Kind{alerts.Web, alerts.Twilio, alerts.SMSSync, alerts.SMSSync}, 0, 2},
		{"webhook without outbound URL, not rerouted", []alerts.Kind{alerts.SMSSync, alerts.Webhook}, 1, -1},
		{"web form, no gateway", []alerts.Kind{alerts.Web, alerts.Twilio}, 0, -1},
	}
	u := &auth.User{Name: "rex", Role: auth.Responder}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, svc := OpenAlertsTestStore(t, t.TempDir(), sqlite.Options{})
			var chs []alerts.Channel
			for i, k := range c.kinds {
				secret := ""
				if k != alerts.Web {
					secret = "s3cret-gw"
				}
				ch, err := svc.NewChannel(ctx, "test", k, string(k)+" channel "+string(rune('A'+i)), secret, "")
				if err != nil {
					t.Fatal(err)
				}
				chs = append(chs, ch)
			}
			a, err := svc.Receive(ctx, chs[c.from], alerts.Inbound{GatewayID: "m-1", From: "+243811111111", Message: "Armed men near the market"})
			if err != nil {
				t.Fatal(err)
			}
			m, err := svc.Reply(ctx, u, a.ID, "A patrol is informed.")
			queued := 0
			for _, ch := range chs {
				box, err := svc.Outbox(ctx, ch.ID)
				if err != nil {
					t.Fatal(err)
				}
				queued += len(box)
				if len(box) == 1 && (c.via < 0 || ch.ID != chs[c.via].ID || box[0].To != "+243811111111") {
					t.Errorf("reply queued on %s for %q", ch.Name, box[0].To)
				}
			}
			if c.via < 0 {
				if k, _ := apperr.KindOf(err); apperr.FieldOf(err) != "gateway" || k != apperr.KindInvalid && k != apperr.KindConflict || queued != 0 {
					t.Fatalf("with no gateway: %v (field %q), %d queued", err, apperr.FieldOf(err), queued)
				}
				return
			}
			if err != nil || m.ChannelID != chs[c.via].ID || queued != 1 {
				t.Fatalf("reply %+v %v, %d queued, want on %s", m, err, queued, chs[c.via].Name)
			}
		})
	}
}

// TestReplyRouteAPI: the incident page says, per alert with a reporter's
// number, how a reply would go (reply_routes, the refusal in ?lang=), and
// a reply to a WhatsApp reporter of a Twilio channel without sending
// settings is refused with a keyed 409 naming the channel (English and
// French), not queued on the mission's SMSSync phone as before.
func TestReplyRouteAPI(t *testing.T) {
	e := newAlertsEnv(t, "rex")
	ctx := context.Background()
	wa, err := e.svc.Receive(ctx, e.tw, alerts.Inbound{GatewayID: "SM-1", From: "whatsapp:+243811111112", Message: "Hommes armés au marché"})
	if err != nil {
		t.Fatal(err)
	}
	sms, err := e.svc.Receive(ctx, e.sms, alerts.Inbound{GatewayID: "m-1", From: "+243811111113", Message: "Hommes armés au marché"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.MoveAlert(ctx, &auth.User{Name: "rex", Role: auth.Responder}, sms.ID, wa.IncidentID); err != nil {
		t.Fatal(err)
	}
	resp, b := e.do(nil, "GET", "/api/v1/alerts/incidents/"+i64s(wa.IncidentID)+"?lang=fr", reqOpt{token: e.tokens["rex"]})
	var page alerts.IncidentPage
	if resp.StatusCode != 200 || json.Unmarshal(b, &page) != nil {
		t.Fatalf("incident page: %d %s", resp.StatusCode, b)
	}
	const refusalFR = "«\u202ftwilio channel\u202f» n’a pas de réglages d’envoi (ou son envoi est en pause)\u00a0: renseignez son SID de compte et son numéro d’envoi dans Administration → Canaux → Passerelles de diffusion. " +
		"Une réponse à la personne qui a signalé n’est pas envoyée par un autre canal\u00a0: elle viendrait d’un numéro de la mission qu’elle ne connaît pas, et une personne qui écrit sur WhatsApp peut ne pas recevoir de SMS"
	if r := page.ReplyRoutes[wa.ID]; r.Channel != "twilio channel" || r.Kind != alerts.Twilio || r.Via != "" || r.Refusal != refusalFR {
		t.Errorf("the WhatsApp alert's route %+v, want refused: %q", r, refusalFR)
	}
	if r := page.ReplyRoutes[sms.ID]; r.Channel != "smssync channel" || r.Via != "smssync channel" || r.ViaKind != alerts.SMSSync || r.Refusal != "" {
		t.Errorf("the SMS alert's route %+v, want its own phone", r)
	}
	checkKeyed(t, e.testEnv, []keyedCase{{name: "reply not rerouted", method: "POST", path: "/api/v1/alerts/" + i64s(wa.ID) + "/reply", body: `{"message":"Patrouille en route"}`,
		opt: reqOpt{token: e.tokens["rex"]}, status: 409, key: apperr.KeyField, fr: "gateway\u00a0: " + refusalFR}})
	if box, err := e.svc.Outbox(ctx, e.sms.ID); err != nil || len(box) != 0 {
		t.Errorf("the SMSSync phone's outbox %+v (%v), want nothing", box, err)
	}

	// Each route says how the reply reaches the reporter (by), so that the
	// reply form's label names it: by SMS from the phone, on WhatsApp back
	// through the Twilio channel, by SMS through Twilio to a phone number,
	// through the webhook (its gateway decides). Before, the form said
	// "by SMS" of every one.
	e.svc.PushSenders = func(context.Context) (map[int64]bool, error) {
		return map[int64]bool{e.tw.ID: true, e.hook.ID: true}, nil
	}
	twSMS, err := e.svc.Receive(ctx, e.tw, alerts.Inbound{GatewayID: "SM-2", From: "+243811111114", Message: "Hommes armés au marché"})
	if err != nil {
		t.Fatal(err)
	}
	hooked, err := e.svc.Receive(ctx, e.hook, alerts.Inbound{GatewayID: "h-1", From: "+243811111115", Message: "Hommes armés au marché"})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []*alerts.Alert{twSMS, hooked} {
		if _, err := e.svc.MoveAlert(ctx, &auth.User{Name: "rex", Role: auth.Responder}, x.ID, wa.IncidentID); err != nil {
			t.Fatal(err)
		}
	}
	resp, b = e.do(nil, "GET", "/api/v1/alerts/incidents/"+i64s(wa.IncidentID)+"?lang=en", reqOpt{token: e.tokens["rex"]})
	page = alerts.IncidentPage{}
	if resp.StatusCode != 200 || json.Unmarshal(b, &page) != nil {
		t.Fatalf("incident page: %d %s", resp.StatusCode, b)
	}
	for _, c := range []struct {
		name    string
		id      int64
		viaKind alerts.Kind
		by      string
	}{
		{"WhatsApp sender of Twilio", wa.ID, alerts.Twilio, "WhatsApp"},
		{"SMS sender of Twilio", twSMS.ID, alerts.Twilio, "SMS"},
		{"SMSSync phone", sms.ID, alerts.SMSSync, "SMS"},
		{"webhook", hooked.ID, alerts.Webhook, ""},
	} {
		if r := page.ReplyRoutes[c.id]; r.ViaKind != c.viaKind || r.By != c.by || r.Refusal != "" {
			t.Errorf("%s: route %+v, want through %s by %q", c.name, r, c.viaKind, c.by)
		}
		if r, err := e.svc.ReplyRoute(ctx, c.id, "en"); err != nil || r.By != c.by {
			t.Errorf("%s: ReplyRoute %+v (%v), want by %q", c.name, r, err, c.by)
		}
	}
}
