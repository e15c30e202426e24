package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/integrity"
)

// TestE2EIntegrityVerify: two people text the same rumour to an SMS
// tipline; an analyst opens the narrative from the Integrity page with its
// Verify link, moves it to verifying, assigns it, sets a deadline (the
// timer shows), adds evidence and a note, writes the claim, rates it false
// with an English and a French answer, publishes it (the public link
// shows), plans the response and sends the answer: both senders are
// answered through the tipline's outbox. The page is axe clean in English
// and French, and so is the public fact-check page, where the claim's
// markup is text. A step the server refuses (an assignee too long, a
// move someone else's move made stale) is said in French on the French
// page, the states allowed by the Verify page's labels.
func TestE2EIntegrityVerify(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	ctx, srv, integ, al, tip := tiplineCheckJourney(t, 1280, 900, "On dit que le pont de Rutshuru sera détruit ce soir par les rebelles, ne passez plus par là", "+243811000001", "+243811000002")
	const state = `document.querySelector('#verify-state')?.dataset.state`
	steps := []e2eStep{
		{"narratives", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/integrity?tab=narratives")},
			`document.querySelector('#integrity-narratives .integrity-verify')`},
		{"verify page", []chromedp.Action[chromedp.Void]{click(css(`#integrity-narratives .integrity-verify`))},
			state + ` === 'new' && /^2 people sent this rumour/.test(document.querySelector('#verify-senders').textContent) && document.querySelector('#verify-assignee').textContent === 'no one' && document.querySelector('#verify-deadline').textContent === 'none'`},
		{"to verifying", []chromedp.Action[chromedp.Void]{click(css(`#verify-moves button[data-to=verifying]`))},
			state + ` === 'verifying' && document.querySelectorAll('#verify-log li').length === 1`},
		// « Assigned to » offers the users who may verify (the analyst), from the list.
		{"assignees offered", nil,
			`document.querySelector('#verify-assignee-in')?.list?.id === 'verify-assignees' && [...document.querySelector('#verify-assignee-in').list.options].map((o) => o.value).join(',') === 'analyst.e2e'`},
		{"assigned", []chromedp.Action[chromedp.Void]{chromedp.SetValue(css(`#verify-assignee-in`), "analyst.e2e"), click(css(`#verify-assign button`))},
			`document.querySelector('#verify-assignee').textContent === 'analyst.e2e'`},
		{"deadline and its timer", []chromedp.Action[chromedp.Void]{chromedp.SetValue(css(`#verify-deadline-in`), "2030-01-01T12:00"), click(css(`#verify-deadline-form button`))},
			// The deadline is a Vigil.dateInput (day, month name, year, 24-hour time), not the browser's
			// datetime-local, and holds the saved deadline again (the API's RFC 3339 time, UTC).
			`/^due in \d+ d \d+ h$/.test(document.querySelector('#verify-timer .badge')?.textContent || '') && document.querySelector('#verify-deadline-in')?.matches('fieldset.date-input[data-kind=datetime]') && document.querySelector('#verify-deadline-in').value === '2030-01-01T12:00' && document.querySelector('#verify-deadline-in-hour').value === '12'`},
		{"evidence", []chromedp.Action[chromedp.Void]{chromedp.SetValue(css(`#verify-evidence-in`), "https://radiookapi.net/pont-rutshuru"),
			chromedp.SetValue(css(`#verify-evidence-note`), "Radio Okapi: the bridge is open"), click(css(`#verify-evidence button`))},
			`document.querySelector('#verify-log li[data-kind=evidence] a')?.href === 'https://radiookapi.net/pont-rutshuru'`},
		{"note", []chromedp.Action[chromedp.Void]{chromedp.SetValue(css(`#verify-note-in`), "Called the administrator: traffic normal"), click(css(`#verify-note button`))},
			`/traffic normal/.test(document.querySelector('#verify-log li[data-kind=note]')?.textContent || '')`},
		{"claim", []chromedp.Action[chromedp.Void]{chromedp.SetValue(css(`#verify-claim-in`), "The Rutshuru bridge will be destroyed tonight <b>by rebels</b>"), click(css(`#verify-claim-form button`))},
			`document.querySelector('#verify-claim').textContent.includes('<b>by rebels</b>') && !document.querySelector('#verify-claim b')`},
		{"rated", []chromedp.Action[chromedp.Void]{chromedp.SetValue(css(`#verify-rate-rating`), "false"), chromedp.SetValue(css(`#verify-rate-en`), "The bridge is open and guarded."),
			chromedp.SetValue(css(`#verify-rate-fr`), "Le pont est ouvert et gardé."), click(css(`#verify-rate button`))},
			state + ` === 'rated' && document.querySelector('#verify-rating').textContent === 'False' && !!document.querySelector('#verify-publish')`},
		{"published", []chromedp.Action[chromedp.Void]{click(css(`#verify-publish`))},
			`/\/factcheck\/[0-9a-f]{24}$/.test(document.querySelector('#verify-link')?.href || '')`},
		{"response planned", []chromedp.Action[chromedp.Void]{click(css(`#verify-moves button[data-to=response_planned]`))},
			state + ` === 'response_planned' && !!document.querySelector('#verify-answers')`},
		{"answers sent", []chromedp.Action[chromedp.Void]{click(css(`#verify-answers`))},
			state + ` === 'responded' && /^2 answers sent, 0 not sent/.test(document.querySelector('#banner').textContent) && /2 answered$/.test(document.querySelector('#verify-senders').textContent)`},
		// Everyone is answered: the button no longer offers to send and says why.
		{"no one left to answer", nil,
			`document.querySelector('#verify-answers')?.disabled === true && document.querySelector('#verify-answers').textContent === 'No one left to answer' && document.querySelector('#verify-answers').getAttribute('aria-describedby') === 'verify-answers-why' && document.querySelector('#verify-answers-why')?.textContent === 'All 2 tipline senders have been answered (or opted out): there is no one left to send the answer to.'`},
	}
	runSteps(t, ctx, `(document.querySelector('#banner')?.textContent || '') + '\n' + (document.querySelector('main')?.innerText || '')`, steps)
	ms, err := al.Outbox(ctx0, tip.ID)
	if err != nil || len(ms) != 2 || !strings.HasPrefix(ms[0].Message, "Faux\u00a0: Le pont est ouvert et gardé. "+srv.URL+"/factcheck/") {
		t.Fatalf("outbox %+v %v", ms, err)
	}
	axe := axeCheck(t, ctx)
	axe("verify en")
	if _, err := js[bool](ctx, `(Vigil.setLang('fr'), true)`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('#verify-state')?.textContent === 'Réponse envoyée' && /^2 personnes/.test(document.querySelector('#verify-senders').textContent) && document.querySelector('#verify-deadline-in-month')?.selectedOptions[0]?.textContent === 'janvier' && document.querySelector('#verify-answers')?.textContent === 'Plus personne à qui répondre' && /^Les 2 personnes qui ont signalé cette rumeur ont déjà reçu la réponse/.test(document.querySelector('#verify-answers-why')?.textContent || '')`, stepWait); err != nil {
		t.Fatalf("not in French: %v", err)
	}
	// A step the server refuses is said in French too (it was in English).
	if err := do(ctx, chromedp.SetValue(css(`#verify-assignee-in`), strings.Repeat("a", 101)), click(css(`#verify-assign button`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('#banner')?.textContent === 'Confié à\u00a0: fait 101 caractères\u202f; au plus 100'`, stepWait); err != nil {
		banner, _ := js[string](ctx, `document.querySelector('#banner')?.textContent || ''`)
		t.Fatalf("refused step: %v\nbanner: %s", err, banner)
	}
	// A move someone else made meanwhile: the page still offers the moves
	// from "responded"; the refusal names the allowed states as the page
	// labels them (it listed the API's words).
	id, err := js[string](ctx, `new URLSearchParams(location.hash.split('?')[1]).get('narrative')`)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.ParseInt(id, 10, 64)
	closed := integrity.CheckClosed
	if _, err := integ.UpdateCheck(ctx0, "someone.else", n, integrity.CheckUpdate{State: &closed}); err != nil {
		t.Fatal(err)
	}
	if err := do(ctx, click(css(`#verify-moves button[data-to=response_planned]`))); err != nil {
		t.Fatal(err)
	}
	const moved = `state : une vérification ne peut pas passer de l’état « Clos » à l’état « Réponse prévue » (états permis : « En veille »)`
	if err := poll(ctx, `document.querySelector('#banner')?.textContent === `+strconv.Quote(moved), stepWait); err != nil {
		banner, _ := js[string](ctx, `document.querySelector('#banner')?.textContent || ''`)
		t.Fatalf("refused move: %v\nbanner: %s", err, banner)
	}
	axe("verify fr")
	link, err := js[string](ctx, `document.querySelector('#verify-link').href`)
	if err != nil {
		t.Fatal(err)
	}
	if err := do(ctx, chromedp.Navigate(link+"?lang=fr")); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.documentElement.lang === 'fr' && document.querySelector('#rating')?.textContent === 'Faux' && document.querySelector('#claim').textContent.includes('<b>by rebels</b>') && !document.querySelector('#claim b')`, stepWait); err != nil {
		body, _ := js[string](ctx, `document.body.innerText`)
		t.Fatalf("public page: %v\n%s", err, body)
	}
	axe("public page fr")
}
