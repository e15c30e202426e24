package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/contacts"
)

// TestE2EBroadcastFailures: an analyst whose broadcast failed opens "Why
// 5 messages failed (1 will be tried again)" under it on the Contacts page
// and reads the failures grouped by reason, most frequent first, each
// with its count and whether it will be tried again, and Twilio's own
// words with the recipients' numbers masked: in English, then, switching
// the language with the list open, in French, the list still open. No phone number
// is on the page; the page passes axe-core and does not scroll sideways at
// 390 px, in both languages.
func TestE2EBroadcastFailures(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	s, _ := alertsContactsServer(t)
	al, cs := s.Alerts, s.Contacts
	srv := serveE2E(t, s, "analyst.e2e", auth.Analyst)
	// Twilio: 1 to 3 are not valid numbers, 4 replied STOP, 5 meets a fault.
	twilio := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		to := r.PostForm.Get("To")
		w.Header().Set("Content-Type", "application/json")
		switch to[len(to)-1] {
		case '5':
			w.WriteHeader(http.StatusServiceUnavailable)
		case '4':
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"code":21610,"message":"Attempt to send to unsubscribed recipient %s","status":400}`, to)
		default:
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"code":21211,"message":"The 'To' number %s is not a valid phone number.","status":400}`, to)
		}
	}))
	t.Cleanup(twilio.Close)
	tw, err := al.NewChannel(ctx0, "test", alerts.Twilio, "Twilio", "tw-token", "")
	if err != nil {
		t.Fatal(err)
	}
	g := contacts.GatewaySettings{ChannelID: tw.ID, RatePerS: 100, AccountSID: "AC" + strings.Repeat("c", 32), From: "+15005550006", SendURL: twilio.URL}
	if _, err := cs.SetGateway(ctx0, "test", g); err != nil {
		t.Fatal(err)
	}
	var rows []contacts.Row
	for i := 1; i <= 5; i++ {
		rows = append(rows, contacts.Row{Where: "c.csv", Input: contacts.Input{Phone: fmt.Sprintf("+24383000000%d", i), Language: "fr", Groups: []string{"can"}, ConsentHow: "verbal"}})
	}
	if _, err := cs.Import(ctx0, "test", rows); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Send(ctx0, "test", contacts.BroadcastRequest{ChannelID: tw.ID, Audience: contacts.Audience{Group: "can"}, Messages: map[string]string{"fr": "Réunion demain"}}); err != nil {
		t.Fatal(err)
	}
	tw.Secret = "tw-token"
	if _, err := cs.Drain(ctx0, tw, g); err != nil {
		t.Fatal(err)
	}
	// Then 4 replies STOP to Vigil's own number too: the Contacts list says
	// how it opted out (the row said only « Désinscrit le … », the API's
	// opt_out_how « reply: stop » unshown; walked 2026-12-07).
	if _, err := cs.InboundSMS(ctx0, "+243830000004", "Stop"); err != nil {
		t.Fatal(err)
	}
	// And a number that is no contact's replies ARRET: added later, the
	// form says it is opted out (it said only « Contact ajouté. »).
	if _, err := cs.InboundSMS(ctx0, "+243830000099", "Arret"); err != nil {
		t.Fatal(err)
	}

	axeSrc, err := os.ReadFile(filepath.Join("testdata", "axe", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, _ := loggedInBrowserAt(t, srv, 1280, 900, "/#/contacts", "")
	axe := axeCheck(t, ctx)
	const lines = `[...document.querySelectorAll('#broadcast-list li .failures li')].map((li) => li.innerText.replace(/[ \t\n]+/g, ' ').trim()).join('\n')`
	// open reads the list under the broadcast, clicking its summary open
	// first when expand (else it must be open already).
	open := func(lang, summary string, expand bool, want []string) {
		t.Helper()
		if err := poll(ctx, fmt.Sprintf(`(document.querySelector('#broadcast-list li details.failures summary')?.textContent || '') === %q`, summary), stepWait); err != nil {
			got, _ := js[string](ctx, `document.querySelector('#broadcast-list')?.innerText || ''`)
			t.Fatalf("%s: no %q under the broadcast: %v\n%s", lang, summary, err, got)
		}
		if expand {
			if err := do(ctx, click(css(`#broadcast-list li details.failures summary`))); err != nil {
				t.Fatal(err)
			}
		}
		// The list's lines in this language (a redraw may still be on its way).
		if err := poll(ctx, fmt.Sprintf(`document.querySelector('#broadcast-list li details.failures')?.open === true && (%s) === %q`, lines, strings.Join(want, "\n")), stepWait); err != nil {
			got, _ := js[string](ctx, `(document.querySelector('#broadcast-list li details.failures')?.open ? 'open: ' : 'closed: ') + (`+lines+`)`)
			t.Errorf("%s: reasons\n%s\nwant open with\n%s", lang, got, strings.Join(want, "\n"))
		}
		// No recipient's number on the page, whatever its spelling.
		if found, err := js[string](ctx, `(document.body.innerText.match(/\d[\d\s().\-\/]*\d/g) || []).filter((m) => m.replace(/\D/g, '').length >= 6).join(' | ')`); err != nil || found != "" {
			t.Errorf("%s: phone numbers on the page: %q (%v)", lang, found, err)
		}
		optedOut := map[string]string{"en": " (replied “STOP”)", "fr": " (réponse «\u202fSTOP\u202f»)"}[lang]
		if got, err := js[string](ctx, `[...document.querySelectorAll('#contacts-list .badge.danger')].map((b) => b.textContent).join(' | ')`); err != nil || !strings.HasSuffix(got, optedOut) || strings.Contains(got, "|") {
			t.Errorf("%s: opted-out badges %q (%v), want one ending %q", lang, got, err, optedOut)
		}
		axe("broadcast failures " + lang)
		for _, p := range narrowProblems(ctx, string(axeSrc), 1280, 900) {
			t.Errorf("%s at %d px: %s", lang, 390, p)
		}
	}
	open("en", "Why 5 messages failed (1 will be tried again)", true, []string{
		"Twilio refused: not a valid phone number (error 21211) — 3 messages, not tried again. The gateway said: “The 'To' number [number] is not a valid phone number.”",
		"Twilio refused: the recipient replied STOP to this sender (error 21610) — 1 message, not tried again. The gateway said: “Attempt to send to unsubscribed recipient [number]”",
		"Gateway fault (HTTP 503) — 1 message, will be tried again.",
	})
	// Switching the language redraws the page: the list stays open, now
	// in French.
	if _, err := js[bool](ctx, `(Vigil.setLang('fr'), true)`); err != nil {
		t.Fatal(err)
	}
	open("fr", "Pourquoi 5 messages ont échoué (1 sera réessayé)", false, []string{
		"Twilio a refusé\u00a0: numéro de téléphone invalide (erreur 21211) — 3 messages, ne seront plus essayés. La passerelle a dit\u00a0: «\u00a0The 'To' number [number] is not a valid phone number.\u00a0»",
		"Twilio a refusé\u00a0: le destinataire a répondu STOP à cet expéditeur (erreur 21610) — 1 message, ne sera plus essayé. La passerelle a dit\u00a0: «\u00a0Attempt to send to unsubscribed recipient [number]\u00a0»",
		"Panne de la passerelle (HTTP 503) — 1 message, sera réessayé.",
	})
	if err := do(ctx, chromedp.SendKeys(css("#contact-phone"), "+243830000099"), chromedp.SetValue(css("#contact-language"), "fr"),
		chromedp.SendKeys(css("#contact-consent"), "verbal"), click(css(`#contact-form button[type=submit]`))); err != nil {
		t.Fatal(err)
	}
	const added = "Contact ajouté. Désinscrit le "
	if err := poll(ctx, fmt.Sprintf(`(document.querySelector('#contact-msg')?.textContent || '').startsWith(%q) && document.querySelectorAll('#contacts-list .badge.danger').length === 2`, added), stepWait); err != nil {
		got, _ := js[string](ctx, `document.querySelector('#contact-msg')?.textContent || ''`)
		t.Errorf("adding a number that replied ARRET: %q, want it to start %q and a second opted-out badge", got, added)
	} else if got, _ := js[string](ctx, `document.querySelector('#contact-msg').textContent`); !strings.Contains(got, "(réponse «\u202fARRET\u202f»)\u00a0: ce numéro s’est désinscrit avant d’être un contact") {
		t.Errorf("adding a number that replied ARRET: %q", got)
	}
}
