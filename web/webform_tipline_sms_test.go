package web

import (
	"context"
	"net/url"
	"regexp"
	"testing"

	"github.com/vigil-project/vigil/alerts"
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
		smsFR   = "Vous avez entendu ou vu un message, une rumeur ou une information dont vous doutez ? Envoyez-le ici pour que la mission le vérifie. Si vous donnez votre numéro de téléphone, la réponse vous sera envoyée par SMS."
		noSMSEN = "Heard or seen a message, a rumour or news you doubt? Send it here so that the mission checks it. The mission cannot answer you by SMS for now: it will check what you send without replying to you."
		noSMSFR = "Vous avez entendu ou vu un message, une rumeur ou une information dont vous doutez ? Envoyez-le ici pour que la mission le vérifie. La mission ne peut pas vous répondre par SMS pour l’instant : elle vérifiera ce que vous envoyez sans vous répondre."
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
