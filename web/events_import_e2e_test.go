package web_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/internal/shareddata"
)

// TestE2EEventsImport is an analyst importing conflict events in the
// browser (Administration → Import data): a file with a bad row is refused
// with its line and column and nothing is written; the real UCDP GED 23.1
// file of the Central African Republic is imported with the summary the
// CLI prints (1,458 rows, 19 inconsistent estimates kept); back on the map,
// the count in view is the store's, which now holds the new events. No
// serious or critical axe-core violation on the tab.
func TestE2EEventsImport(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	carPath := shareddata.Path(t, "ucdp/ged231_car_1989_2018.csv")
	badPath, err := filepath.Abs("../ingest/testdata/cases/ged-bad-lat.csv")
	if err != nil {
		t.Fatal(err)
	}
	srv := startServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1440, 900)
	if _, err := summaryEvents(ctx, -1); err != nil {
		t.Fatalf("waiting for the map: %v", err)
	}
	before := storeCount(t, srv.Store, []float64{-180, -90, 180, 90}, nil)

	if err := do(ctx, navigate(srv.URL+"/#/admin?tab=data"), chromedp.WaitVisible(css(`#admin-events-form`))); err != nil {
		t.Fatalf("opening the import tab: %v", err)
	}
	axeCheck(t, ctx)("admin data tab")

	// A bad row: refused, named, nothing written.
	if err := do(ctx, chromedp.SetUploadFiles(css(`#admin-events-file`), []string{badPath}), click(css(`#admin-events-form button[type=submit]`)),
		chromedp.WaitVisible(css(`#admin-events-error`))); err != nil {
		t.Fatalf("bad file: %v", err)
	}
	msg, err := text(ctx, `#admin-body [role=alert]`)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "ged-bad-lat.csv:3: latitude: 95.5 outside -90..90") || !strings.Contains(msg, "nothing was written") {
		t.Errorf("bad file message: %q", msg)
	}
	if n := storeCount(t, srv.Store, []float64{-180, -90, 180, 90}, nil); n != before {
		t.Fatalf("the refused file changed the store: %d events, was %d", n, before)
	}

	// The real file: the CLI's summary.
	if err := do(ctx, chromedp.SetUploadFiles(css(`#admin-events-file`), []string{carPath}), click(css(`#admin-events-form button[type=submit]`)),
		chromedp.WaitVisible(css(`#admin-events-summary`))); err != nil {
		t.Fatalf("importing %s: %v", carPath, err)
	}
	counts, err := js[[]int](ctx, `[...document.querySelectorAll('#admin-events-summary dd')].map((d) => Number(d.textContent.replace(/[^0-9]/g, '')))`)
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) < 4 || counts[0]+counts[1]+counts[2] != 1458 || counts[3] != 19 {
		t.Fatalf("summary %v: want inserted+updated+unchanged = 1458 and 19 inconsistent", counts)
	}
	after := storeCount(t, srv.Store, []float64{-180, -90, 180, 90}, nil)
	if after != before+counts[0] {
		t.Errorf("store holds %d events after inserting %d into %d", after, counts[0], before)
	}

	// The map shows the store's events, the new ones included.
	if err := do(ctx, click(css(`#admin-body a[href="#/map"]`)), chromedp.WaitVisible(css(`#map .leaflet-pane`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.getElementById('summary') && document.getElementById('summary').dataset.events !== undefined && document.getElementById('map').dataset.loading !== '1' && Vigil.filters.zoom === Vigil.map.getZoom()`, stepWait); err != nil {
		t.Fatalf("the map did not settle: %v", err)
	}
	shown, err := js[int](ctx, `Number(document.getElementById('summary').dataset.events)`)
	if err != nil {
		t.Fatal(err)
	}
	bbox, err := js[[]float64](ctx, `Vigil.filters.bbox`)
	if err != nil {
		t.Fatal(err)
	}
	if want := storeCount(t, srv.Store, bbox, nil); shown != want {
		t.Errorf("map shows %d events in %v after the import, store has %d", shown, bbox, want)
	}

	// Deployments (Geo-PKO), which had an API but no page: the sites are read and stored.
	geoPath := shareddata.Path(t, "geopko/geopko_v2x_deployments_6countries_1994_2020.csv")
	if err := do(ctx, navigate(srv.URL+"/#/admin?tab=data"), chromedp.WaitVisible(css(`#admin-deploy-form`)),
		chromedp.SetUploadFiles(css(`#admin-deploy-file`), []string{geoPath}), click(css(`#admin-deploy-form button[type=submit]`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('#admin-deploy-form + div [role=status]')`, stepWait); err != nil {
		t.Fatalf("deployments import: %v", err)
	}
	if m, _ := text(ctx, `#admin-deploy-form + div [role=status]`); !strings.Contains(m, "geopko_v2x_deployments_6countries_1994_2020.csv:") || !strings.Contains(m, "deployments read") {
		t.Errorf("deployments import said %q", m)
	}

	// The tab in French: translated, axe clean.
	if err := openIn(ctx, srv.URL+"/#/admin?tab=data", "fr"); err != nil {
		t.Fatal(err)
	}
	if err := pollAcrossReloads(ctx, `document.documentElement.lang === 'fr' && !!document.querySelector('#admin-events-form')`, stepWait); err != nil {
		t.Fatalf("the import tab in French: %v", err)
	}
	axeCheck(t, ctx)("admin data tab fr")
	for _, p := range languageProblems(ctx, "fr") {
		t.Errorf("admin data tab fr: %s", p)
	}
	if h, _ := text(ctx, `#admin-body h2`); h != "Importer des événements de conflit" {
		t.Errorf("French card title %q", h)
	}
}
