package web_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/storage/sqlite"
	"github.com/vigil-project/vigil/web"
)

// TestE2EAlertsEscalateByHand: a responder, on a French incident page,
// escalates the incident now (« Escalader maintenant »): without a reason
// the page asks for one; with it, the page confirms, shows when it was
// escalated, the timeline says « escalade : déclenchée à la main, motif :
// … » in the officer's name, and the escalation webhook hears of it.
// axe-core finds nothing.
func TestE2EAlertsEscalateByHand(t *testing.T) {
	ctx0 := context.Background()
	db, svc := web.OpenAlertsTestStore(t, t.TempDir(), sqlite.Options{})
	hooks := web.EscalationHook(t, svc)
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
	if err := openIn(ctx, srv.URL+"/#/alerts/incident/"+strconv.FormatInt(a.IncidentID, 10), "fr"); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.documentElement.lang === 'fr' && document.querySelector('#alerts-escalate-box legend')?.textContent === 'Escalade immédiate' && document.querySelector('#alerts-escalate')?.textContent === 'Escalader maintenant'`, stepWait); err != nil {
		got, _ := js[string](ctx, `document.querySelector('#alerts-escalate-box')?.innerText || 'no escalation box'`)
		t.Fatalf("the escalation box in French: %q: %v", got, err)
	}
	if err := do(ctx, chromedp.Click(css("#alerts-escalate"))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('#alerts-say')?.textContent === 'Indiquez pourquoi l’incident est escaladé.' && document.activeElement?.id === 'alerts-escalate-why'`, stepWait); err != nil {
		got, _ := text(ctx, "#alerts-say")
		t.Fatalf("no reason: shown %q: %v", got, err)
	}
	reason := "Le groupe armé se dirige vers le camp, la patrouille n’est pas joignable"
	if err := do(ctx, chromedp.SendKeys(css("#alerts-escalate-why"), reason), chromedp.Click(css("#alerts-escalate"))); err != nil {
		t.Fatal(err)
	}
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	line := "escalade : déclenchée à la main, motif : " + reason
	if err := poll(ctx, `document.querySelector('#alerts-say')?.textContent === 'Incident escaladé.' && !!document.querySelector('#alerts-escalated') && [...document.querySelectorAll('.alerts-timeline li')].some((li) => li.textContent.includes('rex.e2e') && li.textContent.endsWith(`+q(line)+`))`, stepWait); err != nil {
		got, _ := js[string](ctx, `document.querySelector('#alerts-say')?.textContent + ' | ' + document.querySelector('.alerts-timeline')?.innerText`)
		t.Fatalf("after escalating: %q, want « Incident escaladé. » and the line %q: %v", got, line, err)
	}
	if ok, _ := js[bool](ctx, `document.querySelector('#alerts-escalate-hint')?.textContent.startsWith('Déjà escaladé le ')`); !ok {
		got, _ := text(ctx, "#alerts-escalate-hint")
		t.Errorf("hint after escalating: %q", got)
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
