package web

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"testing"

	"github.com/vigil-project/vigil/alerts"
)

// TestWebFormTipline: the public web form of a channel marked as a tipline
// says what it is for, in the page's language: sending a rumour or a
// message heard or seen so that it is checked, and how the answer comes
// back (by SMS to the number given); it said « Signaler une alerte » as any
// alert form. An ordinary web form is unchanged; the tipline's page keeps
// its wording after a post (thanks, refusal), and its refusal names the
// message box as its label asks for it (it said « Votre message : est vide »
// under « Qu’avez-vous entendu ou vu ? »).
func TestWebFormTipline(t *testing.T) {
	e, tip := newTiplineEnv(t)
	h1RE := regexp.MustCompile(`<h1>(.*?)</h1>`)
	introRE := regexp.MustCompile(`<p class="intro" id="intro">(.*?)</p>`)
	labelRE := regexp.MustCompile(`<label for="message">(.*?)</label>`)
	okRE := regexp.MustCompile(`(?s)<p class="ok" role="status">(.*?) <b>`)
	errRE := regexp.MustCompile(`<p class="err" role="alert">(.*?)</p>`)
	en, fr := alerts.WebFormTexts["en"], alerts.WebFormTexts["fr"]
	for _, tc := range []struct {
		name                              string
		ch                                alerts.Channel
		lang                              string
		title, intro, label, thank, empty string
	}{
		{"tipline fr", tip, "fr", "Transmettre une rumeur", "Vous avez entendu ou vu un message, une rumeur ou une information dont vous doutez\u202f? Envoyez-le ici pour que la mission le vérifie. Si vous donnez votre numéro de téléphone, la réponse vous sera envoyée par SMS.",
			"Qu’avez-vous entendu ou vu\u202f?", "Merci. Votre message a été reçu\u202f; il sera vérifié. Référence", "Ce que vous avez entendu ou vu\u00a0: est vide"},
		{"tipline en", tip, "en", "Send a rumour", "Heard or seen a message, a rumour or news you doubt? Send it here so that the mission checks it. If you give your phone number, the answer is sent to you by SMS.",
			"What did you hear or see?", "Thank you. Your message was received and will be checked. Reference", "What you heard or saw: is empty"},
		{"alert form fr", e.webform, "fr", fr.Title, "", fr.Message, fr.Thanks, "Ce qui se passe\u00a0: est vide"},
		{"alert form en", e.webform, "en", en.Title, "", en.Message, en.Thanks, "What is happening: is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := e.client()
			path := alerts.IntakePath(tc.ch) + "?lang=" + tc.lang
			_, page := e.do(c, "GET", path, reqOpt{})
			check := func(step string, page []byte) {
				t.Helper()
				if got, ok := shown(h1RE, page); !ok || got != tc.title {
					t.Errorf("%s: title %q, want %q", step, got, tc.title)
				}
				if got, ok := shown(introRE, page); tc.intro == "" && ok || tc.intro != "" && (!ok || got != tc.intro) {
					t.Errorf("%s: intro %q, want %q", step, got, tc.intro)
				}
				if tc.intro != "" && !regexp.MustCompile(`<textarea id="message"[^>]* aria-describedby="intro"`).Match(page) {
					t.Errorf("%s: the message box is not described by the intro", step)
				}
			}
			check("form", page)
			if got, ok := shown(labelRE, page); !ok || got != tc.label {
				t.Errorf("label %q, want %q", got, tc.label)
			}
			tok := csrfField.FindStringSubmatch(string(page))[1]
			body := url.Values{"message": {"On dit que le pont de Goma est coupé"}, "csrf": {tok}, "lang": {tc.lang}}.Encode()
			resp, b := e.do(c, "POST", path, reqOpt{body: body, ctype: formCT})
			if got, ok := shown(okRE, b); resp.StatusCode != 200 || !ok || got != tc.thank {
				t.Fatalf("post: %d %q, want %q", resp.StatusCode, got, tc.thank)
			}
			check("after the post", b)
			body = url.Values{"message": {" "}, "csrf": {csrfField.FindStringSubmatch(string(b))[1]}, "lang": {tc.lang}}.Encode()
			resp, b = e.do(c, "POST", path, reqOpt{body: body, ctype: formCT})
			check("refused", b)
			if got, ok := shown(errRE, b); resp.StatusCode != 400 || !ok || got != tc.empty {
				t.Errorf("refused: %d %q, want 400 %q", resp.StatusCode, got, tc.empty)
			}
		})
	}
}

// newTiplineEnv is an alerts environment without the intake throttle and
// with a web-form tipline, "Rumeurs Goma".
func newTiplineEnv(t *testing.T) (*alertsEnv, alerts.Channel) {
	t.Helper()
	e := newAlertsEnv(t)
	e.svc.Throttle = nil
	tip, err := e.svc.NewChannel(context.Background(), "test", alerts.Web, "Rumeurs Goma", "", "", alerts.AsTipline)
	if err != nil {
		t.Fatal(err)
	}
	return e, tip
}

// shown is the first group of re in page, HTML entities read; ok is false
// when re does not match.
func shown(re *regexp.Regexp, page []byte) (text string, ok bool) {
	m := re.FindSubmatch(page)
	if m == nil {
		return "", false
	}
	return html.UnescapeString(string(m[1])), true
}
