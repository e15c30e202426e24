package web_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestE2EPerformanceFrenchFormats: the Performance page writes a quarter as
// "Q4 2018" (« T4 2018 » in French, and reads either as typed), and French
// negative numbers with the minus sign of French typography (U+2212) where
// Intl.NumberFormat writes a hyphen, as the brief does, and percentages
// with a narrow no-break space before % (Vigil.percent); axe clean.
func TestE2EPerformanceFrenchFormats(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-french-formats-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	axe := axeCheck(t, ctx)
	saveDemoDeployments(t, srv.DB)
	for _, c := range []struct{ lang, typed, caption, did string }{
		{"en", "Q4 2018", "values for Q4 2018", "mean: -3.39 (90% interval -8.26 to 0.64)"},
		{"fr", "T4 2018", "valeurs pour T4 2018", "moyenne : \u22123,39 (intervalle à 90 % de \u22128,26 à 0,64)"},
	} {
		if err := openIn(ctx, srv.URL+"/#/performance?tab=indicators&period=2018", c.lang); err != nil {
			t.Fatal(err)
		}
		wait(c.lang+" open", `document.documentElement.lang === '`+c.lang+`' && document.querySelector('#perf-status caption')?.textContent.includes('2018')`)
		step(c.lang+" quarter", chromedp.SetValue(css(`#perf-period`), c.typed), click(css(`#perf-controls button[type=submit]`)))
		wait(c.lang+" quarter shown", `document.querySelector('#perf-status caption')?.textContent.replace(/[\u00a0\u202f]/g, ' ').includes('`+c.caption+`')`)
		axe(c.lang + " quarter")
		step(c.lang+" watch", click(css(`#perf-tab-watch`)))
		wait(c.lang+" did", `document.querySelector('#perf-watch-did p')`)
		got, err := js[string](ctx, `document.querySelector('#perf-watch-did p').textContent.replace(/[\u00a0\u202f]/g, ' ')`)
		if err != nil || !strings.Contains(got, c.did) {
			t.Errorf("%s: the difference-in-differences reads %q (%v), want %q", c.lang, got, err, c.did)
		}
	}
	// A share's exact trend says its two values as percentages, as the server's reason does (performance.percentArgs), not 0,686.
	step("fr 2018-12", click(css(`#perf-tab-indicators`)), chromedp.SetValue(css(`#perf-period`), "2018-12"), click(css(`#perf-controls button[type=submit]`)))
	wait("fr risk-caf trend", `document.querySelector('#perf-status caption')?.textContent.includes('décembre 2018') && document.querySelector('#perf-status tr[data-id="risk-caf"]')`)
	trend, err := js[string](ctx, `document.querySelector('#perf-status tr[data-id="risk-caf"]').cells[7].textContent.replace(/[\u00a0\u202f]/g, ' ')`)
	if err != nil || !regexp.MustCompile(`de \d+(,\d+)? % à \d+(,\d+)? % \(données complètes`).MatchString(trend) {
		t.Errorf("fr: risk-caf's trend %q (%v), want its values as percentages", trend, err)
	}
	// Intl writes a hyphen; the page, as the brief (performance.LocalNumber), the minus sign.
	got, err := js[string](ctx, `[new Intl.NumberFormat('fr-FR').format(-3.39), Vigil.num(-3.39), Vigil.num(3.39)].join('|')`)
	if err != nil || got != "-3,39|\u22123,39|3,39" {
		t.Errorf("French numbers %q (%v)", got, err)
	}
	// A percentage keeps its % on the number's line: a narrow no-break
	// space (U+202F) before it in French, as performance.LocalNumber
	// writes it; it was a plain space.
	got, err = js[string](ctx, `[Vigil.percent(12.5), Vigil.pct(0.847), Vigil.percent(-3)].join('|')`)
	if want := "12,5\u202f%|84,7\u202f%|\u22123\u202f%"; err != nil || got != want {
		t.Errorf("French percentages %q (%v), want %q", got, err, want)
	}
	done("french formats")
}
