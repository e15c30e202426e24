package web_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/storage"
)

// TestE2ECoveragePlanner: a planner opens the coverage page, sees the gap
// list for a month, drops a TOB on the map and sees the coverage it gains,
// asks the optimiser, and saves the result as a scenario.
func TestE2ECoveragePlanner(t *testing.T) {
	srv := startServer(t)
	db, ok := srv.Store.(*storage.DB)
	if !ok {
		t.Skip("events store is not a *storage.DB")
	}
	cr, err := demo.Open(demo.PrioGridCells)
	if err != nil {
		t.Fatal(err)
	}
	cells, err := coverage.ReadPrioCells(cr, demo.PrioGridCells)
	cr.Close()
	if err != nil {
		t.Fatal(err)
	}
	gr, err := demo.Open(demo.GeoPKO)
	if err != nil {
		t.Fatal(err)
	}
	deps, err := coverage.ReadGeoPKO(gr, demo.GeoPKO, cells)
	gr.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.SaveDeployments(context.Background(), "test", deps); err != nil {
		t.Fatal(err)
	}
	ctx, _ := newBrowser(t, 1280, 900)
	if err := login(ctx, srv); err != nil {
		t.Fatalf("login: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/#/coverage"), chromedp.WaitVisible(css(`#coverage-map`))); err != nil {
		t.Fatalf("opening the planner: %v", err)
	}
	// The default month is 2017-07: the gap table fills.
	if err := poll(ctx, `document.querySelectorAll('.coverage-gaps tbody tr').length > 0`, 30*time.Second); err != nil {
		dbg, _ := js[string](ctx, `JSON.stringify([document.getElementById('coverage-month').value, Vigil.filters.month, document.querySelector('.coverage-controls').textContent])`)
		t.Fatalf("gap list never appeared: %v %s", err, dbg)
	}
	// Sites and cells are drawn on the planner's map.
	n, err := js[int](ctx, `document.querySelectorAll('#coverage-map path.leaflet-interactive').length`)
	if err != nil || n < 100 {
		t.Errorf("%d shapes on the planner map (%v)", n, err)
	}
	// Click the map: the TOB moves there and the gain is shown.
	if err := chromedp.Do(ctx, chromedp.Click(css(`#coverage-map`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `(document.querySelector('.coverage-try')||{}).textContent.includes('would newly cover')`, 30*time.Second); err != nil {
		txt, _ := text(ctx, `.coverage-try`)
		t.Fatalf("try result never shown: %v (%q)", err, txt)
	}
	// The optimiser's suggestion appears beside it.
	if err := chromedp.Do(ctx, chromedp.Click(css(`#coverage-plan-btn`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `(document.querySelector('.coverage-plan')||{}).textContent.includes('Optimality gap')`, 60*time.Second); err != nil {
		txt, _ := text(ctx, `.coverage-plan`)
		t.Fatalf("plan result never shown: %v (%q)", err, txt)
	}
	planTxt, _ := text(ctx, `.coverage-plan`)
	if !strings.Contains(planTxt, "Your TOB: +") {
		t.Errorf("plan text lacks the comparison with the tried TOB: %q", planTxt)
	}
	if path := os.Getenv("VIGIL_COVERAGE_SCREENSHOT"); path != "" {
		_, _ = js[bool](ctx, `window.scrollTo(0, 0); document.querySelector('main') && document.querySelector('main').scrollTo(0, 0); true`)
		time.Sleep(500 * time.Millisecond)
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err == nil {
			err = os.WriteFile(path, png, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	// Save the plan; it is listed among saved scenarios.
	if err := chromedp.Do(ctx, chromedp.SendKeys(css(`#coverage-name`), "two TOBs"), chromedp.Click(css(`#coverage-save-plan`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `(document.querySelector('.coverage-scenarios')||{}).textContent.includes('two TOBs')`, 30*time.Second); err != nil {
		t.Fatalf("saved scenario not listed: %v", err)
	}
}
