package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/demo"
)

// TestE2EAskDialog: showing a reporter's number and removing the population
// layer ask in the page's own dialog (Vigil.ask), not in the browser's
// window.prompt / window.confirm (buttons in the browser's language, an
// empty answer not told from a cancel). In English and in French: the
// dialog's title, label and buttons are in the page's language; the focus
// starts in it, stays in it (Tab from the last control comes back to the
// first) and goes back to the button that opened it; Escape and Cancel
// change nothing; confirming without a reason is refused with a message in
// the page's language and nothing revealed; the reason given goes to the
// audit log with the reveal; the removal is done only once confirmed. axe
// runs with the dialog open.
func TestE2EAskDialog(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	ctx0 := context.Background()
	srv, db, ch := startAlertsServer(t, "analyst.ask", auth.Analyst, nil)
	postSMS(t, srv, ch, "+243812345678", "Armed men near the market", "ask-1")
	cells, err := demo.ReferenceCells()
	if err != nil {
		t.Fatal(err)
	}
	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	axe := axeCheck(t, ctx)
	const open = `!!document.querySelector('dialog.ask[open]')`
	dialogText := func(sel string) string {
		t.Helper()
		s, err := js[string](ctx, `(document.querySelector('dialog.ask[open] `+sel+`') || {}).textContent || ''`)
		if err != nil {
			t.Fatalf("dialog %s: %v", sel, err)
		}
		return s
	}
	tab := func(shift bool) {
		t.Helper()
		var opts []chromedp.KeyOption
		if shift {
			opts = append(opts, chromedp.KeyModifiers(chromedp.ModifierShift))
		}
		if err := do(ctx, chromedp.KeyEvent("\t", opts...)); err != nil {
			t.Fatal(err)
		}
	}
	focused := func() string {
		s, _ := js[string](ctx, `(() => { const a = document.activeElement; return a ? a.tagName.toLowerCase() + '.' + [...a.classList].join('.') : ''; })()`)
		return s
	}
	type words struct{ title, label, cancel, confirm, needReason, removeTitle, remove string }
	for i, c := range []struct {
		lang string
		want words
	}{
		{"en", words{"Show the reporter's number and name", "Why do you need the reporter's number?", "Cancel", "Show number and name",
			"Give a reason to continue: it is required.", "Remove population layer", "Remove"}},
		{"fr", words{"Afficher le numéro et le nom de la personne qui a signalé", "Pourquoi avez-vous besoin du numéro de la personne qui a signalé\u202f?", "Annuler", "Afficher le numéro et le nom",
			"Indiquez une raison pour continuer\u00a0: elle est obligatoire.", "Supprimer la couche de population", "Supprimer"}},
	} {
		t.Run(c.lang, func(t *testing.T) {
			// Reveal: each round on an alert of its own (the first round's reporter is shown).
			if i > 0 {
				postSMS(t, srv, ch, fmt.Sprintf("+24381234567%d", i), "Armed men near the school", fmt.Sprintf("ask-%d", i+1))
			}
			page := fmt.Sprintf("%s/#/alerts/incident/%d", srv.URL, i+1)
			if err := openIn(ctx, page, c.lang); err != nil {
				t.Fatal(err)
			}
			if err := poll(ctx, `document.documentElement.lang === '`+c.lang+`' && !!document.querySelector('.alerts-reveal')`, stepWait); err != nil {
				t.Fatalf("incident %d: no reveal button: %v", i+1, err)
			}
			if _, err := js[bool](ctx, `window.asked = 0; window.prompt = () => { window.asked++; return 'x'; }; window.confirm = () => { window.asked++; return true; }; true`); err != nil {
				t.Fatal(err)
			}
			reveal := func() {
				t.Helper()
				js[bool](ctx, `document.querySelector('.alerts-reveal').marked = true`)
				if err := focusEnter(ctx, `.alerts-reveal`); err != nil {
					t.Fatal(err)
				}
				if err := poll(ctx, open+` || window.asked > 0`, stepWait); err != nil {
					t.Fatalf("no dialog: %v", err)
				}
				if n, _ := js[int](ctx, `window.asked`); n > 0 {
					t.Fatalf("the browser's own dialog was used (%d)", n)
				}
			}
			reveal()
			for sel, want := range map[string]string{"h2": c.want.title, "label": c.want.label, ".ask-cancel": c.want.cancel, ".ask-confirm": c.want.confirm} {
				if got := dialogText(sel); got != want {
					t.Errorf("dialog %s %q, want %q", sel, got, want)
				}
			}
			if f := focused(); f != "input.ask-reason" {
				t.Errorf("focus in the open dialog on %q, want the reason field", f)
			}
			axe("reveal dialog " + c.lang)
			if p := languageProblems(ctx, c.lang); len(p) > 0 {
				t.Errorf("reveal dialog: %v", p)
			}
			// The focus stays in the dialog: field → Cancel → confirm → field, and back.
			for _, want := range []string{"button.ask-cancel", "button.ask-confirm", "input.ask-reason"} {
				tab(false)
				if f := focused(); f != want {
					t.Errorf("Tab: focus on %q, want %q", f, want)
				}
			}
			tab(true)
			if f := focused(); f != "button.ask-confirm" {
				t.Errorf("Shift+Tab from the field: focus on %q, want the confirm button", f)
			}
			// Escape cancels: nothing revealed, the focus back on the button.
			if err := do(ctx, chromedp.KeyEvent("\u001b")); err != nil {
				t.Fatal(err)
			}
			if err := poll(ctx, `!document.querySelector('dialog.ask') && document.activeElement === document.querySelector('.alerts-reveal')`, 10*time.Second); err != nil {
				st, _ := js[string](ctx, `JSON.stringify({dialog: !!document.querySelector('dialog.ask'), mark: !!(document.querySelector('.alerts-reveal') || {}).marked})`)
				t.Errorf("after Escape: dialog left or focus on %q (%s): %v", focused(), st, err)
			}
			// No reason: refused in the page's language, the dialog stays.
			reveal()
			if err := focusEnter(ctx, `dialog.ask .ask-reason`); err != nil {
				t.Fatal(err)
			}
			if err := poll(ctx, open+` && document.querySelector('dialog.ask .ask-error').textContent !== ''`, stepWait); err != nil {
				t.Fatalf("no message for a missing reason: %v", err)
			}
			if got := dialogText(".ask-error"); got != c.want.needReason {
				t.Errorf("missing reason: %q, want %q", got, c.want.needReason)
			}
			if inv, _ := js[string](ctx, `document.querySelector('dialog.ask .ask-reason').getAttribute('aria-invalid') || ''`); inv != "true" {
				t.Errorf("reason field aria-invalid %q after the refusal", inv)
			}
			axe("reveal dialog refused " + c.lang)
			recs, err := db.AuditLog(ctx0, audit.Filter{Action: "alerts.reporter.reveal"})
			if err != nil || len(recs) != i {
				t.Fatalf("audit rows before a reason is given: %d (%v), want %d", len(recs), err, i)
			}
			// With a reason: the number shown and the reason in the audit log.
			reason := "to call back about the " + c.lang + " report"
			if err := focusType(ctx, `dialog.ask .ask-reason`, reason+"\r"); err != nil {
				t.Fatal(err)
			}
			if err := poll(ctx, `!document.querySelector('dialog.ask') && /\+24381234567/.test(document.querySelector('.alerts-alerts').textContent)`, stepWait); err != nil {
				got, _ := text(ctx, `.alerts-alerts`)
				t.Fatalf("number not shown after the reason: %q %v", got, err)
			}
			recs, err = db.AuditLog(ctx0, audit.Filter{Action: "alerts.reporter.reveal"})
			if err != nil || len(recs) != i+1 {
				t.Fatalf("audit rows after the reveal: %d (%v), want %d", len(recs), err, i+1)
			}
			found := false
			for _, r := range recs {
				found = found || (r.Detail == reason && r.Actor == "analyst.ask")
			}
			if !found {
				t.Errorf("no audit row with the reason %q: %+v", reason, recs)
			}

			// Removing the population layer: Cancel keeps it, confirming removes it.
			pop, err := coverage.ReadPopulation(strings.NewReader(fmt.Sprintf("gid,population,friction\n%d,2500,3\n", cells.All()[0].GID)), "census.csv", cells)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.SavePopulation(ctx0, "loader", "census.csv", pop); err != nil {
				t.Fatal(err)
			}
			if err := do(ctx, navigate(srv.URL+"/#/coverage")); err != nil {
				t.Fatal(err)
			}
			if err := poll(ctx, `!!document.querySelector('#coverage-pop-remove:not([disabled])') && document.getElementById('coverage-pop-summary').textContent.includes('census.csv')`, stepWait); err != nil {
				got, _ := text(ctx, `#coverage-pop`)
				t.Fatalf("population layer not shown: %q %v", got, err)
			}
			remove := func() {
				t.Helper()
				if err := focusEnter(ctx, `#coverage-pop-remove`); err != nil {
					t.Fatal(err)
				}
				if err := poll(ctx, open+` || window.asked > 0`, stepWait); err != nil {
					t.Fatalf("no dialog: %v", err)
				}
				if n, _ := js[int](ctx, `window.asked`); n > 0 {
					t.Fatalf("the browser's own dialog was used (%d)", n)
				}
			}
			if _, err := js[bool](ctx, `window.asked = 0; window.confirm = () => { window.asked++; return true; }; true`); err != nil {
				t.Fatal(err)
			}
			remove()
			for sel, want := range map[string]string{"h2": c.want.removeTitle, ".ask-cancel": c.want.cancel, "button.ask-confirm.danger": c.want.remove} {
				if got := dialogText(sel); got != want {
					t.Errorf("remove dialog %s %q, want %q", sel, got, want)
				}
			}
			if f := focused(); f != "button.ask-cancel" {
				t.Errorf("focus in the remove dialog on %q, want Cancel", f)
			}
			if n, _ := js[int](ctx, `document.querySelectorAll('dialog.ask input').length`); n != 0 {
				t.Errorf("the remove dialog asks for a reason (%d fields)", n)
			}
			axe("remove dialog " + c.lang)
			if err := do(ctx, click(css(`dialog.ask .ask-cancel`))); err != nil {
				t.Fatal(err)
			}
			if err := poll(ctx, `!document.querySelector('dialog.ask') && document.activeElement === document.getElementById('coverage-pop-remove')`, stepWait); err != nil {
				t.Errorf("after Cancel: dialog left or focus on %q: %v", focused(), err)
			}
			if _, layer, err := db.Population(ctx0); err != nil || layer == nil {
				t.Errorf("the layer is gone after Cancel: %v %v", layer, err)
			}
			remove()
			if err := do(ctx, click(css(`dialog.ask .ask-confirm`))); err != nil {
				t.Fatal(err)
			}
			if err := poll(ctx, `!document.querySelector('dialog.ask') && !document.getElementById('coverage-pop-summary').textContent.includes('census.csv')`, stepWait); err != nil {
				got, _ := text(ctx, `#coverage-pop-summary`)
				t.Errorf("after confirming, the summary says %q: %v", got, err)
			}
		})
	}
}
