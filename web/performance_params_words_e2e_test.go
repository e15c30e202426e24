package web_test

import (
	"strings"
	"testing"
)

// TestE2EPerformanceParamsWords: the framework editor shows an indicator's
// parameters in words, not as type=3: the outline says "Type of violence:
// One-sided violence (against civilians)", « Risque de chaque cellule : la
// violence récente … »; Edit fills a list of the values in words, and a
// threshold says its unit (the 10 % of cells at highest risk), in English
// and French, axe clean.
func TestE2EPerformanceParamsWords(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-params-words-")
	ctx, wait, done := b.ctx, b.wait, b.done
	axe := axeCheck(t, ctx)
	for _, c := range []struct{ lang, cd, risk, edited, top string }{
		{"en", "Type of violence: One-sided violence (against civilians)", "Risk of each cell: recent violence (violent events in the cell in the 12 months before)",
			"Type of violence=One-sided violence (against civilians)", "the 10% of cells at highest risk each month"},
		{"fr", "Type de violence : Violence unilatérale (contre les civils)", "Risque de chaque cellule : la violence récente (événements violents dans la cellule au cours des 12 mois précédents)",
			"Type de violence=Violence unilatérale (contre les civils)", "les 10 % des cellules au risque le plus élevé chaque mois"},
	} {
		if err := openIn(ctx, srv.URL+"/#/performance?tab=framework", c.lang); err != nil {
			t.Fatal(err)
		}
		wait(c.lang+" outline", `document.documentElement.lang === '`+c.lang+`' && document.querySelector('#perf-outline li[data-ind="cd-caf"]') && document.querySelector('#perf-ind-params')`)
		got, err := js[string](ctx, `['cd-caf', 'risk-caf'].map((id) => document.querySelector('#perf-outline li[data-ind="' + id + '"] > span').textContent).join('\n').replace(/[\u00a0\u202f]/g, ' ')`)
		if err != nil || !strings.Contains(got, c.cd) || !strings.Contains(got, c.risk) || strings.Contains(got, "type=") {
			t.Errorf("%s: the outline says %q (%v), want %q and %q", c.lang, got, err, c.cd, c.risk)
		}
		// Edit: the parameter's list, in words, on the indicator's value.
		if _, err := js[bool](ctx, `(document.querySelector('#perf-outline li[data-ind="cd-caf"] .perf-edit').click(), true)`); err != nil {
			t.Fatal(err)
		}
		wait(c.lang+" edited", `document.querySelector('#perf-ind-id')?.value === 'cd-caf'`)
		edited, err := js[string](ctx, `(() => { const s = document.querySelector('#perf-ind-param-type'); return document.querySelector('label[for=perf-ind-param-type]').textContent + '=' + s.selectedOptions[0].textContent; })()`)
		if err != nil || edited != c.edited {
			t.Errorf("%s: the edited parameter %q (%v), want %q", c.lang, edited, err, c.edited)
		}
		// A threshold says its unit.
		if _, err := js[bool](ctx, `(() => { const l = document.querySelector('#perf-ind-lib'); l.value = 'high-risk-covered'; l.dispatchEvent(new Event('change')); return true; })()`); err != nil {
			t.Fatal(err)
		}
		wait(c.lang+" top", `document.querySelector('#perf-ind-param-top')`)
		top, err := js[string](ctx, `[...document.querySelectorAll('#perf-ind-param-top option')].map((o) => o.textContent).join('|').replace(/[\u00a0\u202f]/g, ' ')`)
		if err != nil || !strings.Contains(top, c.top) {
			t.Errorf("%s: the top's choices %q (%v), want %q", c.lang, top, err, c.top)
		}
		axe(c.lang + " parameters")
	}
	done("params")
}
