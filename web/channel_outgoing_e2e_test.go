package web_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr"
)

// TestE2EChannelSendingOnly: a channel that took no alert but sent
// messages (here the SMSSync phone that carried a responder's answer to a
// web-form reporter) is offered no « Supprimer » in Administration →
// Canaux de réception, the reason beside the disabled button in the page's
// language, as the server refuses its removal; the web form that took the
// alert says it was used, and a channel never used can still be removed.
// It was offered active (the page's stats counted alerts only) and the
// server refused it once clicked. Its card says what each channel sent
// (replies, broadcasts) beside what it took; it said nothing of it.
func TestE2EChannelSendingOnly(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	s, _ := alertsContactsServer(t) // broadcasts_e2e_test.go
	al := s.Alerts
	srv := serveE2E(t, s, "admin.e2e", auth.Admin)
	form, err := al.NewChannel(ctx0, "test", alerts.Web, "Bunia form", "", "")
	if err != nil {
		t.Fatal(err)
	}
	phone, err := al.NewChannel(ctx0, "test", alerts.SMSSync, "Bunia phone", "relay-secret-1", "")
	if err != nil {
		t.Fatal(err)
	}
	spare, err := al.NewChannel(ctx0, "test", alerts.Webhook, "Spare webhook", "spare-secret", "")
	if err != nil {
		t.Fatal(err)
	}
	a, err := al.Receive(ctx0, form, alerts.Inbound{From: "+243811000009", Message: "Tirs près du marché de Bunia"})
	if err != nil {
		t.Fatal(err)
	}
	// The answer goes out through the first SMSSync channel: the phone.
	if m, err := al.Reply(ctx0, &auth.User{Name: "test", Role: auth.Responder}, a.ID, "Merci, une patrouille arrive."); err != nil || m.ChannelID != phone.ID {
		t.Fatalf("the answer: %+v %v", m, err)
	}
	if err := al.RemoveChannel(ctx0, "test", phone.ID); !errors.Is(err, apperr.ErrConflict) {
		t.Fatalf("the server's removal of the phone: %v, want refused", err)
	}

	remove := func(c alerts.Channel) string { // the last button: a web form has no secret to renew
		return `document.querySelector('#admin-channels li[data-channel="` + strconv.FormatInt(c.ID, 10) + `"] .btn-row button:last-of-type')`
	}
	reason := func(c alerts.Channel) string {
		return `(document.getElementById(` + remove(c) + `?.getAttribute('aria-describedby'))?.textContent || '')`
	}
	ctx, _ := loggedInBrowser(t, srv, 1440, 900)
	axe := axeCheck(t, ctx)
	page := `document.querySelector('main')?.innerText || ''`
	// figure is channel c's figure named head (its dd after that dt).
	figure := func(c alerts.Channel, head string) string {
		return `(() => { const d = [...document.querySelectorAll('#admin-channels li[data-channel="` + strconv.FormatInt(c.ID, 10) + `"] dt')].find((h) => h.textContent === '` + head + `')?.nextElementSibling;` +
			` return d && d.classList.contains('num') ? d.textContent : null; })()`
	}
	for _, l := range []struct{ lang, sent, used, replies, broadcasts string }{
		{"fr", "déjà utilisé pour envoyer des messages\u00a0: désactivez-le plutôt", "déjà utilisé\u00a0: désactivez-le plutôt", "Réponses envoyées", "Diffusions"},
		{"en", "already used to send messages: disable it instead", "already used: disable it instead", "Replies sent", "Broadcasts"},
	} {
		if err := openIn(ctx, srv.URL+"/#/admin?tab=channels", l.lang); err != nil {
			t.Fatal(err)
		}
		runSteps(t, ctx, page, []e2eStep{
			{l.lang + ": the phone that only sent cannot be removed, and says why", nil,
				`document.documentElement.lang === '` + l.lang + `' && ` + remove(phone) + `?.disabled === true && ` + reason(phone) + ` === '` + l.sent + `' && ` +
					remove(form) + `?.disabled === true && ` + reason(form) + ` === '` + l.used + `' && ` +
					remove(spare) + `?.disabled === false && !` + remove(spare) + `.hasAttribute('aria-describedby')`},
			// What each sent, in its figures: the phone its reply.
			{l.lang + ": the replies and broadcasts each channel sent", nil,
				figure(phone, l.replies) + ` === '1' && ` + figure(phone, l.broadcasts) + ` === '0' && ` + figure(form, l.replies) + ` === '0' && ` + figure(spare, l.broadcasts) + ` === '0'`},
		})
		axe(l.lang)
	}
}

// TestE2EChannelTokenLength: a new Twilio channel's auth token is checked
// in the form as the server checks it (8 to 200 characters): 7 characters
// are refused in the page's language before anything is sent, nothing
// created; 8 are taken; spaces alone are refused in the form as the server
// refuses them, naming the field « Jeton d’authentification Twilio ». A
// new token for the channel (« Nouveau jeton ») of spaces alone is refused
// in its form too, with the server's refusal, the token unchanged; a real
// one, trimmed, replaces it. The form took 1 character, which the server
// took too, and sent spaces.
func TestE2EChannelTokenLength(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	s, db := alertsContactsServer(t) // broadcasts_e2e_test.go
	srv := serveE2E(t, s, "admin.e2e", auth.Admin)
	ctx, _ := loggedInBrowserAt(t, srv, 1440, 900, "/#/admin?tab=channels", "fr")
	const token = `document.querySelector('#admin-channel-token')`
	page := `document.querySelector('main')?.innerText || ''`
	submit := click(css(`#admin-channel-form button[type=submit]`))
	if err := poll(ctx, `(() => { const k = document.querySelector('#admin-channel-kind'); if (!k) return false; k.value = 'twilio'; k.dispatchEvent(new Event('change')); return true; })()`, stepWait); err != nil {
		t.Fatal(err)
	}
	runSteps(t, ctx, page, []e2eStep{
		// Spaces alone fill the required field but are no token: the form
		// trims them as the server does and says the server's refusal,
		// naming the field as the form labels it, in French, before
		// anything is sent (it sent them, and the server refused).
		{"a Twilio channel, a token of spaces", []chromedp.Action[chromedp.Void]{
			chromedp.SendKeys(css(`#admin-channel-name`), "Bunia SMS"),
			chromedp.SendKeys(css(`#admin-channel-token`), "        "), submit},
			token + `?.validity.valid === false && ` + token + `.validationMessage.includes('collez-le dans «\u202fJeton d’authentification Twilio\u202f»')`},
		{"a 7-character token", []chromedp.Action[chromedp.Void]{
			chromedp.SetValue(css(`#admin-channel-token`), "123456"),
			chromedp.SendKeys(css(`#admin-channel-token`), "7"), submit},
			token + `?.validity.valid === false && ` + token + `.validationMessage === 'Le jeton d’authentification fait de 8 à 200 caractères.'`},
	})
	if cs, err := db.Channels(ctx0); err != nil || len(cs) != 0 {
		t.Fatalf("a 7-character token: channels %+v (%v), want none", cs, err)
	}
	runSteps(t, ctx, page, []e2eStep{
		{"8 characters taken", []chromedp.Action[chromedp.Void]{chromedp.SendKeys(css(`#admin-channel-token`), "8"), submit},
			`(document.querySelector('main')?.innerText || '').includes('Canal Bunia SMS ajouté.')`},
	})
	cs, err := db.Channels(ctx0)
	if err != nil || len(cs) != 1 || cs[0].Kind != alerts.Twilio {
		t.Fatalf("the 8-character token: channels %+v (%v)", cs, err)
	}
	if c, err := s.Alerts.Channel(ctx0, cs[0].Key); err != nil || c.Secret != "12345678" {
		t.Fatalf("the channel's token: %v", err)
	}
	// A new token for the channel (its row's « Nouveau jeton »): spaces
	// alone are refused in the form with the server's refusal, nothing
	// sent; a real one is taken.
	const newToken = `document.querySelector('#admin-channel-newtoken')`
	saveToken := click(css(`#admin-channel-token-form button[type=submit]`))
	runSteps(t, ctx, page, []e2eStep{
		{"a new token of spaces", []chromedp.Action[chromedp.Void]{
			click(css(`button[aria-label="Nouveau jeton d’authentification Twilio pour Bunia SMS"]`)),
			chromedp.SendKeys(css(`#admin-channel-newtoken`), "        "), saveToken},
			newToken + `?.validity.valid === false && ` + newToken + `.validationMessage.includes('c’est Twilio qui le crée')`},
	})
	if c, err := s.Alerts.Channel(ctx0, cs[0].Key); err != nil || c.Secret != "12345678" {
		t.Fatalf("a new token of spaces: the channel's token changed (%v)", err)
	}
	runSteps(t, ctx, page, []e2eStep{
		{"a new token taken", []chromedp.Action[chromedp.Void]{
			chromedp.SetValue(css(`#admin-channel-newtoken`), " abcdefgh"),
			chromedp.SendKeys(css(`#admin-channel-newtoken`), "9 "), saveToken},
			`(` + page + `).includes('Le canal Bunia SMS vérifie désormais les signatures de Twilio avec le nouveau jeton.')`},
	})
	if c, err := s.Alerts.Channel(ctx0, cs[0].Key); err != nil || c.Secret != "abcdefgh9" {
		t.Fatalf("the channel's new token: %q %v, want abcdefgh9 (trimmed)", c.Secret, err)
	}
}
