package web_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
)

// TestE2EAnalystJourney is an analyst's day in the browser on the demo's
// real events and deployments, the starter survey and a stored forecast:
// map → choose a country (the map zooms to it) → risk layer → a cell's
// explanation → coverage gap list → try a TOB and ask the optimiser for a
// plan → survey breakdown by sex (the form's labels) → responsiveness →
// print a page (the print style hides the controls). Each page: no
// serious or critical axe-core violation; screenshots go to
// $VIGIL_SCREENSHOTS.
func TestE2EAnalystJourney(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	srv := startFullServer(t)
	ctx0 := context.Background()
	saveDemoDeployments(t, srv.DB)
	// a stored cell forecast over central Africa
	origin := grid.MonthOf(2018, 12)
	var cells []forecast.CellRisk
	for _, gid := range boxCells(-5, 5, 20, 31) { // risk_e2e_test.go
		p := 0.01 + 0.4*float64(gid%7)/7
		cells = append(cells, forecast.CellRisk{Month: origin + 1, Horizon: 1, Cell: gid, Prob: p, Expected: 3 * p, Hi: 20 * p,
			Drivers: []forecast.Driver{{Feature: "os_sum12", Value: 2, Contribution: 0.9}}, History: []forecast.HistoryPoint{{Month: "2018-12", Events: 1, Fatalities: 2}}})
	}
	if _, err := srv.DB.SaveForecast(ctx0, "test", forecast.Run{Target: "os", Grid: "priogrid", CellSize: 0.5, Origin: origin, Model: "gbt"}, cells); err != nil {
		t.Fatal(err)
	}
	const user, pw = "analyst.journey", "correct horse battery"
	if _, err := srv.Server.Auth.CreateUser(ctx0, "test", user, auth.Analyst, pw); err != nil {
		t.Fatal(err)
	}
	shots := screenshotDir(t)
	ctx, _ := newBrowser(t, 1366, 768)
	axe := axeCheck(t, ctx)
	shot := func(name string) { saveShot(t, ctx, shots, "analyst-journey-"+name) }
	if err := login(ctx, &e2eServer{URL: srv.URL, User: user, Password: pw}); err != nil {
		t.Fatalf("login: %v", err)
	}

	// Map → country: the map zooms to DR Congo's events.
	if err := poll(ctx, `document.querySelectorAll('#map .cluster').length > 0`, stepWait); err != nil {
		t.Fatal(err)
	}
	if _, err := js[bool](ctx, `(() => { const e = document.getElementById('filter-country'); e.value = 'DR Congo (Zaire)'; e.dispatchEvent(new Event('change')); return true; })()`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `(() => { const c = Vigil.map.getCenter(); return Vigil.map.getZoom() >= 5 && c.lat > -14 && c.lat < 6 && c.lng > 12 && c.lng < 32; })()`, stepWait); err != nil {
		t.Errorf("choosing DR Congo did not zoom to it: %v", err)
	}
	// → risk: the highest-risk cell's explanation, by keyboard.
	if err := do(ctx, click(css(`#layer-risk`))); err != nil {
		t.Fatal(err)
	}
	if _, err := js[bool](ctx, `(() => { document.querySelectorAll('.risk-legend details').forEach((d) => { d.open = true; }); return true; })()`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelectorAll('.risk-top').length > 0`, stepWait); err != nil {
		t.Fatalf("no top-risk list: %v", err)
	}
	if err := focusEnter(ctx, `.risk-top`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `(document.querySelector('.leaflet-popup .risk-cell') || {}).textContent?.includes('Why: what raised')`, stepWait); err != nil {
		t.Errorf("no risk explanation: %v", err)
	}
	axe("map with risk")
	shot("map")

	// Coverage: the gap list, a TOB tried, the optimiser's plan.
	if err := do(ctx, navigate(srv.URL+"/#/coverage"), chromedp.WaitVisible(css(`#coverage-map`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelectorAll('.coverage-gaps tbody tr').length > 0`, stepWait); err != nil {
		t.Fatalf("gap list: %v", err)
	}
	if err := do(ctx, click(css(`#coverage-map`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `(document.querySelector('.coverage-try') || {}).textContent?.includes('would newly cover')`, stepWait); err != nil {
		t.Errorf("TOB try: %v", err)
	}
	if err := do(ctx, click(css(`#coverage-plan-btn`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `(document.querySelector('.coverage-plan') || {}).textContent?.includes('placement')`, stepWait); err != nil {
		t.Errorf("plan: %v", err)
	}
	axe("coverage")
	shot("coverage")

	// Surveys: trust broken down by sex, in the form's words.
	if err := do(ctx, navigate(srv.URL+"/#/surveys"), chromedp.WaitVisible(css(`#surveys-estimates`))); err != nil {
		t.Fatal(err)
	}
	if err := do(ctx, chromedp.SetValue(css(`#surveys-by`), "sex")); err != nil {
		t.Fatal(err)
	}
	if _, err := js[bool](ctx, `(document.getElementById('surveys-by').dispatchEvent(new Event('change')), true)`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `(() => { const r = [...document.querySelectorAll('#surveys-estimates tbody th')].map((e) => e.textContent); return r.includes('Female') && r.includes('Male'); })()`, stepWait); err != nil {
		rows, _ := text(ctx, `#surveys-estimates`)
		t.Errorf("breakdown by sex: %q: %v", rows, err)
	}
	axe("surveys")
	shot("surveys")

	// Responsiveness.
	if err := do(ctx, navigate(srv.URL+"/#/responsiveness"), chromedp.WaitVisible(css(`#resp-summary`))); err != nil {
		t.Fatal(err)
	}
	axe("responsiveness")
	shot("responsiveness")

	// Print the page as a brief: the controls are not printed, the tables are.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	printed, err := js[[]string](ctx, `[getComputedStyle(document.querySelector('.topbar')).display, getComputedStyle(document.querySelector('#resp-go')).display, getComputedStyle(document.querySelector('#resp-overall')).display]`)
	if err != nil || len(printed) != 3 || printed[0] != "none" || printed[1] != "none" || printed[2] == "none" {
		t.Errorf("print style (topbar, button, table): %v (%v)", printed, err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}
}

// saveShot writes a screenshot of the page to dir/name.png (an artefact;
// a failure to write is only logged).
func saveShot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	if dir == "" {
		return // no $VIGIL_SCREENSHOTS (screenshotDir)
	}
	png, err := run(ctx, chromedp.FullScreenshot(100))
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	}
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
	}
}
