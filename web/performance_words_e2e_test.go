package web_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/performance"
	"github.com/vigil-project/vigil/surveys/starter"
)

// TestE2EPerformanceWords: the demo framework's page says its units, dates
// and counts in words of the page's language, as a mission planner reads
// them: the framework outline names each indicator's unit ("décès", "part
// (pourcentage)", not the codes deaths, share), a commitment's deadline is a
// date of the language ("30 juin 2018", not 2018-06-30), and one event is
// "1 event" / "1 événement" (ev-caf in CAR, December 2018); a share's
// status reason says percentages; the one-value form says how its
// interval is computed, and that a period cannot be read, in French.
func TestE2EPerformanceWords(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-words-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	saveDemoDeployments(t, srv.DB) // coverage_e2e_test.go: the demo's real Geo-PKO sites, for risk-caf and onsets
	step("open", navigate(srv.URL+"/#/performance"))
	wait("open", `document.querySelector('#perf-status tr[data-id="ev-caf"] .badge')`)
	// 2018, against the targets: a share's status says percentages, as
	// its value is shown, and an exact share is a value, not an interval
	// of no width ("[0.491, 0.491]").
	wait("2018", `document.querySelector('#perf-status caption')?.textContent.includes('2018') && document.querySelector('#perf-status tr[data-id="risk-caf"] .perf-reason')`)
	for _, c := range []struct{ lang, h1, risk, onsets string }{
		{"fr", "Performance et redevabilité", "la valeur 49,13 % manque la cible 70 % (données complètes, sans incertitude)", "la cible 50 % se trouve dans l’intervalle à 95 % [40,55 % ; 64,91 %]"},
		{"en", "Performance and accountability", "the value 49.13% misses the target 70% (complete data, no uncertainty)", "the target 50% lies inside the 95% interval [40.55%, 64.91%]"},
	} {
		if _, err := js[bool](ctx, `(Vigil.setLang('`+c.lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		wait(c.lang+" 2018", `document.querySelector('main h1')?.textContent === '`+c.h1+`' && document.querySelector('#perf-status tr[data-id="risk-caf"] .perf-reason')`)
		if c.lang == "fr" { // groups by perpetrator in words
			step("by perpetrator", click(css(`#perf-status tr[data-id="cd-caf"] button[data-by=perpetrator]`)))
			wait("groups", `document.querySelectorAll('#perf-status tr.perf-by[data-for="cd-caf"] tbody tr').length > 1`)
			groups, err := js[string](ctx, `[...document.querySelectorAll('#perf-status tr.perf-by[data-for="cd-caf"] tbody th')].map((c) => c.textContent).sort().join('|')`)
			if want := "Acteurs non étatiques|Forces étatiques (camp gouvernemental)"; err != nil || groups != want {
				t.Errorf("fr: cd-caf's groups by perpetrator %q (%v), want %q", groups, err, want)
			}
		}
		for id, want := range map[string]string{"risk-caf": c.risk, "onsets": c.onsets} {
			got, err := js[string](ctx, `document.querySelector('#perf-status tr[data-id="`+id+`"] .perf-reason').textContent.replace(/[\u00a0\u202f]/g, ' ')`)
			if err != nil || !strings.Contains(got, want) {
				t.Errorf("%s: %s's status reason %q, want %q (%v)", c.lang, id, got, want, err)
			}
		}
	}
	if _, err := js[bool](ctx, `(document.querySelector('#perf-status').dataset.old = '1', true)`); err != nil {
		t.Fatal(err)
	}
	step("2018-12", chromedp.SetValue(css(`#perf-period`), "2018-12"), click(css(`#perf-controls button[type=submit]`)))
	wait("2018-12", `!document.querySelector('#perf-status[data-old]') && document.querySelector('#perf-status caption')?.textContent.includes('December 2018') && document.querySelector('#perf-status tr[data-id="ev-caf"] .badge')`)
	for _, c := range []struct {
		lang, h1, unit, share, deadline, oneEvent string
		codes                                     []string // shown, they would be codes or English on the page
	}{
		{"en", "Performance and accountability", "· deaths, better when lower", "· share (percentage), better when higher", "30 June 2018", "1 event",
			[]string{"2018-06-30", "· share,"}},
		{"fr", "Performance et redevabilité", "· décès, meilleur quand plus bas", "· part (pourcentage), meilleur quand plus élevé", "30 juin 2018", "1 événement",
			[]string{"2018-06-30", "· share,", "· deaths,", "· events,"}},
	} {
		if _, err := js[bool](ctx, `(Vigil.setLang('`+c.lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		wait(c.lang, `document.querySelector('main h1')?.textContent === '`+c.h1+`' && document.querySelector('#perf-status tr[data-id="ev-caf"] .badge')`)
		page, err := js[string](ctx, `['indicators', 'framework', 'compacts'].map((id) => document.querySelector('#perf-panel-' + id).textContent).join('\n')`)
		if err != nil {
			t.Fatal(err)
		}
		value, err := js[string](ctx, `document.querySelector('#perf-status tr[data-id="ev-caf"]').cells[3].textContent`)
		if err != nil {
			t.Fatal(err)
		}
		if value != c.oneEvent {
			t.Errorf("%s: ev-caf's value for 2018-12 is %q, want %q", c.lang, value, c.oneEvent)
		}
		for _, want := range []string{c.unit, c.share, c.deadline} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the page lacks %q", c.lang, want)
			}
		}
		for _, code := range c.codes {
			if strings.Contains(page, code) {
				t.Errorf("%s: the page shows the code %q", c.lang, code)
			}
		}
	}
	// The one-value form (the page is in French now): how the interval is
	// computed is said in French too.
	step("one value", chromedp.SetValue(css(`#perf-v-ind`), "civilian-deaths"), chromedp.SetValue(css(`#perf-v-area`), "CAF"),
		chromedp.SetValue(css(`#perf-v-period`), "2018"))
	if _, err := js[bool](ctx, `(document.querySelector('#perf-v-period').form.requestSubmit(), true)`); err != nil {
		t.Fatal(err)
	}
	wait("one value", `document.querySelector('#perf-v-value')`)
	if ci, err := js[string](ctx, `document.querySelector('#perf-v-ci [title]')?.title || ''`); err != nil || !strings.Contains(ci, "Poisson exact à 95\u202f% (Garwood)") {
		t.Errorf("fr: the interval's method %q (%v), want it in French", ci, err)
	}
	done("words")
	// A period the service cannot read is said in French, not as the
	// engine's English error (its 400, expected, is the one problem).
	if _, err := js[bool](ctx, `(document.querySelector('#perf-v-period').value = '2019-13', document.querySelector('#perf-v-period').form.requestSubmit(), true)`); err != nil {
		t.Fatal(err)
	}
	wait("bad period", `document.querySelector('#perf-v-out .notice.error')`)
	if e, err := text(ctx, `#perf-v-out .notice.error`); err != nil || !strings.HasPrefix(e, "Vigil ne sait pas lire cette période") {
		t.Errorf("fr: a bad period says %q (%v), want it in French", e, err)
	}
	for _, p := range b.rec.take() {
		if !strings.Contains(p, "HTTP 400") || !strings.Contains(p, "period=2019-13") {
			t.Errorf("bad period: %s", p)
		}
	}
}

// TestE2EPerformanceProvenance: the one-value form says where a value
// came from in words of the page's language, as a planner reads it: the
// forecast-skill indicator's forecast run by its model, what it forecasts,
// its grid and the day it was run ("2 November 2026", "2 novembre 2026"),
// not the run's store id, codes (gbt, os, priogrid, historical-rate) and an
// RFC 3339 time; and the status table's reasons name a survey by its
// title, not its form id (vigil_perception).
func TestE2EPerformanceProvenance(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-provenance-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	run := forecast.Run{Target: "os", Grid: forecast.GridPrio, CellSize: 0.5, Origin: grid.MonthOf(2018, 12), Model: forecast.ModelGBT, Created: time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC),
		Backtest: []forecast.Result{{Model: forecast.ModelGBT, AUPR: 0.4, From: "2018-01", To: "2018-12", Rows: 100}, {Model: forecast.ModelHistory, AUPR: 0.3, From: "2018-01", To: "2018-12", Rows: 100}}}
	if _, err := srv.DB.SaveForecast(context.Background(), "test", run, nil); err != nil {
		t.Fatal(err)
	}
	step("open", navigate(srv.URL+"/#/performance"))
	wait("open", `document.querySelector('#perf-v-ind option[value="forecast-skill"]')`)
	for _, c := range []struct {
		lang, survey string
		want, not    []string
	}{
		{"en", "the survey “Perception survey / Enquête de perception” has no analysis settings", []string{"forecast run on 2 November 2026 by the model gradient-boosted trees (violence against civilians, PRIO-GRID cells)", "gradient-boosted trees 0.4 − historical-rate baseline 0.3"},
			[]string{"2026-11-02", "T08:00", "gbt", "priogrid", "historical-rate 0", "forecast run 1 ("}},
		{"fr", "l’enquête « Perception survey / Enquête de perception » n’a pas de paramètres d’analyse", []string{"prévision calculée le 2 novembre 2026 par le modèle arbres de décision boostés par gradient (violence contre les civils, cellules PRIO-GRID)", "référence du taux historique 0,3"},
			[]string{"2026-11-02", "T08:00", "gbt", "priogrid", "historical-rate", "n°\u00a01", "forecast run"}},
	} {
		if _, err := js[bool](ctx, `(Vigil.setLang('`+c.lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		wait(c.lang, `document.documentElement.lang === '`+c.lang+`' && document.querySelector('#perf-v-ind option[value="forecast-skill"]') && document.querySelector('#perf-status tr[data-id="safe"] .perf-reason')`)
		reason, err := js[string](ctx, `document.querySelector('#perf-status tr[data-id="safe"] .perf-reason').textContent.replace(/[\u00a0\u202f]/g, ' ')`)
		if err != nil || !strings.Contains(reason, c.survey) || strings.Contains(reason, "vigil_perception") {
			t.Errorf("%s: the perception row's reason %q (%v), want %q", c.lang, reason, err, c.survey)
		}
		if _, err := js[bool](ctx, `(document.querySelector('#perf-v-out').replaceChildren(), true)`); err != nil {
			t.Fatal(err)
		}
		step(c.lang+" value", chromedp.SetValue(css(`#perf-v-ind`), "forecast-skill"), chromedp.SetValue(css(`#perf-v-area`), "ALL"),
			chromedp.SetValue(css(`#perf-v-period`), "2018"), click(css(`form:has(#perf-v-period) button[type=submit]`)))
		wait(c.lang+" provenance", `document.querySelector('#perf-v-prov')`)
		prov, err := js[string](ctx, `document.querySelector('#perf-v-prov').textContent.replace(/[\u00a0\u202f]/g, ' ')`)
		if err != nil {
			t.Fatal(err)
		}
		if bad := testutil.Words(prov, c.want, c.not); bad != "" {
			t.Errorf("%s: provenance %q\n%s", c.lang, prov, bad)
		}
		// The value itself in plain words first (AUPR 0.4 against 0.3), its number after.
		value, err := js[string](ctx, `document.querySelector('#perf-v-value').textContent.replace(/[\u00a0\u202f]/g, ' ')`)
		if want := map[string]string{"en": "more accurate than the best simple baseline (0.1 AUPR difference)", "fr": "plus précise que la meilleure référence simple (0,1 écart d’AUPR)"}[c.lang]; err != nil || value != want {
			t.Errorf("%s: forecast skill %q (%v), want %q", c.lang, value, err, want)
		}
	}
	done("provenance")
}

// TestE2EPerformanceSurveyNames: a perception indicator of the demo
// framework is named by its survey form's words in the page's language, in
// the status table and in the framework outline ("Se sentent en sécurité
// ou très en sécurité dans leur zone"), not by the library's generic
// "Indicateur d'enquête de perception" shared by all of them.
func TestE2EPerformanceSurveyNames(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-survey-names-")
	if err := srv.DB.SaveSettings(context.Background(), "test", starter.FormID, starter.Settings()); err != nil { // as serve --demo has them
		t.Fatal(err)
	}
	b.step("open", navigate(srv.URL+"/#/performance"))
	b.wait("open", `document.querySelector('#perf-status tr[data-id="safe"]')`)
	for _, c := range []struct{ lang, h1, safe, trusts string }{
		{"fr", "Performance et redevabilité", "Se sentent en sécurité ou très en sécurité dans leur zone", "Font beaucoup ou assez confiance à la mission pour protéger les civils"},
		{"en", "Performance and accountability", "Feel safe or very safe in their area", "Trust the mission a lot or somewhat to protect civilians"},
	} {
		if _, err := js[bool](b.ctx, `(Vigil.setLang('`+c.lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		b.wait(c.lang, `document.querySelector('main h1')?.textContent === '`+c.h1+`' && document.querySelector('#perf-status tr[data-id="safe"] th .muted')?.textContent === '`+c.safe+`'`)
		for id, want := range map[string]string{"safe": c.safe, "trusts": c.trusts} {
			row, err := js[string](b.ctx, `document.querySelector('#perf-status tr[data-id="`+id+`"] th .muted').textContent`)
			if err != nil || row != want {
				t.Errorf("%s: %s's row names it %q (%v), want %q", c.lang, id, row, err, want)
			}
			b.wait(c.lang+" outline "+id, `document.querySelector('#perf-outline li[data-ind="`+id+`"] > span')?.textContent.startsWith('`+id+map[string]string{"fr": "\u00a0: ", "en": ": "}[c.lang]+strings.ReplaceAll(want, "'", `\'`)+` · ')`) // « safe : Se sentent… », 'safe: Feel…'
		}
	}
	b.done("names")
}

// TestE2EPerformanceTitles: the demo framework's objective, result and
// compact titles are shown in the page's language — on the French page
// its French titles (title_fr: "poc — Protection des civils"), on the
// English page the English ones — in the framework outline, the status
// table's row groups and the compacts; and the editor takes a title in
// both languages: an objective given a French title there is stored with
// it and shown by it on the French page only.
func TestE2EPerformanceTitles(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-titles-")
	b.step("open", navigate(srv.URL+"/#/performance"))
	b.wait("open", `document.querySelector('#perf-status tbody[data-result="poc-1"] .perf-group-obj') && document.querySelector('#perf-outline li[data-obj="poc"]')`)
	text := func(sel string) string {
		t.Helper()
		s, err := js[string](b.ctx, `document.querySelector('`+sel+`')?.textContent ?? '(none)'`)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	langs := []struct{ lang, h1, poc, poc1, trust, wps, compact string }{
		{"fr", "Performance et redevabilité", "poc — Protection des civils", "poc-1 — Moins de civils tués", "trust — Confiance dans la mission",
			"wps — Femmes, paix et sécurité", "Pacte de démonstration\u00a0: protection des civils, 2017–2018 (compact-2017)"},
		{"en", "Performance and accountability", "poc — Protection of civilians", "poc-1 — Fewer civilians killed", "trust — Confidence in the mission",
			"wps — Women, peace and security", "Demo compact: protection of civilians, 2017–2018 (compact-2017)"},
	}
	for _, c := range langs {
		if _, err := js[bool](b.ctx, `(Vigil.setLang('`+c.lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		// The outline and the status table are drawn apart (the status
		// after its own request): wait for both in the new language.
		b.wait(c.lang, `document.querySelector('main h1')?.textContent === '`+c.h1+`' && document.querySelector('#perf-outline li[data-obj="poc"] > strong')?.textContent === '`+c.poc+`' &&
		  document.querySelector('#perf-status tbody[data-result="poc-1"] .perf-group-res')?.textContent === '`+c.poc1+`' &&
		  document.querySelector('#perf-status tbody[data-result="wps-1"] .perf-group-obj')?.textContent === '`+c.wps+`'`)
		for sel, want := range map[string]string{
			`#perf-outline li[data-obj="trust"] > strong`:              c.trust,
			`#perf-outline li[data-result="poc-1"] > span`:             c.poc1,
			`#perf-status tbody[data-result="poc-1"] .perf-group-obj`:  c.poc,
			`#perf-status tbody[data-result="poc-1"] .perf-group-res`:  c.poc1,
			`#perf-status tbody[data-result="wps-1"] .perf-group-obj`:  c.wps,
			`#perf-compacts [data-compact="compact-2017"] > h3 > span`: c.compact,
			`#perf-status tbody[data-result="poc-2"] .perf-group-obj`:  "(none)", // poc's second result: its objective said once
		} {
			if got := text(sel); got != want {
				t.Errorf("%s: %s says %q, want %q", c.lang, sel, got, want)
			}
		}
	}
	b.done("shown")

	// The editor (English page): wps gets a new French title beside its English one.
	b.step("framework tab", click(css(`#perf-tab-framework`)))
	b.step("edit wps", click(css(`#perf-outline li[data-obj="wps"] > .perf-edit`)))
	b.wait("wps in the form", `document.querySelector('#perf-obj-id')?.value === 'wps' && document.querySelector('#perf-obj-title-fr')?.value === 'Femmes, paix et sécurité'`)
	b.step("French title", chromedp.SetValue(css(`#perf-obj-title-fr`), "Femmes, paix et sécurité (révisé)"), click(css(`#perf-obj-form button[type=submit]`)))
	b.wait("saved", `/Saved: revision 2\./.test(document.querySelector('#perf-edit-msg')?.textContent || '')`)
	f, _, err := srv.DB.Framework(context.Background(), demo.FrameworkMission)
	if err != nil {
		t.Fatal(err)
	}
	if o := f.Objectives[2]; o.ID != "wps" || o.Title != "Women, peace and security" || o.TitleFR != "Femmes, paix et sécurité (révisé)" {
		t.Errorf("stored objective %s: %q, French %q", o.ID, o.Title, o.TitleFR)
	}
	if got := text(`#perf-outline li[data-obj="wps"] > strong`); got != "wps — Women, peace and security" {
		t.Errorf("en outline after the edit: %q", got)
	}
	if _, err := js[bool](b.ctx, `(Vigil.setLang('fr'), true)`); err != nil {
		t.Fatal(err)
	}
	b.wait("fr after the edit", `document.querySelector('#perf-outline li[data-obj="wps"] > strong')?.textContent === 'wps — Femmes, paix et sécurité (révisé)'`)
	b.done("edited")
}

// TestE2EPerformanceMonthsInWords: the page and its brief write months and
// periods in words of the page's language, not as the service stores them,
// and name a stored forecast by its day and model, not its run number: the
// withdrawal watch's months ("December 2017", "décembre 2017") and the
// forecast a withdrawal was matched on ("forecast of 1 December 2017 by
// the model gradient-boosted trees", not "forecast run 1"); the alert to
// leadership ("left Bria (CAF, MINUSCA) in March 2018", not 2018-03); a period typed
// 2018-01..2018-06 in the status table's caption and reasons ("January–June
// 2018", "janvier–juin 2018"); "p < 0.001", not "p = < 0.001"; a source's months in the one-value form, with
// no engine tag (vigil-performance/1); the brief's month chosen by its name
// and the brief itself ("— December 2018", its generation day in words).
func TestE2EPerformanceMonthsInWords(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-months-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	ctx0 := context.Background()
	saveDemoDeployments(t, srv.DB)
	// A stored forecast for December 2017 over every deployed cell: the
	// watch matches that month's withdrawals on it.
	deps, err := srv.DB.Deployments(ctx0, coverage.DeploymentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var rows []forecast.CellRisk
	seen := map[int]bool{}
	for _, d := range deps {
		if !seen[d.Cell] {
			seen[d.Cell] = true
			rows = append(rows, forecast.CellRisk{Month: grid.MonthOf(2017, 12), Horizon: 1, Cell: d.Cell, Prob: 0.05})
		}
	}
	run := forecast.Run{Target: "osv", Grid: forecast.GridPrio, CellSize: 0.5, Origin: grid.MonthOf(2017, 11), Model: forecast.ModelGBT, Created: time.Date(2017, 12, 1, 8, 0, 0, 0, time.UTC)}
	if _, err := srv.DB.SaveForecast(ctx0, "test", run, rows); err != nil {
		t.Fatal(err)
	}
	alertBria(t, srv.DB, 130329) // performance_e2e_test.go
	step("open", navigate(srv.URL+"/#/performance"))
	wait("open", `document.querySelector('#perf-status tr[data-id="ev-caf"] .badge') && document.querySelector('#perf-watch tbody tr') && document.querySelector('#perf-leadership li')`)
	if _, err := js[bool](ctx, `(document.querySelector('#perf-status').dataset.old = '1', true)`); err != nil {
		t.Fatal(err)
	}
	step("half year", chromedp.SetValue(css(`#perf-period`), "2018-01..2018-06"), click(css(`#perf-controls button[type=submit]`)))
	wait("half year", `!document.querySelector('#perf-status[data-old]') && document.querySelector('#perf-status tr[data-id="ev-caf"] .badge')`)
	for _, c := range []struct {
		lang, h1, caption, watch, lead, prov, month, brief, decimal string
		want, not                                                   []string
	}{
		{"en", "Performance and accountability", "MINUSCA: values for January–June 2018 against their targets",
			"December 2017", ") in March 2018: ", "11,503 rows, 1989 – 2018", "Month", "<h1>Protection and performance brief — December 2018</h1>", ".",
			[]string{"(forecast of 1 December 2017 by the model gradient-boosted trees)", "the target set for 2018, 300, shared evenly over its 12 months: 150 for January–June 2018"},
			[]string{"forecast run", "2017-12", "2018-03", "2018-01..2018-06", "1989-01", "vigil-performance"}},
		{"fr", "Performance et redevabilité", "MINUSCA : valeurs pour janvier–juin 2018 par rapport aux cibles",
			"décembre 2017", ") en mars 2018 ", "11 503 lignes, 1989 – 2018", "Mois", "<h1>Note de protection et de performance — décembre 2018</h1>", ",",
			[]string{"(prévision du 1er décembre 2017 par le modèle arbres de décision boostés par gradient)", "la cible fixée pour 2018, 300, répartie également sur ses 12 mois : 150 pour janvier–juin 2018"},
			[]string{"forecast run", "prévision n°", "2017-12", "2018-03", "2018-01..2018-06", "1989-01", "vigil-performance"}},
	} {
		if _, err := js[bool](ctx, `(Vigil.setLang('`+c.lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		wait(c.lang, `document.querySelector('main h1')?.textContent === '`+c.h1+`' && document.querySelector('#perf-status tr[data-id="ev-caf"] .badge')`)
		step(c.lang+" value", chromedp.SetValue(css(`#perf-v-ind`), "civilian-deaths"), chromedp.SetValue(css(`#perf-v-area`), "CAF"), chromedp.SetValue(css(`#perf-v-period`), "2018"))
		if _, err := js[bool](ctx, `(document.querySelector('#perf-v-period').form.requestSubmit(), true)`); err != nil {
			t.Fatal(err)
		}
		wait(c.lang+" provenance", `document.querySelector('#perf-v-prov')`)
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
			const txt = (sel) => (document.querySelector(sel)?.textContent || '').replace(/[\u00a0\u202f]/g, ' ');
			const lang = document.querySelector('#perf-brief-lang');
			lang.value = '`+c.lang+`';
			lang.dispatchEvent(new Event('change'));
			const month = document.querySelector('#perf-brief-month');
			const brief = await (await fetch(document.querySelector('#perf-brief-html').href)).text();
			return JSON.stringify({
				caption: txt('#perf-status caption'),
				watch: [...document.querySelectorAll('#perf-watch tbody tr')].filter((r) => r.cells[0].textContent === '`+c.watch+`').map((r) => r.cells[6].textContent.replace(/[\u00a0\u202f]/g, ' ')).join('|'),
				page: ['#perf-panel-indicators', '#perf-panel-watch', '#perf-leadership'].map(txt).join('\n'),
				prov: txt('#perf-v-prov'),
				month: month.tagName + ' ' + month.value + ' ' + txt('#perf-brief-month legend'),
				brief: brief.replace(/[\u00a0\u202f]/g, ' '),
			});
		})()`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		var p struct{ Caption, Watch, Page, Prov, Month, Brief string }
		if err := json.Unmarshal([]byte(got), &p); err != nil {
			t.Fatal(err)
		}
		if p.Caption != c.caption {
			t.Errorf("%s: caption %q, want %q", c.lang, p.Caption, c.caption)
		}
		if p.Watch == "" || !strings.Contains(p.Watch, c.want[0]) {
			t.Errorf("%s: the watch's %s withdrawals were matched on %q, want %q", c.lang, c.watch, p.Watch, c.want[0])
		}
		if bad := testutil.Words(p.Page, append([]string{c.lead, "p < 0" + c.decimal + "001"}, c.want...), append([]string{"p = <"}, c.not...)); bad != "" {
			t.Errorf("%s: page\n%s", c.lang, bad)
		}
		if bad := testutil.Words(p.Prov, []string{c.prov}, c.not); bad != "" {
			t.Errorf("%s: provenance %q\n%s", c.lang, p.Prov, bad)
		}
		if want := "FIELDSET 2018-12 " + c.month; p.Month != want {
			t.Errorf("%s: the brief's month field %q, want %q", c.lang, p.Month, want)
		}
		if bad := testutil.Words(p.Brief, []string{c.brief, "1989 – 2018"}, []string{"2018-12</h1>", "1989-01.."}); bad != "" || regexp.MustCompile(`\d{4}-\d{2}-\d{2} \d{2}:\d{2}`).MatchString(p.Brief) {
			t.Errorf("%s: brief\n%s", c.lang, bad)
		}
	}
	done("months")
}

// TestE2EPerformancePlaceNames: the alert to leadership names the places
// it compares by name, in the page's language, the PRIO-GRID cell id only
// in brackets after the name: a withdrawal from Bria (its cell near Bria)
// matched with the cells near Bambari and near Ndélé, which kept their
// deployments ("near Bambari, Ouaka (Central African Republic) (cell
// 137922)", "près de Bambari, Ouaka (République centrafricaine) (cellule
// 137922)", never "cell 137922 (Central African Republic)"); the alerts
// page's link names the place too.
func TestE2EPerformancePlaceNames(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-places-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	alertBria(t, srv.DB, 139364, performance.Control{Cell: 137922, Area: "CAF", Before: 1, After: 2}, performance.Control{Cell: 141522, Area: "CAF", Before: 3, After: 4})
	// Each page is loaded afresh in the language chosen (a distinct query,
	// so that the browser does not only change the fragment).
	open := func(lang, hash string) {
		if _, err := js[bool](ctx, `(localStorage.setItem('vigil.lang', '`+lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		step(lang+" "+hash, navigate(srv.URL+"/?places="+lang+hash[2:]+hash))
	}
	for _, c := range []struct {
		lang, h1, alertsPage string
		want, not            []string
	}{
		{"en", "Performance and accountability", "Violence rose after the withdrawal from Bria (Central African Republic) in March 2018",
			[]string{"Bria (Central African Republic, MINUSCA)", "near Bambari, Ouaka (Central African Republic) (cell 137922): 1 before → 2 after",
				"near Ndélé, Bamingui-Bangoran (Central African Republic) (cell 141522): 3 before → 4 after"},
			[]string{"cell 137922 (", "cell 141522 (", "#139364"}},
		{"fr", "Performance et redevabilité", "La violence a augmenté après le retrait de Bria (République centrafricaine) en mars 2018",
			[]string{"Bria (République centrafricaine, MINUSCA)", "près de Bambari, Ouaka (République centrafricaine) (cellule 137922) : 1 avant → 2 après",
				"près de Ndélé, Bamingui-Bangoran (République centrafricaine) (cellule 141522) : 3 avant → 4 après"},
			[]string{"cellule 137922 (", "cellule 141522 (", "#139364", "Central African"}},
	} {
		open(c.lang, "#/performance")
		wait(c.lang, `document.querySelector('main h1')?.textContent === '`+c.h1+`' && document.querySelector('#perf-leadership li[data-cell="139364"] li[data-cell="137922"]')`)
		lead, err := js[string](ctx, `document.querySelector('#perf-leadership').textContent.replace(/[\u00a0\u202f]/g, ' ')`)
		if err != nil {
			t.Fatal(err)
		}
		if bad := testutil.Words(lead, c.want, c.not); bad != "" {
			t.Errorf("%s: alert to leadership %q\n%s", c.lang, lead, bad)
		}
		open(c.lang, "#/alerts")
		wait(c.lang+" alerts page", `document.querySelector('#alerts-leadership a[href="#/performance?alert=139364-2018-03"]')`)
		link, err := js[string](ctx, `document.querySelector('#alerts-leadership a').textContent.replace(/[\u00a0\u202f]/g, ' ')`)
		if err != nil || !strings.HasPrefix(link, c.alertsPage) || strings.Contains(link, "139364") {
			t.Errorf("%s: alerts page link %q (%v), want %q…", c.lang, link, err, c.alertsPage)
		}
	}
	done("places")
}

// TestE2EPerformanceTexts: a framework's other texts are shown in the
// page's language, the French on the French page and the English on the
// English one: the demo's commitments (text_fr), its parties named in
// words (name_fr; MINUSCA is a name and stays), its indicators' owners
// (owner_fr; JMAC stays) in the status table, the framework outline and
// the commitment form's parties, and an annual review's conclusions
// (summary_fr) added through the compact editor, which stores both.
// Editing a commitment fills its French field and stores the French typed
// there. Every wait is on the page's state.
func TestE2EPerformanceTexts(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-texts-")
	ctx := context.Background()
	text := func(sel string) string {
		t.Helper()
		s, err := js[string](b.ctx, `document.querySelector(`+jsString(sel)+`)?.textContent ?? '(none)'`)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	setLang := func(lang, h1, sel, want string) {
		t.Helper()
		if _, err := js[bool](b.ctx, `(Vigil.setLang('`+lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		b.wait(lang, `document.querySelector('main h1')?.textContent === `+jsString(h1)+` && document.querySelector(`+jsString(sel)+`)?.textContent === `+jsString(want))
	}
	const (
		gov1     = `#perf-compacts tr[data-commitment="gov-1"] > td:first-child > span`
		riskCAF  = `#perf-status tr[data-id="risk-caf"] > td:nth-of-type(2)` // the owner's cell
		review   = `#perf-compacts li[data-year="2018"] .perf-r-text`
		gov1EN   = "Redeploy prefects and police to the prefectures of the east"
		frH1     = "Performance et redevabilité"
		enH1     = "Performance and accountability"
		partyGov = `#perf-compacts h4[data-party="gov"] > span`
	)
	b.step("open", navigate(srv.URL+"/#/performance"))
	b.wait("open", `document.querySelector('#perf-compacts tr[data-commitment="gov-1"]') && document.querySelector('#perf-status tr[data-id="risk-caf"]')`)
	// Each text the page shows, in French and in English.
	const gov1FR = "Redéployer les préfets et la police dans les préfectures de l’Est"
	shown := []struct{ sel, fr, en string }{
		{gov1, gov1FR, gov1EN},
		{`#perf-compacts tr[data-commitment="mis-1"] > td:first-child > span`, "Bases opérationnelles temporaires à portée des zones de violences récentes",
			"Temporary operating bases within reach of the areas of recent violence"},
		{partyGov, "Gouvernement de la République centrafricaine", "Government of the Central African Republic"},
		{`#perf-compacts h4[data-party="faca"] > span`, "Forces armées centrafricaines (FACA)", "Central African Armed Forces (FACA)"},
		{`#perf-compacts h4[data-party="mis"] > span`, "MINUSCA", "MINUSCA"},
		{`#perf-k-party option[value="gov"]`, "Gouvernement de la République centrafricaine", "Government of the Central African Republic"},
		{riskCAF, "QG de la Force", "Force HQ"},
		{`#perf-status tr[data-id="safe"] > td:nth-of-type(2)`, "Affaires civiles", "Civil Affairs"},
		{`#perf-status tr[data-id="cd-caf"] > td:nth-of-type(2)`, "JMAC", "JMAC"},
	}
	for _, c := range []struct{ lang, h1 string }{{"fr", frH1}, {"en", enH1}} {
		setLang(c.lang, c.h1, `#perf-compacts h4[data-party="mis"] > span`, "MINUSCA")
		// The page redraws its parts as their answers come: wait for them all, then name any that differs.
		want := func(x struct{ sel, fr, en string }) string {
			if c.lang == "fr" {
				return x.fr
			}
			return x.en
		}
		owner := map[string]string{"fr": "QG de la Force", "en": "Force HQ"}[c.lang]
		outline := `#perf-outline li[data-ind="risk-caf"] > span`
		all := []string{`(document.querySelector(` + jsString(outline) + `)?.textContent || '').includes(` + jsString(" · "+owner+" · ") + `)`}
		for _, x := range shown {
			all = append(all, `document.querySelector(`+jsString(x.sel)+`)?.textContent === `+jsString(want(x)))
		}
		if err := pollAcrossReloads(b.ctx, strings.Join(all, " && "), stepWait); err != nil {
			t.Errorf("%s: %v", c.lang, err)
			for _, x := range shown {
				if got := text(x.sel); got != want(x) {
					t.Errorf("%s: %s says %q, want %q", c.lang, x.sel, got, want(x))
				}
			}
			if got := text(outline); !strings.Contains(got, " · "+owner+" · ") {
				t.Errorf("%s: the outline's risk-caf says %q", c.lang, got)
			}
		}
	}
	b.done("shown")

	// An annual review with its conclusions in English and in French, through the editor (English page).
	const sumEN, sumFR = "Prefects are back in three of the five eastern prefectures.", "Les préfets sont de retour dans trois des cinq préfectures de l’Est."
	b.step("compacts tab", click(css(`#perf-tab-compacts`)))
	b.step("review", chromedp.SetValue(css(`#perf-r-compact`), "compact-2017"), chromedp.SendKeys(css(`#perf-r-year`), "2018"), chromedp.SetValue(css(`#perf-r-date`), "2018-12-14"),
		chromedp.SendKeys(css(`#perf-r-summary`), sumEN), chromedp.SendKeys(css(`#perf-r-summary-fr`), sumFR), click(css(`#perf-review-form button[type=submit]`)))
	b.wait("review saved", `/Saved: revision 2\./.test(document.querySelector('#perf-compact-msg')?.textContent || '') && document.querySelector('#perf-compacts li[data-year="2018"]')`)
	f, _, err := srv.DB.Framework(ctx, demo.FrameworkMission)
	if err != nil {
		t.Fatal(err)
	}
	if rv := f.Compacts[0].Reviews; len(rv) != 1 || rv[0].Summary != sumEN || rv[0].SummaryFR != sumFR {
		t.Errorf("stored reviews %+v", rv)
	}
	b.wait("en review", `document.querySelector(`+jsString(review)+`)?.textContent === `+jsString(sumEN))
	setLang("fr", frH1, review, sumFR)
	setLang("en", enH1, review, sumEN)

	// Editing gov-1 (English page) fills its French beside its English; the French typed there is stored and shown on the French page only.
	const revised = "Redéployer les préfets dans les préfectures de l’Est"
	b.step("edit gov-1", click(css(`tr[data-commitment="gov-1"] .perf-edit`)))
	b.wait("gov-1 in the form", `document.querySelector('#perf-k-id')?.value === 'gov-1' && document.querySelector('#perf-k-text-fr')?.value === `+jsString(gov1FR))
	b.step("French text", chromedp.SetValue(css(`#perf-k-text-fr`), revised), click(css(`#perf-commit-form button[type=submit]`)))
	b.wait("commitment saved", `/Saved: revision 3\./.test(document.querySelector('#perf-compact-msg')?.textContent || '')`)
	if f, _, err = srv.DB.Framework(ctx, demo.FrameworkMission); err != nil {
		t.Fatal(err)
	}
	if k := f.Compacts[0].Commitments[0]; k.ID != "gov-1" || k.Text != gov1EN || k.TextFR != revised {
		t.Errorf("stored commitment %s: %q, French %q", k.ID, k.Text, k.TextFR)
	}
	b.wait("en after the edit", `document.querySelector(`+jsString(gov1)+`)?.textContent === `+jsString(gov1EN))
	setLang("fr", frH1, gov1, revised)
	b.done("edited")
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}
