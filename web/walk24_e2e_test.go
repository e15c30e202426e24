package web_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
)

// The defects found by walking the demo in French as a protection adviser
// (notes s24/walk.md), each checked where it was seen.

// TestE2EWalk24Incident: an incident on a phone (390 px), in French. The
// title the page focuses on opening is not framed by a focus ring (core's
// box-shadow drew a black box round it); no control sticks out of the
// controls' column (a button after another took a left margin while 100 %
// wide); replying with nothing written says so by the reply form (it said
// only « Réponse non envoyée. », and « message : est vide » at the top);
// escalated a second time, the note gives the last escalation, not the
// first one's time as « Déjà escaladé le … ».
func TestE2EWalk24Incident(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	const user, pw = "analyst.walk24", "correct horse battery"
	srv := startDemoServer(t, user, auth.Analyst, pw)
	ins, err := srv.DB.Incidents(t.Context(), alerts.IncidentFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	id := int64(0)
	for _, in := range ins {
		if in.Status == "verified" && in.AlertCount > 1 {
			id = in.ID
			break
		}
	}
	if id == 0 {
		t.Fatal("the demo has no verified incident of several alerts")
	}
	ctx, _ := loggedInBrowserAt(t, &e2eServer{URL: srv.URL, User: user, Password: pw}, 390, 844, "/#/alerts/incident/"+strconv.Itoa(int(id)), "fr")
	if err := poll(ctx, `document.documentElement.lang === 'fr' && document.activeElement?.id === 'alerts-inc-title' && !!document.querySelector('#alerts-escalate')`, stepWait); err != nil {
		t.Fatalf("incident %d: %v", id, err)
	}
	ring, _ := js[string](ctx, `(() => { const cs = getComputedStyle(document.querySelector('#alerts-inc-title')); return cs.boxShadow + ' | ' + cs.outlineStyle; })()`)
	if ring != "none | none" {
		t.Errorf("the focused title is framed: box-shadow | outline = %q", ring)
	}
	out, _ := js[string](ctx, `(() => { const c = document.querySelector('.alerts-controls').getBoundingClientRect();
		return [...document.querySelectorAll('.alerts-controls :is(button, .btn)')].filter((b) => b.offsetParent).filter((b) => { const r = b.getBoundingClientRect(); return r.right > c.right + 0.5 || r.left < c.left - 0.5; })
		  .map((b) => b.textContent + ' ' + Math.round(b.getBoundingClientRect().left) + '–' + Math.round(b.getBoundingClientRect().right) + ' in ' + Math.round(c.left) + '–' + Math.round(c.right)).join(' | '); })()`)
	if out != "" {
		t.Errorf("390 px: controls out of their column: %s", out)
	}

	// Reply with nothing written.
	if _, err := js[bool](ctx, `(document.querySelector('[id^=alerts-reply-][id$=-send]').click(), true)`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('[id^=alerts-reply-][id$=-out]')?.textContent === 'Écrivez d’abord la réponse.'`, stepWait); err != nil {
		got, _ := js[string](ctx, `document.querySelector('[id^=alerts-reply-][id$=-out]')?.textContent + ' | ' + document.querySelector('#alerts-say')?.textContent`)
		t.Errorf("empty reply: the form says %q, want « Écrivez d’abord la réponse. »: %v", got, err)
	}

	// Escalated twice: the note says the last time.
	const dlg = "dialog.ask[open]"
	for i, reason := range []string{"Village menacé, patrouille demandée", "Toujours aucune patrouille sur place"} {
		if _, err := js[bool](ctx, `(document.querySelector('#alerts-escalate').click(), true)`); err != nil {
			t.Fatal(err)
		}
		if err := do(ctx, chromedp.WaitVisible(css(dlg+" .ask-reason")), chromedp.SendKeys(css(dlg+" .ask-reason"), reason), click(css(dlg+" .ask-confirm"))); err != nil {
			t.Fatal(err)
		}
		n := strconv.Itoa(i + 1)
		if err := poll(ctx, `[...document.querySelectorAll('.alerts-timeline li')].filter((li) => li.textContent.includes('`+user+`') && li.textContent.includes('déclenchée à la main')).length === `+n+` && !!document.querySelector('#alerts-escalate-note')`, stepWait); err != nil {
			got, _ := text(ctx, ".alerts-timeline")
			t.Fatalf("escalation %s: %q: %v", n, got, err)
		}
		time.Sleep(5 * time.Millisecond) // two escalations, two instants (the store keeps the first's)
	}
	note, _ := text(ctx, "#alerts-escalate-note")
	if !strings.HasPrefix(note, "Dernière escalade le ") {
		t.Errorf("note after escalating again: %q, want « Dernière escalade le … »", note)
	}
}

// TestE2EWalk24SurveysTrend: the change between two rounds is a headed
// table, its change in points with its interval said in words (it was
// « −12,4 pts (−24,1 … −0,6) » under no header), and the respondents'
// counts are right-aligned as the other figures.
func TestE2EWalk24SurveysTrend(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	const user, pw = "analyst.walk24s", "correct horse battery"
	srv := startDemoServer(t, user, auth.Analyst, pw)
	ctx, _ := loggedInBrowserAt(t, &e2eServer{URL: srv.URL, User: user, Password: pw}, 1366, 768, "/#/surveys", "fr")
	if err := poll(ctx, `document.documentElement.lang === 'fr' && !!document.querySelector('#surveys-estimates') && !document.querySelector('#surveys-page-loading')`, stepWait); err != nil {
		t.Fatal(err)
	}
	if _, err := js[bool](ctx, `(() => { const r = document.querySelector('#surveys-round'), c = document.querySelector('#surveys-compare');
		r.value = 'DEMO-R2'; r.dispatchEvent(new Event('change')); c.value = 'DEMO-R1'; c.dispatchEvent(new Event('change')); return true; })()`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('#surveys-trend tbody tr')`, stepWait); err != nil {
		t.Fatal(err)
	}
	head, _ := js[string](ctx, `[...document.querySelectorAll('#surveys-trend thead th')].map((th) => th.textContent).join(' | ')`)
	if want := "Groupe | DEMO-R1 → DEMO-R2 | Évolution, en points (intervalle à 95\u202f%) | Au-delà de la marge d’erreur\u202f?"; head != want {
		t.Errorf("trend header %q, want %q", head, want)
	}
	change, _ := js[string](ctx, `document.querySelector('#surveys-trend tbody tr').cells[2].textContent`)
	if strings.Contains(change, "pts") || strings.Contains(change, "…") || !strings.Contains(change, " (") || !strings.Contains(change, " à ") || !strings.HasSuffix(change, ")") {
		t.Errorf("trend change %q, want « −12,4 (−24,1 à −0,6) » (the header says points)", change)
	}
	align, _ := js[string](ctx, `[...document.querySelectorAll('#surveys-estimates tbody tr')].map((tr) => getComputedStyle(tr.cells[1]).textAlign).join(' ')`)
	if strings.Contains(align, "left") || align == "" {
		t.Errorf("respondents' counts aligned %q, want right", align)
	}
	// Who is unheard: the dissimilarity indices one by one, separated.
	if _, err := js[bool](ctx, `(document.querySelector('#surveys-unheard-load').click(), true)`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('#surveys-unheard .surveys-unheard')`, stepWait); err != nil {
		t.Fatal(err)
	}
	index, _ := text(ctx, "#surveys-index")
	if !regexp.MustCompile(`^Indice de dissimilarité \(0 = comme la population, 1 = totalement différent\)\x{00a0}: [^;]+\x{00a0}: \d(,\d+)?(\x{202f}; [^;]+\x{00a0}: \d(,\d+)?)+\.$`).MatchString(index) {
		t.Errorf("dissimilarity indices %q: want « … : 0,22\u202f; … : 0,14. »", index)
	}
}

// TestE2EWalk24ResponsivenessEmpty: a period with no onset says where
// deployments are imported — Administration → Import data, with a link
// (it sent the reader to the Coverage page, which has no such import) —
// and the page no longer points a browser user to a terminal command.
func TestE2EWalk24ResponsivenessEmpty(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	const user, pw = "analyst.walk24r", "correct horse battery"
	srv := startDemoServer(t, user, auth.Analyst, pw)
	ctx, _ := loggedInBrowserAt(t, &e2eServer{URL: srv.URL, User: user, Password: pw}, 1366, 768, "/#/responsiveness", "fr")
	if err := poll(ctx, `document.documentElement.lang === 'fr' && !!document.querySelector('#resp-summary')`, stepWait); err != nil {
		t.Fatal(err)
	}
	if intro, _ := text(ctx, "main > p.muted"); strings.Contains(intro, "vigil") {
		t.Errorf("introduction names a command: %q", intro)
	}
	// The period's fields say what empty means.
	if hints, _ := js[string](ctx, `[...document.querySelectorAll('#resp-from .hint, #resp-to .hint')].map((h) => h.textContent).join(' | ')`); hints != "Vide\u00a0: depuis le premier mois des données | Vide\u00a0: jusqu’au dernier mois des données" {
		t.Errorf("period hints %q", hints)
	}
	// Each bound is one fieldset (legend, Month and Year, its hint under
	// them), the two side by side and the button level with their fields:
	// the hint stood between « Du » and its fields and, as wide as the
	// fieldset, set « Au » far from « Du ».
	layout, err := js[[]string](ctx, `(() => {
	  const out = [], parts = (id) => document.querySelector('#' + id + ' .date-parts').getBoundingClientRect();
	  for (const id of ['resp-from', 'resp-to']) {
	    const p = parts(id), h = document.querySelector('#' + id + ' .hint').getBoundingClientRect();
	    if (h.top < p.bottom - 1) out.push(id + ': its hint above its fields');
	  }
	  const gap = parts('resp-to').left - document.querySelector('#resp-from .date-part:last-child').getBoundingClientRect().right;
	  if (gap > 40) out.push('the two bounds ' + Math.round(gap) + ' px apart');
	  return out.concat(`+formLayoutProblems+`);
	})()`)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range layout {
		t.Errorf("period form: %s", p)
	}
	if err := do(ctx, chromedp.SetValue(css(`#resp-from`), "1990-01"), chromedp.SetValue(css(`#resp-to`), "1990-02"), click(css(`#resp-go`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('#resp-out .empty')`, stepWait); err != nil {
		t.Fatal(err)
	}
	body, _ := text(ctx, "#resp-out .empty")
	if strings.Contains(body, "Couverture") || !strings.Contains(body, "Administration → Importer des données") {
		t.Errorf("empty state %q: want the way to Administration → Importer des données", body)
	}
	if ok, _ := js[bool](ctx, `!!document.querySelector('#resp-out .empty a[href="#/admin?tab=data"]')`); !ok {
		t.Errorf("empty state %q: no link to the data import", body)
	}
}

// TestE2EWalk24PerformanceNarrow: on a phone the results framework's table
// scrolls in its frame with its words whole (it broke « Républiq|ue
// centrafric|aine », « Événement|s »).
func TestE2EWalk24PerformanceNarrow(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "walk24-performance-")
	ctx := b.ctx
	saveDemoDeployments(t, srv.DB)
	if err := do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	if err := openIn(ctx, srv.URL+"/#/performance?tab=indicators&period=2018", "fr"); err != nil {
		t.Fatal(err)
	}
	b.wait("fr open", `document.documentElement.lang === 'fr' && document.querySelector('#perf-status caption')?.textContent.includes('2018') && document.querySelectorAll('#perf-status tbody td').length > 5`)
	broken, err := js[string](ctx, `(() => { const out = new Set();
		for (const c of document.querySelectorAll('#perf-status :is(td, th)')) {
			const w = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
			for (let n = w.nextNode(); n; n = w.nextNode()) {
				for (const m of n.data.matchAll(/\p{L}{4,}/gu)) {
					const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
					const tops = new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top)));
					if (tops.size > 1) out.add(m[0]);
				}
			}
		}
		return [...out].join(' | '); })()`)
	if err != nil || broken != "" {
		t.Errorf("390 px: words broken across lines in the status table: %q (%v)", broken, err)
	}
	b.done("walk24 performance narrow")
}

// TestE2EWalk24RiskTooltip: hovering a risk cell names its place (or its
// cell's reference); it said only « 12,3 % · janvier 2019 ». Its
// explanation names the model in words, not by its code « gbt ».
func TestE2EWalk24RiskTooltip(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	ctx := openRiskLayer(t, riskForecastStore(t))
	if err := poll(ctx, `document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive').length > 50`, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	// onCell sends a mouse event to the first cell drawn and waits for what it shows.
	onCell := func(event, shown string) {
		t.Helper()
		if _, err := js[bool](ctx, `(() => { const p = document.querySelector('.leaflet-overlay-pane path.leaflet-interactive'); const r = p.getBoundingClientRect();
			p.dispatchEvent(new MouseEvent('`+event+`', {bubbles: true, clientX: r.x + r.width / 2, clientY: r.y + r.height / 2})); return true; })()`); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `!!document.querySelector('`+shown+`')`, stepWait); err != nil {
			t.Fatalf("%s on a cell: no %s: %v", event, shown, err)
		}
	}
	onCell("mouseover", ".leaflet-tooltip")
	tip, _ := text(ctx, ".leaflet-tooltip")
	if head, _, ok := strings.Cut(tip, ": "); !ok || head == "" || strings.ContainsAny(head[:1], "0123456789") {
		t.Errorf("tooltip %q: want the place (or the cell) before the probability", tip)
	}
	// Its explanation names the model in words (it said « model gbt »).
	onCell("click", ".risk-cell h3")
	why, _ := text(ctx, ".risk-cell")
	if !strings.Contains(why, "model: gradient-boosted trees (gbt).") {
		t.Errorf("explanation %q: want « model: gradient-boosted trees (gbt). »", why)
	}
	// The deaths' interval to a tenth, as the expected number (it said « 0–4.771 »).
	if regexp.MustCompile(`interval [^)]*\d[.,]\d\d`).MatchString(why) || !strings.Contains(why, "90% interval ") {
		t.Errorf("explanation %q: want the 90%% interval to a tenth", why)
	}
}
