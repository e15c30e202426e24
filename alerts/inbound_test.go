package alerts_test

import (
	"context"
	"testing"

	"github.com/vigil-project/vigil/alerts"
)

// optOutHook records the messages the inbound hook was told of.
type optOutHook struct{ told []string }

func (h *optOutHook) InboundSMS(_ context.Context, from, message string) (*alerts.OptOut, error) {
	h.told = append(h.told, from+" "+message)
	return &alerts.OptOut{Lang: "en"}, nil
}

// TestInboundHookPhoneNetworkOnly: the inbound hook (opt-out replies to
// broadcasts) hears only messages whose sender's number the phone network
// gave (an SMS gateway's channel). On a web channel the number is typed in,
// by anyone who has the public form's link or by a responder taking a call:
// "STOP" with someone else's number must not opt that person out of the
// alert network's messages, nor be answered as an opt-out.
func TestInboundHookPhoneNetworkOnly(t *testing.T) {
	for _, c := range []struct {
		name   string
		ch     alerts.Channel
		intake string
		heard  bool
	}{
		{"smssync", alerts.Channel{ID: 1, Kind: alerts.SMSSync}, "", true},
		{"twilio", alerts.Channel{ID: 2, Kind: alerts.Twilio}, "", true},
		{"webhook", alerts.Channel{ID: 3, Kind: alerts.Webhook}, "", true},
		{"public web form", alerts.Channel{ID: 9, Kind: alerts.Web}, "", false},
		{"taken by telephone", alerts.Channel{ID: 9, Kind: alerts.Web}, alerts.IntakePhone, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			svc, _ := newGatewayService(t, nil)
			hook := &optOutHook{}
			svc.Inbound = hook
			a, err := svc.Receive(context.Background(), c.ch, alerts.Inbound{From: "+243810000001", Message: "STOP", Intake: c.intake})
			if err != nil {
				t.Fatal(err)
			}
			if heard := len(hook.told) == 1; heard != c.heard || (a.OptOut != nil) != c.heard {
				t.Fatalf("hook told %q, opt-out %+v; want heard %v", hook.told, a.OptOut, c.heard)
			}
		})
	}
}
