package web_test

import "testing"

// TestE2EPerformanceNoTarget: the monthly review of the demo framework,
// whose targets are yearly. A month is judged against its year's target
// (performance.targetFor): a count's shared evenly over the year's months
// (civilian deaths in CAR, 300 for 2018: 25 for December 2018), a share's
// as it is (risk covered, 70 %), each row saying which target and how, and
// the page saying the rule in one line. A month of a year without a target
// (2016) says « no target » / « pas de cible », not « cannot tell yet » —
// the words for a value too uncertain to judge. Axe clean.
func TestE2EPerformanceNoTarget(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-no-target-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	badge := func(id string) string {
		return `document.querySelector('#perf-status tr[data-id="` + id + `"] .badge')?.textContent`
	}
	step("open", navigate(srv.URL+"/#/performance"))
	wait("status", badge("cd-caf"))
	axe := axeCheck(t, ctx)
	month := map[string]map[string]string{"2018-12": {"en": "December 2018", "fr": "décembre 2018"}, "2016-12": {"en": "December 2016", "fr": "décembre 2016"}, "2018": {"en": "2018", "fr": "2018"}}
	cases := []struct {
		lang, period, want string
		notes              map[string]string // row: its target cell's text
		rule               string
	}{
		{"en", "2018-12", "on track", map[string]string{
			"cd-caf":   "25the target set for 2018, 300, shared evenly over its 12 months: 25 for December 2018",
			"risk-caf": "70%the target set for 2018 applies as it is to December 2018 (a share or a rate)"},
			"a count's (deaths, events) shared evenly over the year's months (300 a year: 25 a month)"},
		{"fr", "2018-12", "en bonne voie", map[string]string{
			"cd-caf":   "25la cible fixée pour 2018, 300, répartie également sur ses 12 mois : 25 pour décembre 2018",
			"risk-caf": "70 %la cible fixée pour 2018 s’applique telle quelle à décembre 2018 (une part ou un taux)"},
			"celle d’un nombre (décès, événements) répartie également sur les mois de l’année (300 par an\u00a0: 25 par mois)"},
		{"fr", "2016-12", "pas de cible", map[string]string{"cd-caf": "—"}, ""},
		{"en", "2016-12", "no target", map[string]string{"cd-caf": "—"}, ""},
		{"fr", "2018", "en bonne voie", map[string]string{"cd-caf": "300"}, ""}, // 190 deaths against the 2018 target 300
	}
	for _, c := range cases {
		if _, err := js[bool](ctx, `(Vigil.setLang('`+c.lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		// The language switch redraws the controls: find them when used
		// (a node looked up before the redraw is gone: "Could not find node").
		wait("controls "+c.lang, `document.documentElement.lang === '`+c.lang+`' && document.getElementById('perf-period')`)
		if _, err := js[bool](ctx, `(() => { document.getElementById('perf-period').value = '`+c.period+`'; document.querySelector('#perf-controls button[type=submit]').click(); return true; })()`); err != nil {
			t.Fatal(err)
		}
		wait(c.lang+" "+c.period, badge("cd-caf")+` === `+jsString(c.want)+` && document.querySelector('#perf-status caption')?.textContent.includes(`+jsString(month[c.period][c.lang])+`)`)
		// The rows may be drawn again after the caption (the language
		// switch draws the old period, Show the new one): wait for each
		// note rather than read it once.
		for id, want := range c.notes {
			wait(c.lang+" "+c.period+" "+id+"'s target", `(document.querySelector('#perf-status tr[data-id="`+id+`"]')?.cells[5]?.textContent || '').replace(/[\u00a0\u202f]/g, ' ') === `+jsString(want))
		}
		wait(c.lang+" "+c.period+" rule", `(document.querySelector('#perf-target-rule')?.textContent || '').includes(`+jsString(c.rule)+`)`)
		axe(c.lang + " " + c.period)
	}
	done("fr")
}
