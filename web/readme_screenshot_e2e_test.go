package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/sqlite"
	"github.com/vigil-project/vigil/surveys"
	"github.com/vigil-project/vigil/web"
)

// TestReadmeScreenshot takes the README's picture from the demo, as
// `serve --demo` sets it up (real events and deployments, demo alerts and
// survey, forecasts computed): the map at 1440×900 with the risk layer and
// the demo's incidents. It runs only when VIGIL_README_SCREENSHOT names the
// PNG to write (docs/screenshot.png): it computes the demo forecasts (a few
// minutes on two cores).
//
//	VIGIL_README_SCREENSHOT=$PWD/docs/screenshot.png go test ./web -run TestReadmeScreenshot -timeout 30m
func TestReadmeScreenshot(t *testing.T) {
	out := os.Getenv("VIGIL_README_SCREENSHOT")
	if out == "" {
		t.Skip("set VIGIL_README_SCREENSHOT=FILE.png to take the README screenshot")
	}
	chromiumPath(t)
	ctx0 := context.Background()
	dir := t.TempDir()
	db, err := sqlite.Open(ctx0, dir, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	keys, err := crypt.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	const user, pw = "demo", "correct horse battery"
	s := &web.Server{DB: db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Surveys: &surveys.Service{Store: db, Keys: keys, Auditor: db}, Alerts: alerts.NewService(db, keys), PlaceArea: demo.DemoArea}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	if _, err := s.Auth.CreateUser(ctx0, "test", user, auth.Analyst, pw); err != nil {
		t.Fatal(err)
	}
	opt := demo.Options{Keys: keys, User: user}
	deps := func(ctx context.Context, db *storage.DB) error { saveDemoDeployments(t, db); return nil }
	if err := demo.Setup(ctx0, db, opt, deps); err != nil {
		t.Fatal(err)
	}
	if err := demo.Forecasts(ctx0, db, opt); err != nil {
		t.Fatal(err)
	}
	if err := s.LoadPlaces(ctx0); err != nil {
		t.Fatal(err)
	}
	ctx, _ := newBrowser(t, 1440, 900)
	if err := login(ctx, &e2eServer{URL: ts.URL, User: user, Password: pw}); err != nil {
		t.Fatal(err)
	}
	// The demo countries' view, with the risk layer and the incidents.
	if err := do(ctx, chromedp.Navigate(ts.URL+"/#/map?c=3,24&z=5&layers=risk,alerts"), chromedp.WaitVisible(css(`#map .leaflet-pane`))); err != nil {
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
