package web_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/grid"
)

// TestE2EPerformanceOptionRemove: an option attached to a gap on Options
// for leadership (it goes into the monthly brief) could not be taken off
// from the page: the API had DELETE …/options/{id} and the page no
// button. Each option now has a Remove button (pressed twice, as the
// framework's), in English and French; after it the option is gone from
// the page and from the API.
func TestE2EPerformanceOptionRemove(t *testing.T) {
	t.Parallel()
	srv, b := newPerfBrowser(t, "performance-option-remove-")
	ctx, step, wait, done := b.ctx, b.step, b.wait, b.done
	for _, name := range []string{"TOB Bambari", "TOB Kaga-Bandoro"} {
		sc := &coverage.Scenario{Name: name, Kind: "plan", Month: grid.MonthOf(2018, 12),
			Body: json.RawMessage(`{"chosen":[{"id":"tob-1","lat":5.76,"lon":20.67,"cost":2}],"covered_weight_before":12,"covered_weight_after":20,"total_weight":40,"cells_gained":[1]}`)}
		if _, err := srv.DB.SaveScenario(context.Background(), "test", sc); err != nil {
			t.Fatal(err)
		}
	}
	step("options tab", navigate(srv.URL+"/#/performance?tab=options"))
	wait("form", `[...document.querySelectorAll('#perf-o-scenario option')].length === 2`)
	for i, name := range []string{"TOB Bambari", "TOB Kaga-Bandoro"} {
		step("attach "+name, chromedp.SendKeys(css(`#perf-o-gap`), "Ouaka: violence out of reach"), chromedp.SetValue(css(`#perf-o-area`), "CAF"),
			chromedp.SetValue(css(`#perf-o-scenario`), [...]string{"1", "2"}[i]), click(css(`#perf-option-form button[type=submit]`)))
		wait("attached "+name, `[...document.querySelectorAll('#perf-options tbody th')].some((h) => h.textContent.startsWith(`+jsString(name)+`))`)
	}
	axe := axeCheck(t, ctx)
	removeOf := func(name string) string {
		return `[...document.querySelectorAll('#perf-options tbody th')].find((h) => h.textContent.startsWith(` + jsString(name) + `))?.querySelector('button.perf-remove')`
	}
	cases := []struct{ lang, remove, confirm string }{
		{"en", "Remove", "Press again to remove"},
		{"fr", "Supprimer", "Appuyez de nouveau pour supprimer"},
	}
	for _, c := range cases {
		if _, err := js[bool](ctx, `(Vigil.setLang('`+c.lang+`'), true)`); err != nil {
			t.Fatal(err)
		}
		wait("remove button "+c.lang, removeOf("TOB Bambari")+`?.textContent === `+jsString(c.remove))
		axe("options, " + c.lang)
	}
	// Pressed once it asks; pressed again it removes that option only.
	if _, err := js[bool](ctx, `(`+removeOf("TOB Bambari")+`.click(), true)`); err != nil {
		t.Fatal(err)
	}
	wait("armed", removeOf("TOB Bambari")+`?.textContent === 'Appuyez de nouveau pour supprimer'`)
	if _, err := js[bool](ctx, `(`+removeOf("TOB Bambari")+`.click(), true)`); err != nil {
		t.Fatal(err)
	}
	wait("removed", `!`+removeOf("TOB Bambari")+` && !!`+removeOf("TOB Kaga-Bandoro"))
	left, err := run(ctx, chromedp.Evaluate[string](`fetch('/api/v1/performance/frameworks/MINUSCA/options').then((r) => r.json()).then((gs) => gs.flatMap((g) => g.options.map((o) => o.scenario)).join('|'))`, chromedp.EvalAwaitPromise))
	if err != nil || left != "TOB Kaga-Bandoro" {
		t.Errorf("options left in the API: %q (%v), want TOB Kaga-Bandoro", left, err)
	}
	done("removed")
}
