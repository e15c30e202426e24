package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/storage/sqlite"
	"github.com/vigil-project/vigil/web"
)

// TestE2EAlertsPhoneForm: a responder, on the French alerts page, records
// an alert taken by telephone (« Enregistrer une alerte reçue par
// téléphone »): the web channel chosen, the reporter's number and name
// (sealed, optional), the place found by name in the gazetteer. The page
// confirms it, the alert is in the queue with its place, the number is
// stored sealed and shown masked only; an empty message is refused in
// French. A viewer's page has no such form; axe-core finds nothing.
func TestE2EAlertsPhoneForm(t *testing.T) {
	ctx0 := context.Background()
	db, svc := web.OpenAlertsTestStore(t, t.TempDir(), sqlite.Options{})
	s := &web.Server{DB: db, Alerts: svc}
	srv := serveE2E(t, s, "rex.e2e", auth.Responder)
	if _, err := svc.NewChannel(ctx0, "test", alerts.Web, "Liaison communautaire", "", ""); err != nil {
		t.Fatal(err)
	}
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	ctx, _ := loggedInBrowser(t, srv, 1366, 900)
	if err := openIn(ctx, srv.URL+"/#/alerts", "fr"); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.documentElement.lang === 'fr' && document.querySelector('#alerts-phone summary')?.textContent === 'Enregistrer une alerte reçue par téléphone' && document.querySelector('#alerts-phone-channel option')?.textContent === 'Liaison communautaire'`, stepWait); err != nil {
		got, _ := js[string](ctx, `document.querySelector('#alerts-phone')?.innerText || 'no form'`)
		t.Fatalf("the phone form in French: %q: %v", got, err)
	}
	if err := do(ctx, chromedp.Click(css("#alerts-phone summary"))); err != nil {
		t.Fatal(err)
	}
	// A message of spaces passes "required" and is refused, in French.
	if err := do(ctx, chromedp.SetValue(css("#alerts-phone-message"), "   "), chromedp.Click(css("#alerts-phone-submit"))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('#alerts-phone-say')?.textContent === 'message : est vide'`, stepWait); err != nil {
		got, _ := text(ctx, "#alerts-phone-say")
		t.Fatalf("empty message: shown %q, want %q (%v)", got, "message : est vide", err)
	}
	if err := do(ctx,
		chromedp.SetValue(css("#alerts-phone-message"), "Des hommes armés ont pillé le marché ce matin"),
		chromedp.SendKeys(css("#alerts-phone-from"), "+243812345678"),
		chromedp.SendKeys(css("#alerts-phone-name"), "Mama Furaha"),
		chromedp.SendKeys(css("#alerts-phone-place"), "Djugu"),
		chromedp.Click(css("#alerts-phone-search"))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('#alerts-phone-places li button')`, stepWait); err != nil {
		t.Fatalf("no place found: %v", err)
	}
	if err := do(ctx, chromedp.Click(css("#alerts-phone-places li button")), chromedp.Click(css("#alerts-phone-submit"))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `/^Alerte n° 1 enregistrée, dans l’incident n° 1\.$/.test(document.querySelector('#alerts-phone-say')?.textContent)`, stepWait); err != nil {
		got, _ := text(ctx, "#alerts-phone-say")
		t.Fatalf("confirmation %q: %v", got, err)
	}
	if err := poll(ctx, `[...document.querySelectorAll('#alerts-list li.alerts-inc')].some((li) => li.querySelector('.alerts-preview')?.textContent === `+q("Des hommes armés ont pillé le marché ce matin")+` && li.querySelector('.alerts-place').textContent.includes('Djugu'))`, stepWait); err != nil {
		got, _ := text(ctx, "#alerts-list")
		t.Fatalf("the recorded alert is not in the queue: %q: %v", got, err)
	}
	if ok, _ := js[bool](ctx, `document.body.innerText.includes('+243812345678') || document.body.innerText.includes('Mama Furaha')`); ok {
		t.Error("the reporter's number or name shown in full")
	}
	var phone, name []byte
	if err := db.SQL.QueryRow(`SELECT phone, name FROM alerts WHERE id = 1`).Scan(&phone, &name); err != nil {
		t.Fatal(err)
	}
	if len(phone) == 0 || len(name) == 0 || bytes.Contains(phone, []byte("812345678")) || bytes.Contains(name, []byte("Furaha")) {
		t.Errorf("reporter not sealed at rest: phone %d bytes, name %d bytes", len(phone), len(name))
	}
	axeCheck(t, ctx)("alerts phone form (fr)")

	// A viewer: the queue, and no form.
	if _, err := s.Auth.CreateUser(ctx0, "test", "vic.e2e", auth.Viewer, srv.Password); err != nil {
		t.Fatal(err)
	}
	viewer := *srv
	viewer.User = "vic.e2e"
	vctx, _ := loggedInBrowser(t, &viewer, 1366, 900)
	if err := do(vctx, navigate(srv.URL+"/#/alerts"), chromedp.WaitVisible(css("#alerts-list li.alerts-inc"))); err != nil {
		t.Fatal(err)
	}
	if n, err := js[int](vctx, `document.querySelectorAll('#alerts-phone, #alerts-phone-form').length`); err != nil || n != 0 {
		t.Errorf("a viewer sees the phone form (%d elements, %v)", n, err)
	}
}
