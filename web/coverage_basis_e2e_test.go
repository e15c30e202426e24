package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
)

// TestE2ECoverageRiskBasis walks the coverage planner in French when the
// last month with data (December 2018 in the demo store) has no forecast but
// the next one has: the page opens on the forecast month and says that its
// risk is the forecast's probability (shown as a percentage), offers the
// last month with data, which says its risk is counts of past events and
// offers the forecast month back. A gap request that ends in an AbortError
// the page did not cause leaves a message and a retry, not "Chargement…";
// of two quick month changes, the last one is shown.
func TestE2ECoverageRiskBasis(t *testing.T) {
	chromiumPath(t)                   // skips without a browser (fails in CI)
	srv, db := startCoverageServer(t) // coverage_e2e_test.go
	far := 137203                     // Central African Republic, north-east: no site near
	if _, err := db.SaveForecast(context.Background(), "test", forecast.Run{Target: "osv", Grid: "priogrid", CellSize: 0.5, Origin: grid.MonthOf(2018, 12), Model: "test"},
		[]forecast.CellRisk{{Month: grid.MonthOf(2019, 1), Horizon: 1, Cell: far, Prob: 0.9, Expected: 3, Lo: 0, Hi: 9}}); err != nil {
		t.Fatal(err)
	}
	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	if err := openIn(ctx, srv.URL+"/#/coverage", "fr"); err != nil {
		t.Fatal(err)
	}
	const settled = `document.documentElement.lang === 'fr' && document.querySelectorAll('.coverage-gaps tbody tr').length > 0 && !document.getElementById('coverage-status').textContent.includes('Chargement')`
	page := func() string {
		s, _ := js[string](ctx, `document.getElementById('coverage-month').value + ' | ' + document.getElementById('coverage-status').textContent + ' | ' + document.getElementById('coverage-basis').textContent`)
		return s
	}
	if err := poll(ctx, settled, stepWait); err != nil {
		t.Fatalf("the planner never showed its gaps: %v (%s)", err, page())
	}
	// The forecast month, said so, with the last month with data offered.
	basis, _ := text(ctx, `#coverage-basis`)
	month, _ := js[string](ctx, `document.getElementById('coverage-month').value`)
	if month != "2019-01" || !strings.Contains(basis, "Risque pour janvier 2019 : probabilité prévue") || !strings.Contains(basis, "Afficher décembre 2018 (dernier mois avec données)") {
		t.Errorf("first view: month %q, basis %q; want 2019-01, the forecast said, December 2018 offered", month, basis)
	}
	if risk, _ := js[string](ctx, `document.querySelector('.coverage-gaps tbody tr td:nth-child(3)').textContent`); risk != "90 %" {
		t.Errorf("top gap's risk %q, want the forecast's 90 %%", risk)
	}
	axe := axeCheck(t, ctx) // ui_pages_e2e_test.go
	axe("coverage, forecast month")
	// The last month with data: counts, said so, the forecast month offered.
	if err := do(ctx, chromedp.Click(css(`#coverage-basis-other`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, settled+` && document.getElementById('coverage-month').value === '2018-12' && document.getElementById('coverage-basis').textContent.includes('Aucune prévision ne couvre décembre 2018')`, stepWait); err != nil {
		t.Errorf("after choosing December 2018: %v (%s)", err, page())
	}
	if b, _ := text(ctx, `#coverage-basis-other`); b != "Afficher janvier 2019 (prévision)" {
		t.Errorf("offered %q, want Afficher janvier 2019 (prévision)", b)
	}

	// A gap request that ends in an AbortError not of the page's making.
	if _, err := js[bool](ctx, `(() => {
		const real = window.fetch;
		window.fetch = (u, o) => String(u).includes('/api/v1/coverage/gaps') ? (window.fetch = real, Promise.reject(new DOMException('stopped', 'AbortError'))) : real(u, o);
		const m = document.getElementById('coverage-month'); m.value = '2019-01'; m.dispatchEvent(new Event('change'));
		return true; })()`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.getElementById('coverage-status').textContent.includes('Le chargement a été interrompu.') && !!document.getElementById('coverage-retry')`, stepWait); err != nil {
		t.Errorf("an interrupted request: %v (%s)", err, page())
	}
	if err := do(ctx, chromedp.Click(css(`#coverage-retry`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, settled+` && document.getElementById('coverage-basis').textContent.includes('Risque pour janvier 2019')`, stepWait); err != nil {
		t.Errorf("retry: %v (%s)", err, page())
	}

	// Two quick changes: the second month is the one shown.
	if _, err := js[bool](ctx, `(() => { const m = document.getElementById('coverage-month');
		for (const v of ['2018-12', '2019-01']) { m.value = v; m.dispatchEvent(new Event('change')); }
		return true; })()`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, settled+` && document.getElementById('coverage-basis').textContent.includes('Risque pour janvier 2019')`, stepWait); err != nil {
		t.Errorf("two quick changes: %v (%s)", err, page())
	}
}
