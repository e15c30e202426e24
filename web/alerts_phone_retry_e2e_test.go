package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/alerts"
)

// TestE2EAlertsPhoneRetryEdited: the answer to an alert typed in by
// telephone is lost (the alert was stored), the responder edits the text
// and sends again. The page does not say « enregistrée » over a lost edit:
// it says, in its language, that the first version was recorded and the
// changes were not, and offers to send them as a new alert, which records
// them. In English and French; axe-core finds nothing.
func TestE2EAlertsPhoneRetryEdited(t *testing.T) {
	t.Parallel()
	srv, _, _, svc, ctx := phoneFormBrowser(t)
	cases := []struct{ lang, refused, button, saved string }{
		{"en", "alert 1 was already recorded with this id, as first sent: these changes were not recorded (send them as a new alert, or add them as a note on its incident)",
			"Send this version as a new alert", "Alert #2 recorded"},
		{"fr", "l’alerte n°\u00a03 a déjà été enregistrée avec cet identifiant, telle qu’envoyée la première fois\u00a0: ces modifications n’ont pas été enregistrées (envoyez-les comme une nouvelle alerte, ou ajoutez-les en note à son incident)",
			"Envoyer cette version comme une nouvelle alerte", "Alerte n°\u00a04 enregistrée"},
	}
	for _, c := range cases {
		if err := openIn(ctx, srv.URL+"/#/alerts", c.lang); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.documentElement.lang === '`+c.lang+`' && !!document.querySelector('#alerts-phone-channel option')`, stepWait); err != nil {
			t.Fatalf("%s: the phone form: %v", c.lang, err)
		}
		// The first POST is stored but its answer lost, as when the
		// connection drops on the way back.
		if _, err := js[bool](ctx, `(() => {
			const real = window.fetch;
			window.fetch = async (url, opts) => {
				const r = await real(url, opts);
				if (String(url).endsWith('/api/v1/alerts') && opts?.method === 'POST') { window.fetch = real; throw new TypeError('Failed to fetch'); }
				return r;
			};
			return true;
		})()`); err != nil {
			t.Fatal(err)
		}
		if err := do(ctx, click(css("#alerts-phone summary")),
			chromedp.SetValue(css("#alerts-phone-message"), "Armed men at the market"), click(css("#alerts-phone-submit"))); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `window.fetch.toString().includes('[native code]') && document.querySelector('#alerts-phone-say')?.classList.contains('alerts-say-error')`, stepWait); err != nil {
			got, _ := text(ctx, "#alerts-phone-say")
			t.Fatalf("%s: the lost answer: %q: %v", c.lang, got, err)
		}
		if err := do(ctx, chromedp.SetValue(css("#alerts-phone-message"), "Armed men at the market, two wounded"), click(css("#alerts-phone-submit"))); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.querySelector('#alerts-phone-say')?.textContent.startsWith(`+jsString(c.refused)+`) && document.querySelector('#alerts-phone-new')?.textContent === `+jsString(c.button), stepWait); err != nil {
			got, _ := text(ctx, "#alerts-phone-say")
			t.Fatalf("%s: after sending the edit: %q, want %q and the button %q: %v", c.lang, got, c.refused, c.button, err)
		}
		axeCheck(t, ctx)("phone form, edit refused (" + c.lang + ")")
		if err := do(ctx, click(css("#alerts-phone-new"))); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.querySelector('#alerts-phone-say')?.textContent.startsWith(`+jsString(c.saved)+`)`, stepWait); err != nil {
			got, _ := text(ctx, "#alerts-phone-say")
			t.Fatalf("%s: sent as a new alert: %q, want %q: %v", c.lang, got, c.saved, err)
		}
	}
	as, err := svc.Store.Alerts(context.Background(), alerts.AlertFilter{})
	if err != nil || len(as) != 4 {
		t.Fatalf("%d alerts stored, want 4 (%v)", len(as), err)
	}
}
