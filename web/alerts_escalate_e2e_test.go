package web_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/alerts/alertstest"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/storage/sqlite"
	"github.com/vigil-project/vigil/web"
)

// TestE2EAlertsEscalateByHand: a responder, on a French incident page,
// escalates the incident now (« Escalader maintenant »): the page's dialog
// asks the reason, in French, and refuses to go on without one; with it,
// the page confirms, shows when it was escalated, the timeline says
// « escalade : déclenchée à la main, motif : … » in the officer's name, and
// the escalation webhook hears of it. axe-core finds nothing, dialog open
// or not.
func TestE2EAlertsEscalateByHand(t *testing.T) {
	ctx0 := context.Background()
	db, svc := web.OpenAlertsTestStore(t, t.TempDir(), sqlite.Options{})
	hooks := alertstest.EscalationHook(t, svc)
	s := &web.Server{DB: db, Alerts: svc}
	srv := serveE2E(t, s, "rex.e2e", auth.Responder)
	ch, err := svc.NewChannel(ctx0, "test", alerts.SMSSync, "Téléphone de Djugu", "s3cret", "")
	if err != nil {
		t.Fatal(err)
	}
	a, err := svc.Receive(ctx0, ch, alerts.Inbound{From: "+243812345678", Message: "Des hommes armés approchent du camp de Djugu", GatewayID: "1"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, _ := loggedInBrowser(t, srv, 1366, 900)
	const dlg = "dialog.ask[open]"
	// The dialog's hint, read with the reason's field, says in each
	// language that the reason leaves for the escalation webhook and must
	// not name reporters (the reason is sent as typed).
	hints := []struct{ lang, button, hint string }{
		{"en", "Escalate now", "The reason is sent to the escalation webhook’s address: do not write reporters’ names or phone numbers in it."},
		{"fr", "Escalader maintenant", "Le motif est envoyé à l’adresse du webhook d’escalade : n’y écrivez ni le nom ni le numéro de téléphone des personnes qui signalent."},
	}
	for _, h := range hints {
		if err := openIn(ctx, srv.URL+"/#/alerts/incident/"+strconv.FormatInt(a.IncidentID, 10), h.lang); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.documentElement.lang === '`+h.lang+`' && document.querySelector('#alerts-escalate')?.textContent === `+jsString(h.button), stepWait); err != nil {
			t.Fatalf("%s: the escalation button: %v", h.lang, err)
		}
		if err := do(ctx, chromedp.Click(css("#alerts-escalate"))); err != nil {
			t.Fatal(err)
		}
		read := `(() => { const f = document.querySelector('` + dlg + ` .ask-reason'); return (f?.getAttribute('aria-describedby') || '').split(' ').map((id) => document.getElementById(id)?.textContent || '').join(' | '); })()`
		if err := poll(ctx, read+`.includes(`+jsString(h.hint)+`)`, stepWait); err != nil {
			got, _ := js[string](ctx, read)
			t.Fatalf("%s: the reason's field is described by %q, want the hint %q: %v", h.lang, got, h.hint, err)
		}
		if h.lang == "en" {
			if err := do(ctx, chromedp.Click(css(dlg+" .ask-cancel"))); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := do(ctx, chromedp.Click(css(dlg+" .ask-cancel"))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.documentElement.lang === 'fr' && document.querySelector('#alerts-escalate')?.textContent === 'Escalader maintenant'`, stepWait); err != nil {
		got, _ := js[string](ctx, `document.querySelector('#alerts-escalate-box')?.innerText || 'no escalation button'`)
		t.Fatalf("the escalation button in French: %q: %v", got, err)
	}
	// The reason is asked in the page's dialog (Vigil.ask), in French;
	// confirming without one keeps it open and says so.
	if err := do(ctx, chromedp.Click(css("#alerts-escalate"))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('`+dlg+` h2')?.textContent === 'Escalader cet incident maintenant' && document.querySelector('`+dlg+` label')?.textContent === 'Motif de l’escalade' && document.querySelector('`+dlg+` .ask-confirm')?.textContent === 'Escalader' && document.activeElement?.classList.contains('ask-reason')`, stepWait); err != nil {
		got, _ := js[string](ctx, `document.querySelector('`+dlg+`')?.innerText || 'no dialog'`)
		t.Fatalf("the reason's dialog in French: %q: %v", got, err)
	}
	axeCheck(t, ctx)("escalation dialog (fr)")
	if err := do(ctx, chromedp.Click(css(dlg+" .ask-confirm"))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('`+dlg+` .ask-error')?.textContent === 'Indiquez une raison pour continuer : elle est obligatoire.'`, stepWait); err != nil {
		got, _ := js[string](ctx, `document.querySelector('`+dlg+`')?.innerText || 'dialog closed'`)
		t.Fatalf("no reason: %q: %v", got, err)
	}
	if in, _ := svc.Store.Incident(ctx0, a.IncidentID); in.EscalatedAt != nil {
		t.Fatal("escalated without a reason")
	}
	reason := "Le groupe armé se dirige vers le camp, la patrouille n’est pas joignable"
	if err := do(ctx, chromedp.SendKeys(css(dlg+" .ask-reason"), reason), chromedp.Click(css(dlg+" .ask-confirm"))); err != nil {
		t.Fatal(err)
	}
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	line := "escalade : déclenchée à la main, motif : " + reason
	if err := poll(ctx, `document.querySelector('#alerts-say')?.textContent === 'Incident escaladé.' && !!document.querySelector('#alerts-escalated') && [...document.querySelectorAll('.alerts-timeline li')].some((li) => li.textContent.includes('rex.e2e') && li.textContent.endsWith(`+q(line)+`))`, stepWait); err != nil {
		got, _ := js[string](ctx, `document.querySelector('#alerts-say')?.textContent + ' | ' + document.querySelector('.alerts-timeline')?.innerText`)
		t.Fatalf("after escalating: %q, want « Incident escaladé. » and the line %q: %v", got, line, err)
	}
	if ok, _ := js[bool](ctx, `document.querySelector('#alerts-escalate-note')?.textContent.startsWith('Déjà escaladé le ')`); !ok {
		got, _ := text(ctx, "#alerts-escalate-note")
		t.Errorf("note after escalating: %q", got)
	}
	if got := hooks(); len(got) != 1 || !strings.Contains(got[0], `"type":"vigil.incident.escalated"`) || strings.Contains(got[0], "812345678") {
		t.Errorf("webhook: %v", got)
	}
	in, err := svc.Store.Incident(ctx0, a.IncidentID)
	if err != nil || in.EscalatedAt == nil {
		t.Fatalf("not escalated in the store: %+v %v", in, err)
	}
	axeCheck(t, ctx)("incident escalated by hand (fr)")
}
