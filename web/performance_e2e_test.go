package web_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	keys "github.com/chromedp/chromedp/kb"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/performance"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/web"
)

// e2ePerformance is the performance service of the browser tests' full
// server (reading survey answers through sv), with the demo results
// framework (MINUSCA) stored and the shipped gazetteer naming cells.
func e2ePerformance(db *storage.DB, sv *surveys.Service) (*performance.Service, error) {
	cells, err := demo.ReferenceCells()
	if err != nil {
		return nil, err
	}
	if _, err := demo.LoadFramework(context.Background(), db, "test"); err != nil {
		return nil, err
	}
	places, err := demo.Gazetteer()
	if err != nil {
		return nil, err
	}
	// The shipped gazetteer names the watch's cells, as vigil serve's index does.
	return &performance.Service{Store: db, Events: db, Deployments: db, Forecasts: db, Alerts: db, Settings: db, Surveys: sv, Integrity: db, Cells: cells,
		Version: db.PerformanceVersion, Places: &geotext.Index{Shipped: places}}, nil
}

// alertBria records, as vigil serve's watch does, that the withdrawal
// watch fired for the withdrawal from Bria (MINUSCA, March 2018: 19
// civilian deaths after it against 3.5 expected) at cell, matched with
// controls, and that leadership was alerted.
func alertBria(t *testing.T, db *storage.DB, cell int, controls ...performance.Control) {
	t.Helper()
	bria := performance.Withdrawal{Cell: cell, Area: "CAF", Mission: "MINUSCA", Location: "Bria", Month: "2018-03", Status: performance.WEvaluated,
		Before: 2, After: 19, Expected: 3.5, DiD: 15.5, P: 0.0001, Fired: true, Controls: controls}
	if _, err := db.RecordTriggers(context.Background(), "withdrawal watch", []performance.Withdrawal{bria}, func(performance.Withdrawal) bool { return true }); err != nil {
		t.Fatal(err)
	}
}

// perfBrowser is a logged-in browser on the full server for the
// performance page's tests, with their step, wait and done helpers.
type perfBrowser struct {
	t     *testing.T
	ctx   context.Context
	rec   *pageRecorder
	shots string
	name  string // screenshot prefix
}

func newPerfBrowser(t *testing.T, name string) (*fullServer, *perfBrowser) {
	chromiumPath(t)
	srv := startFullServer(t)
	b := &perfBrowser{t: t, shots: screenshotDir(t), rec: &pageRecorder{reqs: map[network.RequestID]string{}}, name: name}
	b.ctx = newRecordingBrowser(t, 1440, 900, b.rec.listen)
	b.step("login", chromedp.Navigate(srv.URL+"/login?lang=en"), chromedp.WaitVisible(css(`#login-form`)),
		chromedp.SendKeys(css(`#name`), srv.User), chromedp.SendKeys(css(`#password`), srv.Password),
		click(css(`#login-submit`)), chromedp.WaitVisible(css(`#main`)))
	return srv, b
}

// step runs browser actions.
func (b *perfBrowser) step(name string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepWait)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		shown, _ := js[string](b.ctx, `document.querySelector('main')?.innerText || ''`)
		b.t.Fatalf("%s: %v\npage: %.3000s", name, err, shown)
	}
}

// wait polls until the JavaScript expression is true.
func (b *perfBrowser) wait(name, expr string) {
	b.t.Helper()
	if err := pollAcrossReloads(b.ctx, "!!("+expr+")", stepWait); err != nil {
		shown, _ := js[string](b.ctx, `document.querySelector('main')?.innerText || ''`)
		b.t.Fatalf("%s: waiting for %s: %v\npage: %.3000s\n%v", name, expr, err, shown, b.rec.take())
	}
}

// done takes a screenshot and reports what went wrong on the page.
func (b *perfBrowser) done(name string) {
	b.t.Helper()
	if b.shots == "" {
		// none without $VIGIL_SCREENSHOTS (screenshotDir)
	} else if png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100)); err == nil {
		os.WriteFile(filepath.Join(b.shots, b.name+name+".png"), png, 0o644)
	}
	for _, p := range b.rec.take() {
		b.t.Errorf("%s: %s", name, p)
	}
}

// TestE2EPerformanceJourney: an analyst names a mission, builds its results
// framework in the browser (an objective, then an indicator with a target),
// and sees the indicator's value, interval and honest status — the same as
// the API's — and the brief's links for it.
func TestE2EPerformanceJourney(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-journey-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done

	// The withdrawal watch fired for a recent withdrawal and alerted
	// leadership (as vigil serve's watch records it): the page says so at
	// the top, with the evidence.
	alertBria(t, srv.DB, 130329, performance.Control{Cell: 130330, Area: "CAF", Before: 1, After: 2}, performance.Control{Cell: 130331, Area: "CAF", Before: 3, After: 4})

	// The page opens on the demo framework; a new mission starts empty and
	// says how to fill it.
	step("open", navigate(srv.URL+"/#/performance"))
	wait("open", `document.querySelector('#perf-status') && document.querySelector('#perf-watch h2')`)
	wait("leadership alert", `document.querySelector('#perf-leadership[role=alert] li[data-cell="130329"]')`)
	// …and the navigation bar, on every page, counts the alerts.
	step("map page", navigate(srv.URL+"/#/map"))
	wait("nav alert", `/— 1 alert to leadership/.test(document.querySelector('#nav-performance')?.textContent || '')`)
	step("back", navigate(srv.URL+"/#/performance"))
	wait("leadership alert again", `document.querySelector('#perf-leadership[role=alert] li[data-cell="130329"]') && document.querySelector('#perf-status')`)
	lead, err := js[string](ctx, `document.querySelector('#perf-leadership').innerText`)
	// In plain words for leadership (what happened, where, how sure); the
	// statistics only in the closed "Figures for analysts".
	if err != nil || !strings.Contains(lead, "Alert to leadership") ||
		!strings.Contains(lead, "Violence against civilians rose after the mission left Bria (Central African Republic, MINUSCA) in March 2018: 19 civilian deaths in the 12 months after, where similar places where the mission stayed lead to expect about 3.5 (2 before) — almost certainly not chance.") ||
		strings.Contains(lead, "p <") || strings.Contains(lead, "difference-in-differences") || !strings.Contains(lead, "Figures for analysts") {
		t.Errorf("leadership alert: %q %v", lead, err)
	}
	if figs, err := js[string](ctx, `(() => { const d = document.querySelector('#perf-lead-130329-2018-03 details.perf-lead-figures'); return d.open + '|' + d.querySelector('summary').textContent + '|' + d.querySelector('p').textContent; })()`); err != nil ||
		figs != "false|Figures for analysts|expected 3.5; difference-in-differences 15.5; Poisson test p < 0.001" {
		t.Errorf("leadership alert's figures: %q %v", figs, err)
	}

	// An indicator broken down by perpetrator: each group's value and
	// interval, the same as the API's.
	step("by perpetrator", click(css(`#perf-status tr[data-id="cd-caf"] button[data-by=perpetrator]`)))
	wait("groups", `document.querySelectorAll('#perf-status tr.perf-by[data-for="cd-caf"] tbody tr').length > 1`)
	byShown, err := js[string](ctx, `(() => { const r = document.querySelector('#perf-status tr.perf-by[data-for="cd-caf"] tbody tr'); return r.cells[0].textContent + '|' + r.cells[1].textContent + '|' + r.cells[2].textContent; })()`)
	if err != nil {
		t.Fatal(err)
	}
	byAPI, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		const p = document.querySelector('#perf-period').value;
		const vs = await (await fetch('/api/v1/performance/value?indicator=civilian-deaths&type=3&area=CAF&by=perpetrator&period=' + p)).json();
		vs.sort((a, b) => (b.value ?? -1) - (a.value ?? -1));
		return vs.length + '|' + vs[0].disaggregation.perpetrator + '|' + vs[0].value + '|' + Math.round(vs[0].ci_low); // deaths: whole-number bounds
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	bs, ba := strings.Split(byShown, "|"), strings.Split(byAPI, "|")
	// Groups are named in words, not the codes state, non-state.
	named := map[string]string{"state": "State forces (the government's side)", "non-state": "Non-state actors"}[ba[1]]
	if bs[0] != named || !strings.HasPrefix(strings.ReplaceAll(bs[1], ",", ""), ba[2]+" ") || !strings.Contains(strings.ReplaceAll(bs[2], ",", ""), "["+ba[3]+" ") {
		t.Errorf("by perpetrator: page shows %q, API says %q", byShown, byAPI)
	}
	axe := axeCheck(t, ctx)
	axe("leadership alert and groups")
	done("by-perpetrator")
	step("new mission", chromedp.SetValue(css(`#perf-mission-new`), "MONUSCO"), chromedp.SetValue(css(`#perf-period`), "2017"),
		click(css(`#perf-controls button[type=submit]`)))
	wait("empty state", `document.querySelector('#perf-indicators .empty') && document.querySelector('#perf-obj-form')`)
	done("empty")

	// An objective, then an indicator with a 2017 target.
	step("framework tab", click(css(`#perf-tab-framework`)))
	step("objective", chromedp.SendKeys(css(`#perf-obj-id`), "poc"), chromedp.SendKeys(css(`#perf-obj-title`), "Protection of civilians"),
		click(css(`#perf-obj-form button[type=submit]`)))
	wait("objective saved", `document.querySelector('#perf-ind-obj option[value=poc]')`)
	step("indicator", chromedp.SendKeys(css(`#perf-ind-rid`), "poc-1"), chromedp.SendKeys(css(`#perf-ind-rtitle`), "Fewer civilians killed"),
		chromedp.SendKeys(css(`#perf-ind-id`), "cd-cod"), chromedp.SetValue(css(`#perf-ind-lib`), "civilian-deaths"),
		chromedp.SetValue(css(`#perf-ind-area`), "COD"), chromedp.SendKeys(css(`#perf-ind-owner`), "JMAC"),
		chromedp.SendKeys(css(`#perf-ind-targets`), "2017 = 100"),
		click(css(`#perf-ind-form button[type=submit]`)))
	wait("status", `document.querySelector('#perf-status tr[data-id="cd-cod"] .badge')`)
	done("status")

	// What the page shows is what the API says.
	shown, err := js[string](ctx, `(() => { const r = document.querySelector('#perf-status tr[data-id="cd-cod"]'); return r.cells[3].textContent + '|' + r.cells[6].querySelector('.badge').textContent + '|' + r.cells[1].textContent; })()`)
	if err != nil {
		t.Fatal(err)
	}
	api, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch('/api/v1/performance/frameworks/MONUSCO/status?period=2017').then((r) => r.json()).then((s) => s[0].value.value + '|' + s[0].status.status + '|' + s[0].value.area)`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	sp, ap := strings.Split(shown, "|"), strings.Split(api, "|")
	num := strings.NewReplacer(",", "", "\u202f", "", "\u00a0", "").Replace(strings.Fields(sp[0])[0])
	if num != ap[0] || sp[1] != ap[1] || sp[2] != "Democratic Republic of the Congo" || ap[2] != "COD" {
		t.Errorf("page shows %q, API says %q", shown, api)
	}
	// Recording keeps the values with their provenance.
	step("indicators tab", click(css(`#perf-tab-indicators`)))
	step("record", click(css(`#perf-record`)))
	wait("recorded", `/1 value/.test(document.querySelector('#perf-record').parentElement.textContent)`)
	rec1, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch('/api/v1/performance/values?mission=MONUSCO').then((r) => r.json()).then((v) => v.length + ' ' + v[0].framework_id + ' ' + v[0].value.value)`, chromedp.EvalAwaitPromise))
	if err != nil || rec1 != "1 cd-cod "+ap[0] {
		t.Errorf("recorded values: %q %v", rec1, err)
	}
	// The brief's links carry the mission and the data's last month.
	href, err := js[string](ctx, `document.querySelector('#perf-brief-pdf').getAttribute('href')`)
	if err != nil || !strings.Contains(href, "mission=MONUSCO") || !strings.Contains(href, "format=pdf") || !strings.Contains(href, "month=2018-") {
		t.Errorf("brief link %q %v", href, err)
	}
	done("brief")

	// The page's parts are tabs: the arrow keys, Home and End move between
	// them (the panel follows, the address says which); a reload opens the
	// tab of the address. Every tab is axe clean.
	step("focus the tab", chromedp.Focus(css(`#perf-tab-indicators`)), chromedp.KeyEvent(keys.ArrowRight))
	wait("arrow right", `document.activeElement?.id === 'perf-tab-framework' && document.querySelector('#perf-tab-framework').getAttribute('aria-selected') === 'true' && !document.querySelector('#perf-panel-framework').hidden && document.querySelector('#perf-panel-indicators').hidden && Vigil.params().get('tab') === 'framework'`)
	step("end and left", chromedp.KeyEvent(keys.End), chromedp.KeyEvent(keys.ArrowLeft))
	wait("end, then left", `document.activeElement?.id === 'perf-tab-watch' && !document.querySelector('#perf-panel-watch').hidden && Vigil.params().get('tab') === 'watch'`)
	step("home and left", chromedp.KeyEvent(keys.Home), chromedp.KeyEvent(keys.ArrowLeft))
	wait("wraps round", `document.activeElement?.id === 'perf-tab-brief' && [...document.querySelectorAll('[role=tab]')].filter((b) => b.tabIndex === 0).length === 1`)
	step("a link to a tab", navigate(srv.URL+"/#/map"), navigate(srv.URL+"/#/performance?tab=compacts"))
	wait("compacts from the link", `document.querySelector('#perf-tab-compacts')?.getAttribute('aria-selected') === 'true' && !document.querySelector('#perf-panel-compacts').hidden && document.querySelector('#perf-panel-indicators').hidden && document.querySelector('#perf-compacts h2')`)
	for _, tab := range []string{"indicators", "framework", "compacts", "options", "watch", "brief"} {
		step(tab+" tab", click(css(`#perf-tab-`+tab)))
		wait(tab+" shown", `!document.querySelector('#perf-panel-`+tab+`').hidden && document.querySelector('#perf-panel-`+tab+` h2')`)
		axe("tab " + tab)
	}
	step("back to the indicators", click(css(`#perf-tab-indicators`)))
	wait("status again", `document.querySelector('#perf-status tr[data-id="cd-cod"] .badge')`)
	// A count of deaths has whole-number bounds, and the table writes its 95 %
	// interval as the status explanation under it does: "[a, b]", « [a ; b] ».
	intervalSame := func(lang, re string) {
		t.Helper()
		got, err := js[string](ctx, `(() => { const r = document.querySelector('#perf-status tr[data-id="cd-cod"]'); return r.cells[4].textContent + '|' + r.cells[6].querySelector('.perf-reason').textContent; })()`)
		if err != nil {
			t.Fatal(err)
		}
		cells, why, _ := strings.Cut(got, "|")
		iv := regexp.MustCompile(`\[.*\]`).FindString(cells) // after the UCDP low–high estimates
		if !regexp.MustCompile(re).MatchString(iv) {
			t.Errorf("%s: interval %q, want /%s/", lang, iv, re)
		}
		if strings.Contains(why, "[") && !strings.Contains(why, iv) {
			t.Errorf("%s: interval %q written otherwise in the explanation %q", lang, iv, why)
		}
	}
	intervalSame("en", `^\[[0-9][0-9,]*, [0-9][0-9,]*\]$`)

	// In French, every status and trend reason is French: no English reason
	// is left on the page.
	if _, err := js[bool](ctx, `(Vigil.setLang('fr'), true)`); err != nil {
		t.Fatal(err)
	}
	wait("french", `document.querySelector('main h1').textContent === 'Performance et redevabilité' && document.querySelector('#perf-status tr[data-id="cd-cod"] .perf-reason')`)
	intervalSame("fr", `^\[[0-9][0-9\x{202f}\x{a0}]*\x{202f}; [0-9][0-9\x{202f}\x{a0}]*\]$`)
	reasons, err := js[string](ctx, `[...document.querySelectorAll('#perf-status .perf-reason, #perf-status .badge, #perf-leadership')].map((e) => e.textContent + ' ' + (e.title || '')).join('\n')`)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(reasons, "Alerte à la direction") || !strings.Contains(reasons, "19 décès de civils dans les 12 mois suivants") || !strings.Contains(reasons, "presque certainement pas un hasard") ||
		!strings.Contains(reasons, "Chiffres pour les analystes") || !strings.Contains(reasons, "double différence 15,5\u202f; test de Poisson p < 0,001") {
		t.Errorf("the leadership alert is not in French:\n%s", reasons)
	}
	if !strings.Contains(reasons, "intervalle à 95\u202f%") && !strings.Contains(reasons, "pas de ") {
		t.Errorf("no French reason on the page:\n%s", reasons)
	}
	for _, en := range web.EnglishReasonFragments() {
		if strings.Contains(reasons, en) {
			t.Errorf("English reason %q on the French page:\n%s", en, reasons)
		}
	}
	// …and so is how a value was computed (its provenance's method and
	// sources).
	step("french value", chromedp.SetValue(css(`#perf-v-ind`), "civilian-deaths"), chromedp.SetValue(css(`#perf-v-area`), "COD"),
		chromedp.SetValue(css(`#perf-v-period`), "2017"), click(css(`form:has(#perf-v-period) button[type=submit]`)))
	wait("french provenance", `document.querySelector('#perf-v-prov')`)
	prov, err := js[string](ctx, `document.querySelector('#perf-v-prov').textContent`)
	if err != nil || strings.Contains(prov, "sum of UCDP best") || !strings.Contains(prov, "somme des estimations UCDP") || !strings.Contains(prov, "événements (") {
		t.Errorf("provenance in French: %q %v", prov, err)
	}
	axe("french")
	done("french")
	step("reload on a tab", navigate(srv.URL+"/#/performance?tab=watch"), chromedp.Reload())
	wait("watch after reload", `document.querySelector('#perf-tab-watch')?.getAttribute('aria-selected') === 'true' && !document.querySelector('#perf-panel-watch').hidden && document.querySelector('#perf-panel-indicators').hidden && document.querySelector('#perf-watch h2')`)
}

// TestE2EPerformancePerception: the demo framework's perception indicators
// (share feeling safe, share trusting the mission to protect), computed from
// the demo's survey answers of late 2018, are broken down on the page by
// sex, age group and region; every group's value and design-based 95%
// interval is the API's, and a group too small to show says why.
func TestE2EPerformancePerception(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-perception-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	if n, err := demo.LoadSurvey(context.Background(), srv.DB, srv.Server.Surveys.Keys, "test"); err != nil || n != demo.SurveyResponses {
		t.Fatalf("demo survey: %d %v", n, err)
	}
	step("open", navigate(srv.URL+"/#/performance"))
	if _, err := js[bool](ctx, `(location.hash = '#/performance', true)`); err != nil { // a hash-only navigation may not be taken
		t.Fatal(err)
	}
	wait("open", `document.querySelector('#perf-status') && document.querySelector('#perf-watch h2')`)
	// The table shown before the period is chosen is marked, so that the
	// wait is for the 2018 table that replaces it.
	if _, err := js[bool](ctx, `(document.querySelector('#perf-status').dataset.old = '1', true)`); err != nil {
		t.Fatal(err)
	}
	step("2018", chromedp.SetValue(css(`#perf-period`), "2018"), click(css(`#perf-controls button[type=submit]`)))
	wait("perception rows", `!document.querySelector('#perf-status[data-old]') && document.querySelector('#perf-status caption')?.textContent.includes('2018') && document.querySelector('#perf-status tr[data-id="safe"] .badge') && document.querySelector('#perf-status tr[data-id="trusts"] .badge')`)
	axe := axeCheck(t, ctx)
	for _, c := range []struct{ id, survey, dim string }{
		{"safe", "feels_safe", "sex"}, {"safe", "feels_safe", "age"}, {"safe", "feels_safe", "area"}, {"trusts", "trusts_mission", "sex"}, {"trusts", "trusts_mission", "area"},
	} {
		sel := `#perf-status tr.perf-by[data-for="` + c.id + `"][data-by="` + c.dim + `"] tbody tr`
		// Focused and pressed as from the keyboard (the sticky top bar may
		// cover a row scrolled into view for a mouse click).
		if _, err := js[bool](ctx, `(() => { const b = document.querySelector('#perf-status tr[data-id="`+c.id+`"] button[data-by=`+c.dim+`]'); b.focus(); b.click(); return true; })()`); err != nil {
			t.Fatal(err)
		}
		wait(c.id+" by "+c.dim, `document.querySelectorAll('`+sel+`').length > 1`)
		// The page's rows against the API's values, group by group: the
		// share and both ends of the interval, in percent to two places.
		res, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
			const num = (s) => Number(s.replace(/[\u202f\u00a0 %]/g, '').replace(',', '.'));
			const pct = (x) => Math.round(x * 10000) / 100;
			const vs = await (await fetch('/api/v1/performance/value?indicator=perception&form=vigil_perception&id=`+c.survey+`&area=ALL&period=2018&by=`+c.dim+`')).json();
			const rows = [...document.querySelectorAll('`+sel+`')].map((r) => [...r.cells].map((x) => x.textContent));
			const bad = [];
			let shown = 0;
			if (rows.length !== vs.length) bad.push('rows ' + rows.length + ' vs API ' + vs.length);
			for (const v of vs) {
				const g = v.disaggregation['`+c.dim+`'];
				const r = rows.find((x) => x[0] === g);
				if (!r) { bad.push('no row for ' + g); continue; }
				if (v.no_data) {
					if (!/no data/i.test(r[1]) || !r[2].includes(v.reason)) bad.push(g + ': page ' + r[1] + ' / ' + r[2] + ', API no data: ' + v.reason);
					continue;
				}
				shown++;
				const [lo, hi] = r[2].replace(/[\[\]]/g, '').split(/, | ; /).map(num); // "[40%, 55%]", « [40 % ; 55 %] »
				if (num(r[1]) !== pct(v.value) || lo !== pct(v.ci_low) || hi !== pct(v.ci_high) || Number(r[3].replace(/\D/g, '')) !== v.n || v.uncertainty !== 'estimate')
					bad.push(g + ': page ' + r.join(' | ') + '; API ' + [v.value, v.ci_low, v.ci_high, v.n].join(' '));
			}
			if (shown < 2) bad.push('fewer than two groups with a value: ' + JSON.stringify(rows));
			return bad.join('\n');
		})()`, chromedp.EvalAwaitPromise))
		if err != nil || res != "" {
			t.Errorf("%s by %s: %v\n%s", c.id, c.dim, err, res)
		}
	}
	axe("perception breakdowns")
	done("breakdowns")
}

// TestE2EPerformanceAlertAck: a leadership alert is listed on the alerts
// page with a link to its evidence; an analyst follows it, acknowledges the
// alert with a note on the performance page (who and when shown), and the
// navigation's count and the alerts page's list drop it.
func TestE2EPerformanceAlertAck(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-ack-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	alertBria(t, srv.DB, 130329)
	go_ := func(hash string) {
		step("go "+hash, navigate(srv.URL+"/"+hash))
		if _, err := js[bool](ctx, `(location.hash = '`+hash+`', true)`); err != nil {
			t.Fatal(err)
		}
	}
	go_("#/alerts")
	// The box is shown once the queue is drawn (alerts.js showQueue).
	wait("alerts page lists it", `document.querySelector('#alerts-leadership:not([hidden]) a[href="#/performance?alert=130329-2018-03"]')`)
	if s, err := js[string](ctx, `document.querySelector('#alerts-leadership').innerText`); err != nil || !strings.Contains(s, "Bria") || !strings.Contains(s, "in March 2018") {
		t.Errorf("alerts page: %q %v", s, err)
	}
	wait("nav count", `/— 1 alert to leadership/.test(document.querySelector('#nav-performance')?.textContent || '')`)
	axe := axeCheck(t, ctx)
	axe("alerts page with a leadership alert")
	step("evidence", click(css(`#alerts-leadership a`)))
	wait("evidence focused", `document.activeElement?.id === 'perf-lead-130329-2018-03' && document.querySelector('#perf-leadership[role=alert]')`)
	step("acknowledge", chromedp.SendKeys(css(`#perf-ack-note-130329-2018-03`), "Patrol sent back to Bria; JMAC reports in two weeks\r"))
	wait("acknowledged", `document.querySelector('#perf-lead-130329-2018-03 .perf-acked') && !document.querySelector('#perf-leadership[role=alert]')`)
	acked, err := js[string](ctx, `document.querySelector('#perf-lead-130329-2018-03 .perf-acked').textContent`)
	if err != nil || !strings.Contains(acked, "Acknowledged by "+srv.User) || !strings.Contains(acked, "Patrol sent back to Bria; JMAC reports in two weeks") {
		t.Errorf("acknowledgement shown: %q %v", acked, err)
	}
	// When, as a date and time in the page's language (Vigil.dateTime), not ISO text.
	for _, c := range []struct{ lang, re string }{
		{"fr", `^Prise en compte par \S+ le \d{1,2} \S+ \d{4}\D+\d\d:\d\d UTC\u00a0: Patrol`},
		{"en", `^Acknowledged by \S+ on \d{1,2} [A-Z][a-z]{2,3} \d{4}, \d\d:\d\d UTC: Patrol`},
	} {
		if _, err := js[bool](ctx, `(Vigil.setLang('`+c.lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `/`+c.re+`/.test(document.querySelector('#perf-lead-130329-2018-03 .perf-acked')?.textContent || '')`, stepWait); err != nil {
			shown, _ := js[string](ctx, `document.querySelector('#perf-lead-130329-2018-03 .perf-acked')?.textContent || ''`)
			t.Errorf("acknowledgement in %s: %q, want it to match %s", c.lang, shown, c.re)
		}
	}
	wait("nav count drops", `document.querySelector('#nav-performance')?.textContent === 'Performance'`)
	axe("acknowledged")
	done("acknowledged")
	go_("#/alerts")
	wait("alerts page", `document.querySelector('#alerts-list') && document.querySelector('#alerts-leadership')`)
	wait("not listed any more", `!document.querySelector('#alerts-leadership a')`)
	api, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch('/api/v1/performance/alerts').then((r) => r.json()).then((ts) => ts.length + ' ' + ts[0].acked_by + ' ' + !!ts[0].acked_at)`, chromedp.EvalAwaitPromise))
	if err != nil || api != "1 "+srv.User+" true" {
		t.Errorf("API after the acknowledgement: %q %v", api, err)
	}
	done("alerts-after")
}

// TestE2EPerformanceOptionsAndBrief: an analyst attaches a saved coverage
// scenario (a plan opening a TOB) to a gap of the demo framework through
// the options form and sees its effect on covered weight beside it — the
// planner's numbers, as the API gives them; then downloads the monthly
// brief as PDF in English and in French from the brief tab's link: a PDF
// (content type, attachment name, %PDF- header) whose document title and
// heading are in the chosen language and which lists the option with its
// effect, the French one with French numbers (30 %, as the page writes it; the PDF's strings
// escape parentheses, and a no-break space stands in for the narrow one
// its core fonts lack). The brief tab's perception survey is the starter
// form: the page and the PDF, in each language, have its perception
// indicators with the API's values (the demo answers of December 2018).
func TestE2EPerformanceOptionsAndBrief(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-options-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	sc := &coverage.Scenario{Name: "TOB Bambari", Kind: "plan", Month: grid.MonthOf(2018, 12),
		Body: json.RawMessage(`{"chosen":[{"id":"tob-1","lat":5.76,"lon":20.67,"cost":2}],"covered_weight_before":12,"covered_weight_after":20,"total_weight":40,"cells_gained":[1]}`)}
	if _, err := srv.DB.SaveScenario(context.Background(), "test", sc); err != nil {
		t.Fatal(err)
	}
	if n, err := demo.LoadSurvey(context.Background(), srv.DB, srv.Server.Surveys.Keys, "test"); err != nil || n != demo.SurveyResponses {
		t.Fatalf("demo survey: %d %v", n, err)
	}

	// A link to a tab followed while the page still loads is the tab
	// shown: the load wrote its first tab back over the address (the
	// Options tab never came, 2026-12-07).
	step("open", navigate(srv.URL+"/#/performance"))
	step("options tab", navigate(srv.URL+"/#/performance?tab=options"))
	wait("form", `document.querySelector('#perf-option-form') && [...document.querySelectorAll('#perf-o-scenario option')].some((o) => o.textContent.startsWith('TOB Bambari'))`)
	step("attach", chromedp.SendKeys(css(`#perf-o-gap`), "Ouaka: violence out of reach"), chromedp.SetValue(css(`#perf-o-area`), "CAF"),
		chromedp.SendKeys(css(`#perf-o-note`), "option A"), click(css(`#perf-option-form button[type=submit]`)))
	wait("effect shown", `[...document.querySelectorAll('#perf-options tbody tr')].some((r) => r.textContent.includes('TOB Bambari'))`)
	row, err := js[string](ctx, `(() => { const r = [...document.querySelectorAll('#perf-options tbody tr')].find((r) => r.textContent.includes('TOB Bambari')); return [...r.cells].map((c) => c.textContent).join('|') + '|' + document.querySelector('#perf-options h3').textContent; })()`)
	if err != nil {
		t.Fatal(err)
	}
	// The API's view of the same option: covered weight 12 → 20 of 40, +8, cost 2.
	api, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch('/api/v1/performance/frameworks/MINUSCA/options').then((r) => r.json()).then((gs) => { const e = gs[0].options[0].effects[0]; return [gs[0].gap, gs[0].area, e.covered_before, e.covered_after, e.change, e.share_before, e.share_after, e.cost, gs[0].options[0].note].join('|'); })`, chromedp.EvalAwaitPromise))
	if err != nil || api != "Ouaka: violence out of reach|CAF|12|20|8|0.3|0.5|2|option A" {
		t.Fatalf("options from the API: %q %v", api, err)
	}
	for _, want := range []string{"TOB Bambari (Optimiser plan, December 2018)", "Optimiser plan|", "option A", "12 → 20", "30% → 50%", "+8", "2", "Bambari, Ouaka (Central African Republic)", "Ouaka: violence out of reach — Central African Republic"} {
		if !strings.Contains(row, want) {
			t.Errorf("option row %q lacks %q", row, want)
		}
	}
	// The covered column says what its numbers count, and the text above says how, in both languages.
	for _, c := range []struct{ lang, head, doc string }{
		{"en", "Weighted cells covered, before → after", "each counted by its weight"},
		{"fr", "Cellules pondérées couvertes, avant → après", "chacune comptée pour son poids"},
	} {
		if _, err := js[bool](ctx, `(Vigil.setLang('`+c.lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		wait("covered column "+c.lang, `[...document.querySelectorAll('#perf-options thead th')].some((h) => h.textContent === '`+c.head+`') && document.querySelector('#perf-options p.muted').textContent.includes('`+c.doc+`')`)
	}
	if _, err := js[bool](ctx, `(Vigil.setLang('en'), true)`); err != nil {
		t.Fatal(err)
	}
	done("attached")

	// The brief tab's PDF link, in each language, downloads the brief.
	step("brief tab", click(css(`#perf-tab-brief`)))
	wait("brief link", `document.querySelector('#perf-brief-pdf')?.getAttribute('href')?.includes('mission=MINUSCA') && document.querySelector('#perf-brief-pdf').getAttribute('href').includes('form=vigil_perception') && document.querySelector('#perf-brief-form option[value=vigil_perception]')?.textContent`)
	// The API's perception values for the month: the numbers the briefs must show.
	var perception []float64
	for _, id := range []string{"feels_safe", "trusts_mission"} {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`fetch('/api/v1/performance/value?indicator=perception&form=vigil_perception&id=`+id+`&area=ALL&period=2018-12').then((r) => r.json()).then((v) => v.value ?? JSON.stringify(v))`, chromedp.EvalAwaitPromise))
		if err != nil || v <= 0 {
			t.Fatalf("perception %s from the API: %v %v", id, v, err)
		}
		perception = append(perception, v)
	}
	utf16be := func(s string) string {
		out := "\xfe\xff"
		for _, u := range utf16.Encode([]rune(s)) {
			out += string([]byte{byte(u >> 8), byte(u)})
		}
		return out
	}
	// The PDF's text is in its core fonts' one-byte code page, cp1252 (é is 0xE9, ’ 0x92).
	cp1252 := func(s string) string {
		b := []byte{}
		for _, r := range s {
			if r == '’' {
				r = 0x92
			}
			b = append(b, byte(r))
		}
		return string(b)
	}
	for _, c := range []struct{ lang, title, month, effect, mapTitle, noForecast string }{
		{"en", "Protection and performance brief", "December 2018", `Optimiser plan: 12 -> 20 \(30% -> 50%\), 2 [Bambari, Ouaka \(Central African Republic\)]`,
			"Map: forecast risk, coverage gaps and incidents", "No forecast stored for December 2018: the shading shows recent violence instead"},
		{"fr", "Note de protection et de performance", "décembre 2018", "Plan de l\x92optimiseur\xa0: 12 -> 20 \\(30\xa0% -> 50\xa0%\\), 2 [Bambari, Ouaka \\(R\xe9publique centrafricaine\\)]", // the PDF writes é as 0xE9, ’ as 0x92
			"Carte\u00a0: risque prévu, lacunes de couverture et incidents", "Aucune prévision enregistrée pour décembre 2018\u00a0: la teinte montre à la place la violence récente"},
	} {
		if _, err := js[bool](ctx, `(() => { const s = document.querySelector('#perf-brief-lang'); s.value = '`+c.lang+`'; s.dispatchEvent(new Event('change')); return true; })()`); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
			const a = document.querySelector('#perf-brief-pdf');
			const r = await fetch(a.href);
			const b = new Uint8Array(await r.arrayBuffer());
			let s = '';
			for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
			const page = await (await fetch(document.querySelector('#perf-brief-html').href)).text();
			return JSON.stringify({ status: r.status, type: r.headers.get('content-type'), disp: r.headers.get('content-disposition'), download: a.hasAttribute('download'), href: a.getAttribute('href'), body: s, page });
		})()`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		var d struct {
			Status     int
			Type, Disp string
			Download   bool
			Href, Body string
			Page       string
		}
		if err := json.Unmarshal([]byte(got), &d); err != nil {
			t.Fatal(err)
		}
		pdf := make([]byte, 0, len(d.Body)) // the bytes, one per character
		for _, r := range d.Body {
			pdf = append(pdf, byte(r))
		}
		body := string(pdf)
		if d.Status != 200 || d.Type != "application/pdf" || !d.Download || !strings.Contains(d.Disp, "attachment") || !strings.Contains(d.Disp, "vigil-brief-2018-12-"+c.lang+".pdf") ||
			!strings.Contains(d.Href, "lang="+c.lang) || !strings.HasPrefix(body, "%PDF-") {
			t.Errorf("%s brief: status %d, type %q, disposition %q, download %v, href %q, starts %.8q", c.lang, d.Status, d.Type, d.Disp, d.Download, d.Href, body)
			continue
		}
		if !strings.Contains(body, "/Title ("+utf16be(c.title+" "+c.month)+")") || !strings.Contains(body, c.title) {
			t.Errorf("%s brief: no title %q", c.lang, c.title)
		}
		// The map says what it shows: the demo stores no forecast.
		if !strings.Contains(d.Page, c.mapTitle) || !strings.Contains(d.Page, c.noForecast) || !strings.Contains(body, cp1252(c.mapTitle)) || !strings.Contains(body, cp1252(c.noForecast)) {
			t.Errorf("%s brief: no map %q saying %q", c.lang, c.mapTitle, c.noForecast)
		}
		for i, v := range perception {
			s := performance.FormatNumberLang(&v, "share", c.lang)
			if !strings.Contains(d.Page, "<h2>Perception</h2>") || !strings.Contains(d.Page, s) || !strings.Contains(body, strings.ReplaceAll(s, "\u202f", "\xa0")) {
				t.Errorf("%s brief: perception %d (%s from the API) is not in the page and the PDF", c.lang, i, s)
			}
		}
		if !strings.Contains(body, "Ouaka: violence out of reach") || !strings.Contains(body, c.effect) {
			i := strings.Index(body, "TOB")
			t.Errorf("%s brief: the option's effect %q is not in the PDF: %q", c.lang, c.effect, body[max(i-200, 0):min(i+400, len(body))])
		}
	}
	done("brief")
}

// TestE2EPerformanceAlertBreakdowns: the page's "one value" form offers an
// alert indicator's breakdowns (priority, category, the reporter's sex).
// By category, the demo incidents' groups are named as on the triage page,
// with the API's values and numbers of incidents; by the reporter's sex
// (6 incidents female, 2 male, 5 unknown, the rest not recorded), the
// male group is suppressed with its reason and no number, and the unknown
// one too (the next smallest: male = total − the others otherwise).
func TestE2EPerformanceAlertBreakdowns(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-alerts-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	bg := context.Background()
	now := time.Now().UTC()
	if _, n, err := demo.LoadAlerts(bg, srv.DB, srv.Server.Alerts.Keys, "test", now); err != nil || n < 13 {
		t.Fatalf("demo alerts: %d %v", n, err)
	}
	ins, err := srv.DB.Incidents(bg, alerts.IncidentFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	// The incidents the indicator counts are the triaged ones (13 in the
	// demo); the list's order is not theirs (the first 13 listed held
	// untriaged ones after the gazetteer took in the DR Congo sites, cedb3c0).
	var triaged []alerts.Incident
	for _, in := range ins {
		if in.TriagedAt != nil {
			triaged = append(triaged, in)
		}
	}
	if len(triaged) < 13 {
		t.Fatalf("%d triaged demo incidents, want 13", len(triaged))
	}
	admin := &auth.User{Name: "test", Role: auth.Admin}
	// The demo's triage records the reporter's sex on most triaged
	// incidents: this test sets its own, on 13 of them, and clears it on
	// the others.
	for i, in := range triaged {
		sex := "female"
		switch {
		case i >= 13:
			sex = ""
		case i >= 8:
			sex = "unknown"
		case i >= 6:
			sex = "male"
		}
		if _, err := srv.Server.Alerts.UpdateIncident(bg, admin, in.ID, alerts.Update{ReporterSex: &sex}); err != nil {
			t.Fatal(err)
		}
	}
	period := now.AddDate(0, 0, -20).Format("2006-01") + ".." + now.Format("2006-01")
	step("open", navigate(srv.URL+"/#/performance"))
	if _, err := js[bool](ctx, `(location.hash = '#/performance', true)`); err != nil { // a hash-only navigation may not be taken
		t.Fatal(err)
	}
	wait("value form", `document.querySelector('#perf-v-ind option[value="alert-triage-minutes"]')`)
	dims, err := js[string](ctx, `(() => { const s = document.querySelector('#perf-v-ind'); s.value = 'alert-triage-minutes'; s.dispatchEvent(new Event('change')); return [...document.querySelectorAll('#perf-v-by option')].map((o) => o.value).join(','); })()`)
	if err != nil || dims != ",priority,category,sex" {
		t.Fatalf("breakdowns offered: %q %v", dims, err)
	}
	axe := axeCheck(t, ctx)
	for _, c := range []struct {
		by    string
		names []string // group names the page must show
	}{
		{"category", []string{"armed group movement", "attack on civilians"}},
		{"sex", []string{"female", "male", "unknown", "not recorded"}},
	} {
		if _, err := js[bool](ctx, `(document.querySelector('#perf-v-out').replaceChildren(), true)`); err != nil {
			t.Fatal(err)
		}
		step("by "+c.by, chromedp.SetValue(css(`#perf-v-area`), "ALL"), chromedp.SetValue(css(`#perf-v-period`), period), chromedp.SetValue(css(`#perf-v-by`), c.by),
			click(css(`form:has(#perf-v-by) button[type=submit]`)))
		wait(c.by+" table", `document.querySelector('#perf-v-out tbody tr')`)
		res, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
			const vs = await (await fetch('/api/v1/performance/value?indicator=alert-triage-minutes&area=ALL&period=`+period+`&by=`+c.by+`')).json();
			const rows = [...document.querySelectorAll('#perf-v-out tbody tr')].map((r) => [...r.cells].map((x) => x.textContent));
			const bad = [];
			if (rows.length !== vs.length) bad.push('rows ' + rows.length + ' vs API ' + vs.length);
			for (const v of vs) {
				const g = v.disaggregation['`+c.by+`'];
				const r = rows.find((x) => Number(x[3].replace(/\D/g, '')) === v.n && (v.no_data ? x[2].includes(v.reason) : true));
				if (!r) bad.push('no row for ' + g + ' n=' + v.n);
				if (rows.some((x) => x[0] === g && g.includes('_'))) bad.push('code shown: ' + g);
				if (v.no_data && r && r[3].replace(/\D/g, '') !== '0') bad.push(g + ': a number shown for a suppressed group');
			}
			return JSON.stringify({bad, shown: rows.map((x) => x.join(' | ')), api: vs.map((v) => [v.disaggregation['`+c.by+`'], v.value, v.n, v.reason || ''])});
		})()`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Bad   []string
			Shown []string
			API   [][]any
		}
		if err := json.Unmarshal([]byte(res), &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Bad) > 0 {
			t.Errorf("by %s: %v\npage %q\nAPI %v", c.by, got.Bad, got.Shown, got.API)
		}
		page := strings.Join(got.Shown, "\n")
		for _, n := range c.names {
			if !strings.Contains(page, n) {
				t.Errorf("by %s: no group %q on the page:\n%s", c.by, n, page)
			}
		}
		if c.by == "sex" {
			row := map[string]string{}
			for _, r := range got.Shown {
				row[strings.SplitN(r, " | ", 2)[0]] = r
			}
			if !strings.Contains(row["male"], "fewer than 5 incidents") || !strings.Contains(row["unknown"], "another group is under 5") ||
				strings.Contains(row["female"], "suppressed") || !strings.HasSuffix(row["female"], "| 6") {
				t.Errorf("small groups by sex: %q", got.Shown)
			}
		}
	}
	axe("alert breakdowns")
	done("alert breakdowns")
}

// TestE2EPerformanceWatchRiskSource: the watch tab says, in English and in
// French, what the withdrawals were matched on and each one's forecast
// risk with its source — the API's (on the demo history, the
// exponential-decay model for every evaluated withdrawal: no stored run
// covers those months), the source said once in the column's header.
func TestE2EPerformanceWatchRiskSource(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-watch-risk-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	saveDemoDeployments(t, srv.DB)
	step("watch", navigate(srv.URL+"/#/performance?tab=watch"))
	if _, err := js[bool](ctx, `(location.hash = '#/performance?tab=watch', true)`); err != nil { // a hash-only navigation may not be taken
		t.Fatal(err)
	}
	wait("matching", `document.querySelector('#perf-watch-matching') && document.querySelector('#perf-watch tbody tr')`)
	for _, c := range []struct{ lang, matching, risk string }{
		{"en", "0 withdrawals from a stored forecast, * computed with the exponential-decay forecast model", "(exponential-decay model, events before)"},
		{"fr", "0 retrait d’après une prévision enregistrée, * calculés par le modèle de prévision à décroissance exponentielle", "(modèle à décroissance exponentielle, événements antérieurs)"},
	} {
		if c.lang == "fr" {
			if _, err := js[bool](ctx, `(Vigil.setLang('fr'), true)`); err != nil {
				t.Fatal(err)
			}
			wait("french", `document.querySelector('#perf-watch-matching')?.textContent.includes('Appariement')`)
		}
		res, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
			const w = await (await fetch('/api/v1/performance/watch')).json();
			const n = (w.risk_sources || {})['exp-decay'];
			const matching = document.querySelector('#perf-watch-matching').textContent;
			const rows = [...document.querySelectorAll('#perf-watch tbody tr')].map((r) => [...r.cells].map((x) => x.textContent));
			const ev = w.withdrawals.filter((x) => x.status === 'evaluated').slice(-50).reverse();
			const bad = [];
			if (!n || n !== w.evaluated || !matching.includes(String(n))) bad.push('matching: ' + matching + ' API ' + JSON.stringify(w.risk_sources));
			if (rows.length !== ev.length) bad.push('rows ' + rows.length + ' vs ' + ev.length);
			const head = document.querySelector('#perf-watch thead tr').cells[6].textContent; // one source, said once
			if (!head.includes('`+c.risk+`')) bad.push('risk header: ' + head);
			ev.forEach((x, i) => {
				const cell = (rows[i] || [])[6] || '';
				const pct = String(Math.round(x.risk * 1000) / 10).replace('.', '`+map[string]string{"en": ".", "fr": ","}[c.lang]+`');
				if (x.risk_source !== 'exp-decay' || cell.includes('(') || !cell.startsWith(pct)) bad.push(x.month + ' ' + x.location + ': ' + cell + ' API ' + x.risk + ' ' + x.risk_source);
			});
			return JSON.stringify({bad, matching});
		})()`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Bad      []string
			Matching string
		}
		if err := json.Unmarshal([]byte(res), &got); err != nil {
			t.Fatal(err)
		}
		// c.matching's * stands for the number computed (the API's, checked above).
		if before, after, _ := strings.Cut(c.matching, "*"); len(got.Bad) > 0 || !strings.Contains(got.Matching, before) || !strings.Contains(got.Matching, after) {
			t.Errorf("%s: %q\n%v", c.lang, got.Matching, got.Bad)
		}
	}
	done("watch risk")
}
