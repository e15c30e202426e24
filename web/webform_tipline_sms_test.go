package web

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/internal/apperr"
)

// TestWebFormTiplineSMSPromise: a tipline's public form promises its
// sender an answer by SMS only while the server can send one (an enabled
// SMSSync channel, through which integrity answers a tipline's senders);
// with none it says, in the page's language, that no answer will come by
// SMS, before and after a post. It promised the SMS whatever the
// channels, so a sender waited for an answer nothing would send.
func TestWebFormTiplineSMSPromise(t *testing.T) {
	e, tip := newTiplineEnv(t)
	ctx := context.Background()
	introRE := regexp.MustCompile(`<p class="intro" id="intro">(.*?)</p>`)
	intro := func(page []byte) string {
		text, _ := shown(introRE, page)
		return text
	}
	const (
		smsEN   = "Heard or seen a message, a rumour or news you doubt? Send it here so that the mission checks it. If you give your phone number, the answer is sent to you by SMS."
		smsFR   = "Vous avez entendu ou vu un message, une rumeur ou une information dont vous doutez\u202f? Envoyez-le ici pour que la mission le vérifie. Si vous donnez votre numéro de téléphone, la réponse vous sera envoyée par SMS."
		noSMSEN = "Heard or seen a message, a rumour or news you doubt? Send it here so that the mission checks it. The mission cannot answer you by SMS for now: it will check what you send without replying to you."
		noSMSFR = "Vous avez entendu ou vu un message, une rumeur ou une information dont vous doutez\u202f? Envoyez-le ici pour que la mission le vérifie. La mission ne peut pas vous répondre par SMS pour l’instant\u00a0: elle vérifiera ce que vous envoyez sans vous répondre."
	)
	disabled := func(on bool) {
		t.Helper()
		if _, err := e.svc.PatchChannel(ctx, "test", e.sms.ID, alerts.ChannelPatch{Disabled: &on}); err != nil {
			t.Fatal(err)
		}
	}
	for _, step := range []struct {
		name        string
		smsDisabled bool
		lang, want  string
	}{
		{"an SMSSync channel, en", false, "en", smsEN},
		{"an SMSSync channel, fr", false, "fr", smsFR},
		{"the SMSSync channel disabled, en", true, "en", noSMSEN},
		{"the SMSSync channel disabled, fr", true, "fr", noSMSFR},
		{"enabled again, fr", false, "fr", smsFR},
	} {
		disabled(step.smsDisabled)
		c := e.client()
		path := alerts.IntakePath(tip) + "?lang=" + step.lang
		if _, page := e.do(c, "GET", path, reqOpt{}); intro(page) != step.want {
			t.Errorf("%s: the form says %q, want %q", step.name, intro(page), step.want)
		}
		// The page after a refused post (an empty message) says the same.
		_, page := e.do(c, "POST", path, reqOpt{body: url.Values{"message": {" "}, "lang": {step.lang}}.Encode(), ctype: formCT})
		if intro(page) != step.want {
			t.Errorf("%s: after a post the form says %q, want %q", step.name, intro(page), step.want)
		}
	}
}

// TestWebFormTiplineSMSPromiseTwilio: a web form's sender gave a phone
// number, so the answer goes by SMS through a Twilio channel with its
// sending settings when one is enabled and not paused (the number as
// given: SMS, not WhatsApp), else through an enabled SMSSync channel;
// the tipline's form promises an SMS answer, in either language, exactly
// when one of them can send it, from the moment the settings are saved
// (contacts.Service.GatewayChanged forgets the promise read, as web.Server
// wires it). A Twilio sender is answered through its channel all along.
// Before, a form sender's answer went through an SMSSync channel only:
// with only Twilio, the form promised nothing and the answer was refused.
func TestWebFormTiplineSMSPromiseTwilio(t *testing.T) {
	e, tip := newTiplineEnv(t)
	ctx := context.Background()
	cs := contacts.NewService(e.db, e.svc.Keys)
	cs.Channels = e.db
	cs.GatewayChanged = e.svc.ForgetChannels
	e.svc.PushSenders = cs.TwilioSenders
	introRE := regexp.MustCompile(`<p class="intro" id="intro">(.*?)</p>`)
	const (
		smsEN   = "If you give your phone number, the answer is sent to you by SMS."
		smsFR   = "Si vous donnez votre numéro de téléphone, la réponse vous sera envoyée par SMS."
		noSMSEN = "The mission cannot answer you by SMS for now: it will check what you send without replying to you."
		noSMSFR = "La mission ne peut pas vous répondre par SMS pour l’instant\u00a0: elle vérifiera ce que vous envoyez sans vous répondre."
	)
	settings := func(paused bool) func() error {
		return func() error {
			_, err := cs.SetGateway(ctx, "test", contacts.GatewaySettings{ChannelID: e.tw.ID, RatePerS: 1, Paused: paused,
				AccountSID: "AC0123456789abcdef0123456789abcdef", From: "+15005550006"})
			return err
		}
	}
	for _, step := range []struct {
		name        string
		change      func() error // before the step's views (nil: none)
		smsDisabled bool
		lang, want  string
		formGateway int64 // the channel a form sender's answer goes through (0: none)
	}{
		{"Twilio without sending settings, en", nil, true, "en", noSMSEN, 0},
		{"Twilio without sending settings, fr", nil, true, "fr", noSMSFR, 0},
		{"Twilio's sending settings saved, en", settings(false), true, "en", smsEN, e.tw.ID},
		{"Twilio's sending settings saved, fr", nil, true, "fr", smsFR, e.tw.ID},
		{"SMSSync enabled again: Twilio still", nil, false, "en", smsEN, e.tw.ID},
		{"Twilio paused: SMSSync", settings(true), false, "fr", smsFR, e.sms.ID},
		{"Twilio paused, SMSSync disabled", nil, true, "en", noSMSEN, 0},
		{"Twilio resumed", settings(false), true, "en", smsEN, e.tw.ID},
	} {
		if step.change != nil {
			if err := step.change(); err != nil {
				t.Fatalf("%s: %v", step.name, err)
			}
		}
		if _, err := e.svc.PatchChannel(ctx, "test", e.sms.ID, alerts.ChannelPatch{Disabled: &step.smsDisabled}); err != nil {
			t.Fatal(err)
		}
		_, page := e.do(e.client(), "GET", alerts.IntakePath(tip)+"?lang="+step.lang, reqOpt{})
		if got, _ := shown(introRE, page); !strings.HasSuffix(got, step.want) {
			t.Errorf("%s: the form says %q, want it to end %q", step.name, got, step.want)
		}
		form, err := e.svc.Receive(ctx, tip, alerts.Inbound{From: "+243811000001", Message: "On dit que le pont est coupé " + step.name})
		if err != nil {
			t.Fatal(err)
		}
		m, _, err := e.svc.PrepareReply(ctx, form.ID, "Faux : le pont est ouvert.", nil)
		if got := m.ChannelID; got != step.formGateway || (got == 0) != (apperr.FieldOf(err) == "gateway") {
			t.Errorf("%s: a form sender's answer through channel %d (%v), want %d", step.name, got, err, step.formGateway)
		}
		if m.ChannelID != 0 {
			// By SMS, whichever gateway sends it.
			lines, err := e.svc.AnswerLines(ctx, "ana", 7, []alerts.Outgoing{m})
			if err != nil || len(lines) != 1 || !strings.Contains(lines[0].Text, " sent by SMS to 1 tipline sender through ") {
				t.Errorf("%s: the answer's line %+v (%v), want it sent by SMS", step.name, lines, err)
			}
		}
		// A Twilio sender is answered through the Twilio channel while it can send.
		tw, err := e.svc.Receive(ctx, e.tw, alerts.Inbound{From: "whatsapp:+243811000002", Message: "On dit que le pont est coupé " + step.name, GatewayID: "SM" + step.name})
		if err != nil {
			t.Fatal(err)
		}
		if m, _, err := e.svc.PrepareReply(ctx, tw.ID, "Faux : le pont est ouvert.", nil); step.formGateway == e.tw.ID && (err != nil || m.ChannelID != e.tw.ID) {
			t.Errorf("%s: a Twilio sender's answer through channel %d (%v), want %d", step.name, m.ChannelID, err, e.tw.ID)
		}
	}
}
