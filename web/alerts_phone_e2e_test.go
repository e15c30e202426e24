package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/sqlite"
	"github.com/vigil-project/vigil/web"
)

// TestE2EAlertsPhoneForm: a responder, on the French alerts page, records
// an alert taken by telephone (« Enregistrer une alerte reçue par
// téléphone »): the web channel chosen, the reporter's number and name
// (sealed, optional), the category and priority (the incident page's
// lists), the place found by name in the gazetteer. The page confirms it,
// the alert is in the queue with its place and « priorité haute », counted
// « Par téléphone ou en personne » in « Alertes par source » and marked so
// on the incident page, the number is stored sealed and shown masked only;
// an empty message is refused in French. A viewer's page has no such form; axe-core finds nothing.
func TestE2EAlertsPhoneForm(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	srv, s, db, svc, ctx := phoneFormBrowser(t)
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	if err := openIn(ctx, srv.URL+"/#/alerts", "fr"); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.documentElement.lang === 'fr' && document.querySelector('#alerts-phone summary')?.textContent === 'Enregistrer une alerte reçue par téléphone' && document.querySelector('#alerts-phone-channel option')?.textContent === 'Liaison communautaire'`, stepWait); err != nil {
		got, _ := js[string](ctx, `document.querySelector('#alerts-phone')?.innerText || 'no form'`)
		t.Fatalf("the phone form in French: %q: %v", got, err)
	}
	if err := do(ctx, click(css("#alerts-phone summary"))); err != nil {
		t.Fatal(err)
	}
	// A message of spaces passes "required" and is refused, in French.
	if err := do(ctx, chromedp.SetValue(css("#alerts-phone-message"), "   "), click(css("#alerts-phone-submit"))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('#alerts-phone-say')?.textContent === 'Message\u00a0: est vide'`, stepWait); err != nil {
		got, _ := text(ctx, "#alerts-phone-say")
		t.Fatalf("empty message: shown %q, want %q (%v)", got, "Message\u00a0: est vide", err)
	}
	if err := do(ctx,
		chromedp.SetValue(css("#alerts-phone-message"), "Des hommes armés ont pillé le marché ce matin"),
		chromedp.SendKeys(css("#alerts-phone-from"), "+243812345678"),
		chromedp.SendKeys(css("#alerts-phone-name"), "Mama Furaha"),
		chromedp.SendKeys(css("#alerts-phone-place"), "Djugu"),
		click(css("#alerts-phone-search"))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('#alerts-phone-places li button')`, stepWait); err != nil {
		t.Fatalf("no place found: %v", err)
	}
	// Category and priority, from the incident page's lists, in French.
	if ok, _ := js[bool](ctx, `document.querySelector('label[for=alerts-phone-cat]')?.firstChild?.textContent === 'Catégorie' && [...document.querySelectorAll('#alerts-phone-cat option')].some((o) => o.value === 'abduction' && o.textContent === 'enlèvement') && [...document.querySelectorAll('#alerts-phone-prio option')].some((o) => o.value === 'high' && o.textContent === 'haute')`); !ok {
		got, _ := js[string](ctx, `document.querySelector('#alerts-phone-form')?.innerText || 'no form'`)
		t.Fatalf("category and priority in French: %q", got)
	}
	if err := do(ctx, chromedp.SetValue(css("#alerts-phone-cat"), "abduction"), chromedp.SetValue(css("#alerts-phone-prio"), "high"),
		click(css("#alerts-phone-places li button")), click(css("#alerts-phone-submit"))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `/^Alerte n°\u00a01 enregistrée, dans l’incident n°\u00a01\.$/.test(document.querySelector('#alerts-phone-say')?.textContent)`, stepWait); err != nil {
		got, _ := text(ctx, "#alerts-phone-say")
		t.Fatalf("confirmation %q: %v", got, err)
	}
	if err := poll(ctx, `[...document.querySelectorAll('#alerts-list li.alerts-inc')].some((li) => li.querySelector('.alerts-preview')?.textContent === `+q("Des hommes armés ont pillé le marché ce matin")+` && li.querySelector('.alerts-place').textContent.includes('Djugu') && li.querySelector('.alerts-prio')?.textContent === 'priorité haute')`, stepWait); err != nil {
		got, _ := text(ctx, "#alerts-list")
		t.Fatalf("the recorded alert is not in the queue: %q: %v", got, err)
	}
	if ok, _ := js[bool](ctx, `document.body.innerText.includes('+243812345678') || document.body.innerText.includes('Mama Furaha')`); ok {
		t.Error("the reporter's number or name shown in full")
	}
	// Counted apart from the web form: « Alertes par source », its rows
	// under « Source » (not the caption's words again), beside the counts
	// by category (the small tables were stacked, two thirds of the width
	// empty).
	if err := poll(ctx, `(() => { const rows = [...document.querySelectorAll('#alerts-by-source tbody tr')].map((r) => r.innerText.replace(/\s+/g, ' ').trim()); return document.querySelector('#alerts-by-source caption')?.textContent === 'Alertes par source' && rows.includes('Par téléphone ou en personne 1') && rows.includes('Formulaire web public 0') && `+
		`[...document.querySelectorAll('#alerts-by-cat, #alerts-by-source')].map((t) => t.tHead.rows[0].cells[0].textContent).join('|') === 'Catégorie|Source' && `+
		`Math.abs(document.querySelector('#alerts-by-cat').getBoundingClientRect().top - document.querySelector('#alerts-by-source').getBoundingClientRect().top) < 1; })()`, stepWait); err != nil {
		got, _ := text(ctx, "#alerts-by-source")
		t.Fatalf("alerts by source: %q: %v", got, err)
	}
	var phone, name []byte
	var intake string
	if err := db.SQL.QueryRow(`SELECT phone, name, intake FROM alerts WHERE id = 1`).Scan(&phone, &name, &intake); err != nil {
		t.Fatal(err)
	}
	if in, err := svc.Store.Incident(ctx0, 1); intake != alerts.IntakePhone || err != nil || in.Category != "abduction" || in.Priority != "high" {
		t.Errorf("stored: intake %q, incident %+v %v", intake, in, err)
	}
	if len(phone) == 0 || len(name) == 0 || bytes.Contains(phone, []byte("812345678")) || bytes.Contains(name, []byte("Furaha")) {
		t.Errorf("reporter not sealed at rest: phone %d bytes, name %d bytes", len(phone), len(name))
	}
	axeCheck(t, ctx)("alerts phone form (fr)")
	// The incident page says how the alert came in.
	if err := openIn(ctx, srv.URL+"/#/alerts/incident/1", "fr"); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('.alerts-alerts li .alerts-source')?.textContent === 'Par téléphone ou en personne · '`, stepWait); err != nil {
		got, _ := text(ctx, ".alerts-alerts")
		t.Errorf("the incident page's alert: %q, want « Par téléphone ou en personne »: %v", got, err)
	}

	// A viewer: the queue, and no form.
	if _, err := s.Auth.CreateUser(ctx0, "test", "vic.e2e", auth.Viewer, srv.Password); err != nil {
		t.Fatal(err)
	}
	viewer := *srv
	viewer.User = "vic.e2e"
	vctx, _ := loggedInBrowserAt(t, &viewer, 1366, 900, "/#/alerts", "")
	if err := do(vctx, navigate(srv.URL+"/#/alerts"), chromedp.WaitVisible(css("#alerts-list li.alerts-inc"))); err != nil {
		t.Fatal(err)
	}
	if n, err := js[int](vctx, `document.querySelectorAll('#alerts-phone, #alerts-phone-form').length`); err != nil || n != 0 {
		t.Errorf("a viewer sees the phone form (%d elements, %v)", n, err)
	}
}

// phoneFormBrowser serves the alerts pages with a web channel
// (« Liaison communautaire ») to record alerts on, and logs responder
// rex.e2e in a browser.
func phoneFormBrowser(t *testing.T) (*e2eServer, *web.Server, *storage.DB, *alerts.Service, context.Context) {
	t.Helper()
	db, svc := web.OpenAlertsTestStore(t, t.TempDir(), sqlite.Options{})
	s := &web.Server{DB: db, Alerts: svc}
	srv := serveE2E(t, s, "rex.e2e", auth.Responder)
	if _, err := svc.NewChannel(context.Background(), "test", alerts.Web, "Liaison communautaire", "", ""); err != nil {
		t.Fatal(err)
	}
	ctx, _ := loggedInBrowser(t, srv, 1366, 900)
	return srv, s, db, svc, ctx
}
