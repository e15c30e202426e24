package web

import (
	"context"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage/sqlite"
)

// TestReplyGateway: a reply to a reporter is queued where a gateway will
// take it (SMSSync task=send): the alert's own SMSSync channel, else the
// mission's first SMSSync channel (a web form or webhook has no outbox);
// with no gateway it is refused on the field "gateway" and nothing is
// queued. Before, a reply to a web-form alert was queued on the web form
// channel, where nothing ever sends it.
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
		{"webhook through the mission gateway", []alerts.Kind{alerts.SMSSync, alerts.Webhook}, 1, 0},
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
				if apperr.FieldOf(err) != "gateway" || !apperr.IsInvalid(err) || queued != 0 {
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
