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

// TestSenderMACPhoneNetworkOnly: intake tells a sender apart (Alert's
// SenderMAC, RecipientMAC of the number in memory) only when the phone
// network gave the number, the same rule as opt-outs: a web form's number
// is typed by anyone, so its messages are not keyed; nor is a message
// without a number, nor any message when no RecipientMAC is set.
func TestSenderMACPhoneNetworkOnly(t *testing.T) {
	mac := func(phone string) string { return "mac(" + phone + ")" }
	for _, c := range []struct {
		name   string
		ch     alerts.Channel
		intake string
		from   string
		mac    func(string) string
		want   string
	}{
		{"smssync", alerts.Channel{ID: 1, Kind: alerts.SMSSync}, "", "+243810000001", mac, "mac(+243810000001)"},
		{"twilio whatsapp", alerts.Channel{ID: 2, Kind: alerts.Twilio}, "", "whatsapp:+243810000001", mac, "mac(whatsapp:+243810000001)"},
		{"webhook", alerts.Channel{ID: 3, Kind: alerts.Webhook}, "", "+243810000001", mac, "mac(+243810000001)"},
		{"public web form", alerts.Channel{ID: 9, Kind: alerts.Web}, "", "+243810000001", mac, ""},
		{"taken by telephone", alerts.Channel{ID: 9, Kind: alerts.Web}, alerts.IntakePhone, "+243810000001", mac, ""},
		{"no number", alerts.Channel{ID: 1, Kind: alerts.SMSSync}, "", "", mac, ""},
		{"no RecipientMAC", alerts.Channel{ID: 1, Kind: alerts.SMSSync}, "", "+243810000001", nil, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			svc, _ := newGatewayService(t, nil)
			svc.RecipientMAC = c.mac
			a, err := svc.Receive(context.Background(), c.ch, alerts.Inbound{From: c.from, Message: "the bridge will be blown up tonight", Intake: c.intake})
			if err != nil {
				t.Fatal(err)
			}
			if a.SenderMAC != c.want {
				t.Errorf("SenderMAC %q, want %q", a.SenderMAC, c.want)
			}
		})
	}
}
