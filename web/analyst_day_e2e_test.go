package web_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/contacts"
)

// These tests come from an information analyst's day walked in the browser
// in French on a fresh demo (tipline → narrative → verify → fact-check →
// answers → broadcast → weekly brief), one per rough edge found.

// TestE2EAnalystDayVerifyAnswer: a claim rated false and published, from
// the Verify page in French, is answered to the people who sent the rumour
// with one button. The answer card showed only once the check had been
// moved to « Réponse prévue », which nothing on the page said to do: after
// « Publier » the page listed the senders (« 2 personnes … ; 0 a reçu la
// réponse ») and no way to answer them. The page also links the
// narrative's items (what people wrote), which opens them on the Integrity
// page, filtered to that narrative by its address. The check's card of
// broadcasts sends one from the page (it could only link one by its
// number): its French text is the answer, prefilled; a refusal is said
// under the field it is about; sent, it is listed with its recipients and
// the form says how many people it was queued for.
func TestE2EAnalystDayVerifyAnswer(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	ctx, srv, integ, al, tip := tiplineCheckJourney(t, 1366, 768, "On dit que les hommes armés vont revenir attaquer Ippy cette nuit, partagez", "+236720000001", "+236720000002")
	if err := do(ctx, navigate(srv.URL+"/#/integrity?tab=narratives"), setLangJS("fr")); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('#integrity-narratives .integrity-verify') && document.documentElement.lang === 'fr'`, stepWait); err != nil {
		t.Fatal(err)
	}
	if err := do(ctx, click(css(`#integrity-narratives .integrity-verify`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('#verify-state')?.dataset.state === 'new'`, stepWait); err != nil {
		t.Fatal(err)
	}
	id, err := js[string](ctx, `new URLSearchParams(location.hash.split('?')[1]).get('narrative')`)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		t.Fatalf("narrative %q: %v", id, err)
	}
	publishFalse(t, integ, "analyst.e2e", n, "Des hommes armés vont revenir attaquer Ippy cette nuit.",
		"No armed group is coming back to Ippy.", "Aucun groupe armé ne revient à Ippy.")
	// A contact of Ippy the claim is broadcast to from the check's own form.
	cs := integ.Replier.(contacts.TiplineReplier).Contacts
	if _, err := cs.Import(ctx0, "test", []contacts.Row{{Where: "c.csv:2", Input: contacts.Input{Phone: "+236720000009", Language: "fr", Groups: []string{"ippy"}, ConsentHow: "verbal"}}}); err != nil {
		t.Fatal(err)
	}
	const state = `document.querySelector('#verify-state')?.dataset.state`
	const bcErr = `document.querySelector('#verify-bc-group-err')?.textContent === 'Groupe\u00a0: donnez un groupe, un lieu (ou lat,lon) avec un rayon, des cellules ou une zone administrative' && document.querySelector('#verify-bc-group').getAttribute('aria-invalid') === 'true'`
	steps := []e2eStep{
		{"published and rated: the answer is offered", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/map"), navigate(srv.URL + "/#/verify?narrative=" + id)},
			state + ` === 'rated' && !!document.querySelector('#verify-link') && document.querySelector('#verify-answers')?.disabled === false && document.querySelector('#verify-answers').textContent === 'Prévoir la réponse et l’envoyer (2 signalements)'`},
		{"answers sent", []chromedp.Action[chromedp.Void]{click(css(`#verify-answers`))},
			state + ` === 'responded' && /^2 réponses envoyées/.test(document.querySelector('#banner').textContent) && /2 ont reçu la réponse$/.test(document.querySelector('#verify-senders').textContent)`},
		// The broadcast form says the answer in French, prefilled; a
		// refusal is said under its field; sent, the check lists it.
		{"broadcast form prefilled", nil, `document.querySelector('#verify-bc-text-fr')?.value.startsWith('Faux\u00a0: Aucun groupe armé ne revient à Ippy. ' + location.origin + '/factcheck/') && !!document.querySelector('#verify-bc-gateway option')`},
		{"broadcast refused under its field", []chromedp.Action[chromedp.Void]{click(css(`#verify-bc-form button[type=submit]`))}, bcErr},
		// A group nobody is in: refused (422) under the field, not sent to no one.
		{"broadcast to an empty group refused", []chromedp.Action[chromedp.Void]{chromedp.SetValue(css(`#verify-bc-group`), "bria"), click(css(`#verify-bc-form button[type=submit]`))},
			`document.querySelector('#verify-bc-group-err')?.textContent === 'Groupe\u00a0: aucun contact dans le groupe «\u202fbria\u202f»\u00a0: ajoutez-en sur la page Contacts, ou choisissez un autre public' && !document.querySelector('#verify-broadcast-list')`},
		// Listed with whom it went to, by the group's name.
		{"broadcast sent and listed", []chromedp.Action[chromedp.Void]{chromedp.SetValue(css(`#verify-bc-group`), "ippy"), click(css(`#verify-bc-form button[type=submit]`))},
			`document.querySelector('#verify-bc-result')?.textContent === 'Diffusion mise en file d’attente pour 1 personne.' && /^Groupe ippy — .*\s:\s1 destinataire — /.test(document.querySelector('#verify-broadcast-list li')?.textContent || '') && !document.querySelector('#verify-bc-group-err')`},
		{"the narrative's items", []chromedp.Action[chromedp.Void]{click(css(`#verify-items`))},
			`document.querySelectorAll('#integrity-items > li').length === 2 && document.querySelector('#integrity-tab-items')?.getAttribute('aria-pressed') === 'true' && /On dit que les hommes armés/.test(document.querySelector('#integrity-of-narrative')?.textContent || '')`},
	}
	runSteps(t, ctx, `(document.querySelector('#banner')?.textContent || '') + '\n' + (document.querySelector('main')?.innerText || '')`, steps)
	ms, err := al.Outbox(ctx0, tip.ID)
	// The two answers, then the broadcast to the contact: the answer too.
	answer := "Faux\u00a0: Aucun groupe armé ne revient à Ippy. " + srv.URL + "/factcheck/"
	if err != nil || len(ms) != 3 || !strings.HasPrefix(ms[0].Message, answer) || ms[2].To != "+236720000009" || !strings.HasPrefix(ms[2].Message, answer) {
		t.Fatalf("outbox %+v %v", ms, err)
	}
}

// TestE2EAnalystDayIntegrityBack: the Integrity page follows its address.
// Its tabs rewrote the address in place, and a change of the address to
// another tab (the browser's Back, a link pasted or followed) left the
// tab shown as it was: after Récits → Contenus, Back showed the items
// under an address naming the narratives, and Back again left the app.
// Each tab chosen is now a step in the history, and the page draws the
// tab, or the narrative's items, its address names.
func TestE2EAnalystDayIntegrityBack(t *testing.T) {
	t.Parallel()
	_, _, srv := integrityE2EServer(t)
	ctx, _ := newBrowser(t, 1366, 768)
	if err := login(ctx, srv); err != nil {
		t.Fatal(err)
	}
	shows := func(tab string) string {
		return `location.hash.startsWith('#/integrity?tab=` + tab + `') && document.querySelector('#integrity-tab-` + tab + `')?.getAttribute('aria-pressed') === 'true' && document.querySelector('.integrity-pane')?.dataset.tab === '` + tab + `'`
	}
	steps := []e2eStep{
		{"narratives", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/integrity?tab=narratives")}, shows("narratives")},
		{"items chosen", []chromedp.Action[chromedp.Void]{click(css(`#integrity-tab-items`))}, shows("items")},
		{"lexicon chosen", []chromedp.Action[chromedp.Void]{click(css(`#integrity-tab-lexicon`))}, shows("lexicon")},
		{"back to the items", []chromedp.Action[chromedp.Void]{evalJS(`(history.back(), true)`)}, shows("items")},
		{"back to the narratives", []chromedp.Action[chromedp.Void]{evalJS(`(history.back(), true)`)}, shows("narratives")},
		{"forward to the items", []chromedp.Action[chromedp.Void]{evalJS(`(history.forward(), true)`)}, shows("items")},
		{"a link to the brief", []chromedp.Action[chromedp.Void]{evalJS(`(location.hash = '#/integrity?tab=brief', true)`)}, shows("brief")},
	}
	runSteps(t, ctx, `location.hash + '\n' + (document.querySelector('main')?.innerText || '')`, steps)
}

// TestE2EAnalystDayMapLegend: the map's harmful-speech layer, on beside the
// others at 1366×768 in French, keeps the map's sidebar within its width.
// Its legend's entries are sentences kept on one line each (.legend
// .swatch is nowrap, for classes such as « 2 %–5 % »): the legend was
// 639 px wide in the 269 px sidebar, which scrolled sideways.
func TestE2EAnalystDayMapLegend(t *testing.T) {
	t.Parallel()
	_, _, srv := integrityE2EServer(t)
	ctx, _ := newBrowser(t, 1366, 768)
	if err := login(ctx, srv); err != nil {
		t.Fatal(err)
	}
	// French first: a link's layers open its view only, not the map drawn again in another language.
	if err := do(ctx, navigate(srv.URL+"/#/integrity"), setLangJS("fr")); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.documentElement.lang === 'fr'`, stepWait); err != nil {
		t.Fatal(err)
	}
	if err := do(ctx, navigate(srv.URL+"/#/map?layers=integrity")); err != nil {
		t.Fatal(err)
	}
	const legend = `document.querySelector('#layer-integrity')?.closest('.layer')?.querySelector('.legend')`
	if err := poll(ctx, `document.documentElement.lang === 'fr' && document.querySelector('#layer-integrity')?.checked && /discours nuisibles en hausse/.test(`+legend+`?.textContent || '')`, stepWait); err != nil {
		t.Fatal(err)
	}
	got, err := js[string](ctx, `(() => { const s = document.querySelector('.sidebar'); return s.scrollWidth + ' > ' + s.clientWidth + ' (legend ' + Math.round(`+legend+`.getBoundingClientRect().width) + ' px)'; })()`)
	if err != nil {
		t.Fatal(err)
	}
	var sw, cw int
	if _, err := fmt.Sscanf(got, "%d > %d", &sw, &cw); err != nil {
		t.Fatalf("%q: %v", got, err)
	}
	if sw > cw {
		t.Errorf("the map's sidebar scrolls sideways with the harmful-speech layer on: %s", got)
	}
}

// TestE2EAnalystDayBroadcastGroup: on the Contacts page in French, the
// group of a broadcast is offered from the contacts' groups, and the form
// says whom it reaches and in which languages (which texts to write), or
// that no active contact is in a group typed wrong. A mistyped group was
// accepted and sent to no one (« Groupe leadrs — 0 en file d’attente »),
// with nothing said before.
func TestE2EAnalystDayBroadcastGroup(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	s, _ := alertsContactsServer(t) // broadcasts_e2e_test.go
	srv := serveE2E(t, s, "analyst.e2e", auth.Analyst)
	if _, err := s.Alerts.NewChannel(ctx0, "test", alerts.SMSSync, "Bunia phone", "s-secret", ""); err != nil {
		t.Fatal(err)
	}
	rows := []contacts.Row{
		{Where: "c.csv:2", Input: contacts.Input{Phone: "+243830000001", Language: "fr", Groups: []string{"leaders"}, ConsentHow: "verbal"}},
		{Where: "c.csv:3", Input: contacts.Input{Phone: "+243830000002", Language: "ln", Groups: []string{"leaders", "radio"}, ConsentHow: "verbal"}},
		{Where: "c.csv:4", Input: contacts.Input{Phone: "+243830000003", Language: "fr", Groups: []string{"leaders"}, ConsentHow: "verbal"}},
		{Where: "c.csv:5", Input: contacts.Input{Phone: "+243830000004", Language: "sw", Groups: []string{"radio"}, ConsentHow: "verbal"}},
	}
	if _, err := s.Contacts.Import(ctx0, "test", rows); err != nil {
		t.Fatal(err)
	}
	ctx, _ := loggedInBrowser(t, srv, 1366, 768)
	typeGroup := func(g string) chromedp.Action[chromedp.Void] {
		return evalJS(`(() => { const i = document.querySelector('#broadcast-group'); i.value = ` + strconv.Quote(g) + `; i.dispatchEvent(new Event('input')); return true; })()`)
	}
	const reach = `document.querySelector('#broadcast-group-reach')?.textContent`
	steps := []e2eStep{
		{"contacts in French", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/contacts"), setLangJS("fr")},
			// drawn again in French (the English form, replaced, would lose what is typed)
			`document.querySelector('#broadcast-h')?.textContent === 'Envoyer une diffusion' && document.querySelectorAll('#contacts-list tbody tr').length === 4 && [...document.querySelectorAll('#broadcast-groups option')].map((o) => o.value).join() === 'leaders,radio'`},
		{"a group: whom and in which languages", []chromedp.Action[chromedp.Void]{typeGroup("leaders")},
			reach + ` === '3 contacts actifs dans ce groupe\u00a0: français (2), lingala (1). Chacun reçoit le texte de sa langue, à écrire ci-dessous.'`},
		{"a group typed wrong", []chromedp.Action[chromedp.Void]{typeGroup("leadrs")},
			reach + ` === 'Aucun contact actif dans le groupe «\u202fleadrs\u202f»\u00a0: la diffusion n’atteindrait personne. Choisissez un groupe de la liste, ou ajoutez ses contacts sur la page Contacts.'`},
	}
	runSteps(t, ctx, `document.querySelector('main')?.innerText || ''`, steps)
	// The texts written say which one the contacts of other languages get,
	// as the server chooses it (the hint promised the French one whatever
	// was written: with English and Arabic, French speakers got Arabic).
	write := func(texts map[string]string) chromedp.Action[chromedp.Void] {
		return evalJS(`(() => { const m = ` + mustJSON(texts) + `; for (const l of ['fr', 'en', 'sw', 'ln', 'ar']) { const a = document.querySelector('#broadcast-text-' + l); a.value = m[l] || ''; a.dispatchEvent(new Event('input')); } return true; })()`)
	}
	const fallback = `document.querySelector('#broadcast-fallback')?.textContent`
	steps = []e2eStep{
		{"one text", []chromedp.Action[chromedp.Void]{write(map[string]string{"ln": "Bosala keba"})},
			fallback + ` === 'Tous les destinataires reçoivent ce texte en lingala.'`},
		{"English and Arabic", []chromedp.Action[chromedp.Void]{write(map[string]string{"en": "Stay safe", "ar": "ابقوا آمنين"})},
			fallback + ` === 'Les contacts d’une autre langue reçoivent le texte en arabe.'`},
		{"French too", []chromedp.Action[chromedp.Void]{write(map[string]string{"en": "Stay safe", "ar": "ابقوا آمنين", "fr": "Restez prudents"})},
			fallback + ` === 'Les contacts d’une autre langue reçoivent le texte en français.'`},
		{"sent as said", []chromedp.Action[chromedp.Void]{write(map[string]string{"en": "Stay safe", "ar": "ابقوا آمنين"}), typeGroup("leaders"), click(css(`#broadcast-form button[type=submit]`))},
			`document.querySelectorAll('#broadcast-list li').length === 1`},
	}
	runSteps(t, ctx, `document.querySelector('main')?.innerText || ''`, steps)
	bs, err := s.Contacts.RecentBroadcasts(ctx0)
	if err != nil || len(bs) != 1 || bs[0].Fallback != "ar" {
		t.Fatalf("broadcasts %+v %v: want one, its fallback ar as the form said", bs, err)
	}
	axeCheck(t, ctx)("contacts fr")
}
