package web_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/storage/sqlite"
	"github.com/vigil-project/vigil/web"
)

// TestE2EAlertsRefusalsFrench: the alert network's refusals are said in the
// page's language. On the incident page an analyst replies with an empty
// message (the form says to write it first, beside it, and sends nothing),
// replies where no SMS gateway can carry it, and records as an
// event an incident with no location, and opens an incident that is not
// there; the public web form is sent with a message of spaces. The French
// pages show the catalog's French, the API's fields by their labels
// ("Passerelle : aucune passerelle SMS …", "Lieu : l'incident n'a pas de
// lieu résolu …", "introuvable"; the web form names
// its own field, « Votre message : est vide »), the English ones the
// server's English, with the fields' English labels ("Gateway: …").
func TestE2EAlertsRefusalsFrench(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	db, svc := web.OpenAlertsTestStore(t, t.TempDir(), sqlite.Options{})
	s := &web.Server{DB: db, Alerts: svc, Events: db}
	srv := serveE2E(t, s, "ana.e2e", auth.Analyst)
	// A web channel only: no SMSSync phone to carry a reply.
	form, err := svc.NewChannel(ctx0, "test", alerts.Web, "Form", "", "")
	if err != nil {
		t.Fatal(err)
	}
	a, err := svc.Receive(ctx0, form, alerts.Inbound{Message: "Armed men near the market", From: "+243812345678"})
	if err != nil {
		t.Fatal(err)
	}
	resp := &auth.User{Name: "rex", Role: auth.Responder}
	for _, st := range []alerts.Status{alerts.Triaged, alerts.Verified} {
		if _, err := svc.UpdateIncident(ctx0, resp, a.IncidentID, alerts.Update{Status: &st}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	reply := "#alerts-reply-" + strconv.FormatInt(a.ID, 10)
	send := reply + "-send"
	incident := srv.URL + "/#/alerts/incident/" + strconv.FormatInt(a.IncidentID, 10)
	for _, c := range []struct {
		lang, send                string // the page's language and its reply button
		empty, noGateway, noPlace string // the refusals shown
		formEmpty                 string // the web form's
		missing                   string // an incident that is not there
		route                     string // the reply form's notice
	}{
		{"en", "Send reply", "Write the reply first.",
			"Gateway: no SMS gateway to send the reply through: add an SMSSync channel (a phone running SMSSync) under Administration → Channels, or give a Twilio channel its sending settings (Administration → Channels → Broadcast gateways): the alert’s own for an alert that came in through Twilio, any one for an alert sent with the web form",
			"Location: the incident has no resolved location: set it first", "What is happening: is empty", "not found",
			"This reply cannot be sent: no SMS gateway to send the reply through: add an SMSSync channel (a phone running SMSSync) under Administration → Channels, or give a Twilio channel its sending settings (Administration → Channels → Broadcast gateways): the alert’s own for an alert that came in through Twilio, any one for an alert sent with the web form"},
		{"fr", "Envoyer la réponse", "Écrivez d’abord la réponse.",
			"Passerelle\u00a0: aucune passerelle SMS pour envoyer la réponse\u00a0: ajoutez un canal SMSSync (un téléphone sur lequel tourne SMSSync) dans Administration → Canaux de réception ou renseignez les réglages d’envoi d’un canal Twilio (Administration → Canaux → Passerelles de diffusion)\u00a0: celui de l’alerte pour une alerte reçue par Twilio, n’importe lequel pour une alerte envoyée avec le formulaire web",
			"Lieu\u00a0: l’incident n’a pas de lieu résolu\u00a0: définissez-le d’abord", "Ce qui se passe\u00a0: est vide", "introuvable",
			"Cette réponse ne peut pas être envoyée\u00a0: aucune passerelle SMS pour envoyer la réponse\u00a0: ajoutez un canal SMSSync (un téléphone sur lequel tourne SMSSync) dans Administration → Canaux de réception ou renseignez les réglages d’envoi d’un canal Twilio (Administration → Canaux → Passerelles de diffusion)\u00a0: celui de l’alerte pour une alerte reçue par Twilio, n’importe lequel pour une alerte envoyée avec le formulaire web"},
	} {
		// An incident that is not there: the page's banner says so.
		if err := openIn(ctx, srv.URL+"/#/alerts/incident/99", c.lang); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.documentElement.lang === `+q(c.lang)+` && !document.getElementById('banner').hidden && document.getElementById('banner').textContent === `+q(c.missing), stepWait); err != nil {
			got, _ := text(ctx, "#banner")
			t.Fatalf("%s: missing incident: banner %q, want %q", c.lang, got, c.missing)
		}
		// The incident page, drawn in the language (waited for: its reply button's words).
		if err := openIn(ctx, incident, c.lang); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.documentElement.lang === `+q(c.lang)+` && document.querySelector(`+q(send)+`)?.textContent === `+q(c.send)+` && !!document.querySelector('#alerts-event')`, stepWait); err != nil {
			t.Fatalf("%s: incident page: %v", c.lang, err)
		}
		said := func(what, act, want string) {
			t.Helper()
			if _, err := js[bool](ctx, act+`, true`); err != nil {
				t.Fatalf("%s %s: %v", c.lang, what, err)
			}
			if err := poll(ctx, `document.querySelector('#alerts-say')?.textContent === `+q(want), stepWait); err != nil {
				got, _ := text(ctx, "#alerts-say")
				t.Fatalf("%s %s: shown %q, want %q", c.lang, what, got, want)
			}
		}
		setReply := func(v string) string {
			return `(() => { const r = document.querySelector(` + q(reply) + `); r.value = ` + q(v) + `; r.dispatchEvent(new Event('input', { bubbles: true })); document.querySelector(` + q(send) + `).click(); })()`
		}
		// An empty reply is said by the form itself, nothing sent (its
		// words beside it, not the server's refusal at the top).
		if _, err := js[bool](ctx, setReply("   ")+`, true`); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.querySelector(`+q(reply+"-out")+`)?.textContent === `+q(c.empty), stepWait); err != nil {
			got, _ := text(ctx, reply+"-out")
			t.Fatalf("%s empty reply: beside the form %q, want %q", c.lang, got, c.empty)
		}
		// The reply form says it before anything is written: the notice
		// above its box is the refusal the server would answer.
		if err := poll(ctx, `document.querySelector(`+q(reply+"-route")+`)?.textContent === `+q(c.route), stepWait); err != nil {
			got, _ := text(ctx, reply+"-route")
			t.Fatalf("%s reply notice %q, want %q", c.lang, got, c.route)
		}
		said("reply without gateway", setReply("A patrol is on its way"), c.noGateway)
		said("event without location", `document.querySelector('#alerts-event').click()`, c.noPlace)

		// The public web form, in the language: a message of spaces passes
		// the browser's "required" and is refused by the server.
		if err := do(ctx, navigate(srv.URL+alerts.IntakePath(form)+"?lang="+c.lang)); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.documentElement.lang === `+q(c.lang)+` && !!document.querySelector('form textarea#message')`, stepWait); err != nil {
			t.Fatalf("%s: web form: %v", c.lang, err)
		}
		// The answer is a new page: its refusal is waited for there (the
		// form's first page has none).
		if err := do(ctx, chromedp.SetValue(css("#message"), "   "), click(css("form button[type=submit]")), chromedp.WaitVisible(css("p.err"))); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.querySelector('p.err')?.textContent === `+q(c.formEmpty)+` && document.documentElement.lang === `+q(c.lang), stepWait); err != nil {
			got, _ := js[string](ctx, `document.querySelector('p.err')?.textContent || document.body.innerText.slice(0, 300)`)
			t.Fatalf("%s: web form shows %q, want %q: %v", c.lang, got, c.formEmpty, err)
		}
	}
}
