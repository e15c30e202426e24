package web_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/demo"
)

// TestReadmeScreenshot takes the README's picture from the demo, as
// `serve --demo` sets it up (real events and deployments, demo alerts and
// survey, forecasts computed): the map at 1440×900 with the risk layer, the
// demo's incidents and the legend's highest-risk cells named after their
// places. It runs only when
// VIGIL_README_SCREENSHOT names the PNG to write (docs/screenshot.png): it
// computes the demo forecasts (a few minutes on two cores).
//
//	VIGIL_README_SCREENSHOT=$PWD/docs/screenshot.png go test ./web -run TestReadmeScreenshot -timeout 30m
func TestReadmeScreenshot(t *testing.T) {
	out := os.Getenv("VIGIL_README_SCREENSHOT")
	if out == "" {
		t.Skip("set VIGIL_README_SCREENSHOT=FILE.png to take the README screenshot")
	}
	chromiumPath(t)
	ctx0 := context.Background()
	const user, pw = "demo", "correct horse battery"
	d := startDemoServer(t, user, auth.Analyst, pw)
	if err := demo.Forecasts(ctx0, d.DB, d.Options); err != nil {
		t.Fatal(err)
	}
	ctx, _ := loggedInBrowser(t, &e2eServer{URL: d.URL, User: user, Password: pw}, 1440, 900)
	// The demo countries' view, with the risk layer and the incidents.
	if err := do(ctx, navigate(d.URL+"/#/map?c=3,24&z=5&layers=risk,alerts"), chromedp.WaitVisible(css(`#map .leaflet-pane`))); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"risk", "alerts"} {
		if _, err := js[bool](ctx, `(() => { const b = document.getElementById('layer-`+id+`'); if (b && !b.checked) b.click(); return true; })()`); err != nil {
			t.Fatal(err)
		}
	}
	if err := poll(ctx, `document.querySelectorAll('.leaflet-overlay-pane path').length > 20 && document.querySelectorAll('#map .cluster').length > 0 && !document.querySelector('.map[data-loading]')`, stepWait); err != nil {
		st, _ := js[string](ctx, `document.querySelectorAll('.leaflet-overlay-pane path').length + ' paths, ' + document.querySelectorAll('#map .cluster').length + ' clusters, ' + document.querySelector('.sidebar').textContent.slice(0, 400)`)
		t.Fatalf("map not drawn: %v: %s", err, st)
	}
	// Place names: the legend's highest-risk cells in view, named after
	// their nearest place.
	named := `[...document.querySelectorAll('.risk-top')].find((b) => !b.textContent.startsWith('Cell '))`
	if _, err := js[bool](ctx, `(() => { document.querySelector('.risk-top-list').closest('details').open = true; return true; })()`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!(`+named+`)`, stepWait); err != nil {
		st, _ := js[string](ctx, `document.querySelector('.risk-top-list').textContent`)
		t.Fatalf("no highest-risk cell named after a place: %v: %s", err, st)
	}
	// The sidebar shows the risk legend from its top: the month, the classes
	// and the named cells.
	if _, err := js[bool](ctx, `(() => { const sb = document.querySelector('.sidebar'), lg = document.querySelector('.risk-legend');
	  sb.scrollTop += lg.getBoundingClientRect().top - sb.getBoundingClientRect().top - 8; sb.scrollLeft = 0; return true; })()`); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second) // let the last tiles of outline paint (a picture, not a check)
	png, err := run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d bytes)", out, len(png))
}
