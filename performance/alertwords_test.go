package performance

import (
	"strings"
	"testing"
)

// TestAlertWords: a fired withdrawal, as leadership is alerted to it (the
// Performance page, the escalation webhook, the brief), is said in plain
// words — what happened, where, how sure — and its statistics (the
// matched expectation, the difference-in-differences, the p-value) are
// apart, for analysts, in English and French.
func TestAlertWords(t *testing.T) {
	bria := Withdrawal{Cell: 130329, Month: "2018-03", Location: "Bria", Area: "CAF", Mission: "MINUSCA", Status: WEvaluated, Before: 2, After: 19, Expected: 3.5, DiD: 15.5, P: 0.0001, Fired: true}
	with := func(p, expected float64) Withdrawal { w := bria; w.P, w.Expected = p, expected; return w }
	deaths := WatchConfig{Measure: "deaths", After: 12}
	for _, c := range []struct {
		name         string
		w            Withdrawal
		cfg          WatchConfig
		en, fr       string
		figEN, figFR string
	}{
		{"tiny p", bria, deaths,
			"Violence against civilians rose after the mission left Bria (Central African Republic, MINUSCA) in March 2018: 19 civilian deaths in the 12 months after, where similar places where the mission stayed lead to expect about 3.5 (2 before) — almost certainly not chance.",
			"La violence contre les civils a augmenté après le départ de la mission de Bria (République centrafricaine, MINUSCA) en mars 2018\u00a0: 19 décès de civils dans les 12 mois suivants, alors que des lieux semblables où la mission est restée laissent attendre environ 3,5 (2 avant) — presque certainement pas un hasard.",
			"expected 3.5; difference-in-differences 15.5; Poisson test p < 0.001",
			"attendu 3,5\u202f; double différence 15,5\u202f; test de Poisson p < 0,001"},
		{"p 0.004", with(0.004, 8.123), deaths,
			"19 civilian deaths in the 12 months after, where similar places where the mission stayed lead to expect about 8.1 (2 before) — very unlikely to be chance.",
			"19 décès de civils dans les 12 mois suivants, alors que des lieux semblables où la mission est restée laissent attendre environ 8,1 (2 avant) — très probablement pas un hasard.",
			"expected 8.12; difference-in-differences 15.5; Poisson test p = 0.004",
			"attendu 8,12\u202f; double différence 15,5\u202f; test de Poisson p = 0,004"},
		{"p 0.0512, events, one month", with(0.0512, 3.5), WatchConfig{Measure: "events", After: 1},
			"19 events of violence against civilians in the month after, where similar places where the mission stayed lead to expect about 3.5 (2 before) — unlikely to be chance.",
			"19 événements de violence contre les civils dans le mois suivant, alors que des lieux semblables où la mission est restée laissent attendre environ 3,5 (2 avant) — probablement pas un hasard.",
			"Poisson test p = 0.0512", "test de Poisson p = 0,0512"},
		{"p 0.15 (confidence 0.8)", with(0.15, 3.5), deaths, "— possibly chance.", "— peut-être un hasard.", "p = 0.15", "p = 0,15"},
	} {
		words, figs := AlertWords(c.w, c.cfg), AlertFigures(c.w)
		for _, l := range []struct{ lang, got, want, fig, wantFig string }{
			{"en", words.Text("en"), c.en, figs.Text("en"), c.figEN},
			{"fr", words.Text("fr"), c.fr, figs.Text("fr"), c.figFR},
		} {
			if !strings.Contains(l.got, l.want) {
				t.Errorf("%s %s: words %q, want %q", c.name, l.lang, l.got, l.want)
			}
			if !strings.Contains(l.fig, l.wantFig) {
				t.Errorf("%s %s: figures %q, want %q", c.name, l.lang, l.fig, l.wantFig)
			}
			for _, jargon := range []string{"p <", "p =", "difference", "différence", "Poisson", "15,5", "15.5", "{"} {
				if strings.Contains(l.got, jargon) {
					t.Errorf("%s %s: the words for leadership say %q: %q", c.name, l.lang, jargon, l.got)
				}
			}
		}
	}
}
