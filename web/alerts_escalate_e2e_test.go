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
	t.Parallel()
	ctx0 := context.Background()
	db, svc := web.OpenAlertsTestStore(t, t.TempDir(), sqlite.Options{})
	hooks := alertstest.EscalationHook(t, svc)
	s := &web.Server{DB: db, Alerts: svc}
	srv := serveE2E(t, s, "rex.e2e", auth.Responder)
	a := escalationAlert(t, svc)
	ctx, _ := loggedInBrowser(t, srv, 1366, 900)
	const dlg = "dialog.ask[open]"
	// The dialog's hint, read with the reason's field, says in each
	// language that the reason leaves for the escalation webhook and must
	// not name reporters (the reason is sent as typed).
	hints := []struct{ lang, button, hint string }{
		{"en", "Escalate now", "The reason is sent to the escalation webhook’s address: do not write reporters’ names or phone numbers in it."},
		{"fr", "Escalader maintenant", "Le motif est envoyé à l’adresse du webhook d’escalade\u00a0: n’y écrivez ni le nom ni le numéro de téléphone des personnes qui signalent."},
	}
	for _, h := range hints {
		if err := openIn(ctx, srv.URL+"/#/alerts/incident/"+strconv.FormatInt(a.IncidentID, 10), h.lang); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.documentElement.lang === '`+h.lang+`' && document.querySelector('#alerts-escalate')?.textContent === `+jsString(h.button), stepWait); err != nil {
			t.Fatalf("%s: the escalation button: %v", h.lang, err)
		}
		// Clicked by script: the incident page may draw the button again
		// (live queue) between the poll and a chromedp click, which then
		// fails with "Could not find node with given id".
		if _, err := js[bool](ctx, `(document.querySelector('#alerts-escalate').click(), true)`); err != nil {
			t.Fatal(err)
		}
		read := `(() => { const f = document.querySelector('` + dlg + ` .ask-reason'); return (f?.getAttribute('aria-describedby') || '').split(' ').map((id) => document.getElementById(id)?.textContent || '').join(' | '); })()`
		if err := poll(ctx, read+`.includes(`+jsString(h.hint)+`)`, stepWait); err != nil {
			got, _ := js[string](ctx, read)
			t.Fatalf("%s: the reason's field is described by %q, want the hint %q: %v", h.lang, got, h.hint, err)
		}
		if h.lang == "en" {
			if err := do(ctx, click(css(dlg+" .ask-cancel"))); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := do(ctx, click(css(dlg+" .ask-cancel"))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.documentElement.lang === 'fr' && document.querySelector('#alerts-escalate')?.textContent === 'Escalader maintenant'`, stepWait); err != nil {
		got, _ := js[string](ctx, `document.querySelector('#alerts-escalate-box')?.innerText || 'no escalation button'`)
		t.Fatalf("the escalation button in French: %q: %v", got, err)
	}
	// The reason is asked in the page's dialog (Vigil.ask), in French;
	// confirming without one keeps it open and says so.
	if err := do(ctx, click(css("#alerts-escalate"))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('`+dlg+` h2')?.textContent === 'Escalader cet incident maintenant' && document.querySelector('`+dlg+` label')?.textContent === 'Motif de l’escalade' && document.querySelector('`+dlg+` .ask-confirm')?.textContent === 'Escalader' && document.activeElement?.classList.contains('ask-reason')`, stepWait); err != nil {
		got, _ := js[string](ctx, `document.querySelector('`+dlg+`')?.innerText || 'no dialog'`)
		t.Fatalf("the reason's dialog in French: %q: %v", got, err)
	}
	axeCheck(t, ctx)("escalation dialog (fr)")
	if err := do(ctx, click(css(dlg+" .ask-confirm"))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('`+dlg+` .ask-error')?.textContent === 'Indiquez une raison pour continuer\u00a0: elle est obligatoire.'`, stepWait); err != nil {
		got, _ := js[string](ctx, `document.querySelector('`+dlg+`')?.innerText || 'dialog closed'`)
		t.Fatalf("no reason: %q: %v", got, err)
	}
	if in, _ := svc.Store.Incident(ctx0, a.IncidentID); in.EscalatedAt != nil {
		t.Fatal("escalated without a reason")
	}
	reason := "Le groupe armé se dirige vers le camp, la patrouille n’est pas joignable"
	if err := do(ctx, chromedp.SendKeys(css(dlg+" .ask-reason"), reason), click(css(dlg+" .ask-confirm"))); err != nil {
		t.Fatal(err)
	}
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	line := "escalade\u00a0: déclenchée à la main, motif\u00a0: " + reason
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

// TestE2EAlertsEscalateReasonChecks: the escalation dialog checks the
// reason as the server does (alerts.CheckText): at most
// alerts.MaxEscalateReason bytes of UTF-8, not characters (the dialog's
// field allowed 500 characters: it cut a 1,000-letter reason the server
// takes, and let through 500 « … », 1,500 bytes the server refuses), and
// a reason of invisible characters is none (it passed the dialog's trim()
// and the server refused it). A refused reason keeps the dialog open with
// the refusal in French and posts nothing; one at the limit goes whole.
func TestE2EAlertsEscalateReasonChecks(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	db, svc := web.OpenAlertsTestStore(t, t.TempDir(), sqlite.Options{})
	srv := serveE2E(t, &web.Server{DB: db, Alerts: svc}, "rex.e2e", auth.Responder)
	a := escalationAlert(t, svc)
	ctx, _ := loggedInBrowserAt(t, srv, 1366, 900, "/#/alerts/incident/"+strconv.FormatInt(a.IncidentID, 10), "fr")
	if err := poll(ctx, `document.documentElement.lang === 'fr' && !!document.querySelector('#alerts-escalate')`, stepWait); err != nil {
		t.Fatal(err)
	}
	// Count the escalation requests the page sends.
	if _, err := js[bool](ctx, `(() => { const f = window.fetch; window.escalations = 0; window.fetch = (u, o) => { if (String(u).endsWith('/escalate')) window.escalations++; return f(u, o); }; return true; })()`); err != nil {
		t.Fatal(err)
	}
	const dlg = "dialog.ask[open]"
	max := alerts.MaxEscalateReason
	tooLong := "La raison est trop longue\u00a0: 1\u202f002 octets, 1\u202f000 au plus (une lettre accentuée compte pour 2 octets, certains signes pour 3). Raccourcissez-la."
	cases := []struct {
		name, reason string
		typed, said  string // the refusal while typing, on confirming ("": none, escalated)
	}{
		{"invisible characters only", "\u200b\u2060\u200d\ufeff\u00a0\u0085", "", "Indiquez une raison pour continuer\u00a0: elle est obligatoire."},
		{"over the limit in bytes", strings.Repeat("é", max/2+1), tooLong, tooLong},
		{"signs of 3 bytes", strings.Repeat("…", max/3+1), tooLong, tooLong}, // 334 « … »: 1,002 bytes
		{"at the limit in bytes", strings.Repeat("é", max/2), "", ""},
		{"more than 500 characters within the limit", strings.Repeat("x", max), "", ""},
	}
	sent := 0
	for _, c := range cases {
		// Clicked where it is now: the incident page may redraw (its
		// stream said the incident changed) between finding the button
		// and clicking it, and a click on the node drawn before failed
		// (« Could not find node with given id », full run of 03:31 UTC,
		// 2026-12-07). The dialog is in the body, out of the redraw.
		if err := poll(ctx, `(() => { const b = document.querySelector('#alerts-escalate'); b?.click(); return !!b; })()`, stepWait); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.activeElement?.matches('`+dlg+` .ask-reason')`, stepWait); err != nil {
			t.Fatalf("%s: the dialog: %v", c.name, err)
		}
		// Typed as a person does (execCommand goes through the field's own
		// limits, as typing or pasting does).
		if _, err := js[bool](ctx, `document.execCommand('insertText', false, `+jsString(c.reason)+`)`); err != nil {
			t.Fatal(err)
		}
		errText := `document.querySelector('` + dlg + ` .ask-error')?.textContent`
		if got, _ := js[string](ctx, errText); got != c.typed {
			t.Errorf("%s: while typing the dialog says %q, want %q", c.name, got, c.typed)
		}
		if err := do(ctx, click(css(dlg+" .ask-confirm"))); err != nil {
			t.Fatal(err)
		}
		if c.said != "" {
			if err := poll(ctx, errText+` === `+jsString(c.said)+` && document.querySelector('`+dlg+` .ask-reason').getAttribute('aria-invalid') === 'true'`, stepWait); err != nil {
				got, _ := js[string](ctx, `document.querySelector('`+dlg+`')?.innerText || 'dialog closed: ' + document.querySelector('#alerts-say')?.textContent`)
				t.Errorf("%s: %q, want the dialog open saying %q: %v", c.name, got, c.said, err)
			}
			if n, _ := js[int](ctx, `window.escalations`); n != sent {
				t.Errorf("%s: %d escalation requests sent, want %d", c.name, n, sent)
			}
			if err := do(ctx, click(css(dlg+" .ask-cancel"))); err != nil {
				t.Fatal(err)
			}
			continue
		}
		sent++
		line := "escalade\u00a0: déclenchée à la main, motif\u00a0: " + c.reason
		if err := poll(ctx, `!document.querySelector('`+dlg+`') && window.escalations === `+strconv.Itoa(sent)+` && [...document.querySelectorAll('.alerts-timeline li')].some((li) => li.textContent.endsWith(`+jsString(line)+`))`, stepWait); err != nil {
			got, _ := js[string](ctx, `(document.querySelector('`+dlg+`')?.innerText || '') + ' | ' + document.querySelector('#alerts-say')?.textContent`)
			t.Fatalf("%s: not escalated with the whole reason: %q: %v", c.name, got, err)
		}
	}
	tl, err := svc.Store.Timeline(ctx0, a.IncidentID)
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, l := range tl {
		if l.Kind == "escalate" {
			got = append(got, len(strings.TrimPrefix(l.Text, alerts.HandEscalation+": ")))
		}
	}
	if len(got) != 2 || got[0] != max || got[1] != max {
		t.Errorf("escalations' reasons in the store: %v bytes, want [%d %d]", got, max, max)
	}
}

// escalationAlert is an alert svc took, from a reporter's phone, whose
// incident the test escalates.
func escalationAlert(t *testing.T, svc *alerts.Service) *alerts.Alert {
	t.Helper()
	ctx := context.Background()
	ch, err := svc.NewChannel(ctx, "test", alerts.SMSSync, "Téléphone de Djugu", "s3cret-gw", "")
	if err != nil {
		t.Fatal(err)
	}
	a, err := svc.Receive(ctx, ch, alerts.Inbound{From: "+243812345678", Message: "Des hommes armés approchent du camp de Djugu", GatewayID: "1"})
	if err != nil {
		t.Fatal(err)
	}
	return a
}
