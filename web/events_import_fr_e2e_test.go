package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/internal/shareddata"
)

// TestE2EEventsImportRefusalFrench: on the French Administration → Import
// data tab, an analyst imports a broken copy of the real UCDP GED 23.1
// file of the Central African Republic (one latitude out of range) and a
// real HXL file without coordinates. Each refusal is said in French with
// its file, line and column ("fichier car-bad.csv, ligne 514, colonne
// latitude : 95.5 hors de -90..90"), not the server's English, and
// nothing is written. On the forecast scoring tab beside it, a VIEWS
// forecast with a bad draw is refused in French at its line and column,
// and a good one is scored (« CRPS moyen »), the tab axe-core clean.
func TestE2EEventsImportRefusalFrench(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	// The 500th row's latitude out of range (the row starts on line 514).
	data, _ := shareddata.Broken(t, "ucdp/ged231_car_1989_2018.csv", 500, "latitude", "95.5")
	bad := filepath.Join(t.TempDir(), "car-bad.csv")
	if err := os.WriteFile(bad, data, 0o600); err != nil {
		t.Fatal(err)
	}
	hxl := shareddata.Path(t, "hxl/input-valid.csv")

	srv := startServer(t)
	ctx, _ := loggedInBrowserAt(t, srv, 1280, 900, "/#/admin?tab=data", "fr")
	before := storeCount(t, srv.Store, []float64{-180, -90, 180, 90}, nil)
	if err := pollAcrossReloads(ctx, `document.documentElement.lang === 'fr' && !!document.querySelector('#admin-events-form')`, stepWait); err != nil {
		t.Fatalf("the import tab in French: %v", err)
	}
	for _, c := range []struct{ path, want string }{
		{bad, "Non importé ; rien n’a été écrit. fichier car-bad.csv, ligne 514, colonne latitude : 95.5 hors de -90..90"},
		{hxl, "Non importé ; rien n’a été écrit. fichier input-valid.csv : pas de colonnes #geo+lat et #geo+lon (ni #geo+coord) : un fichier d’événements HXL a besoin de coordonnées"},
	} {
		if err := do(ctx, chromedp.SetUploadFiles(css(`#admin-events-file`), []string{c.path}), click(css(`#admin-events-form button[type=submit]`))); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `!!document.querySelector('#admin-events-error') && document.querySelector('#admin-events-error').textContent.includes(`+jsString(filepath.Base(c.path))+`)`, stepWait); err != nil {
			t.Fatalf("%s: no refusal shown: %v", c.path, err)
		}
		msg, err := text(ctx, `#admin-body [role=alert]`)
		if err != nil {
			t.Fatal(err)
		}
		if msg = strings.Join(strings.Fields(msg), " "); msg != c.want {
			t.Errorf("%s: the page says %q, want %q", filepath.Base(c.path), msg, c.want)
		}
	}
	if n := storeCount(t, srv.Store, []float64{-180, -90, 180, 90}, nil); n != before {
		t.Fatalf("refused files changed the store: %d events, was %d", n, before)
	}
	// Forecast scoring: a bad draw refused in French, then the scores.
	dir := t.TempDir()
	files := map[string]string{
		"bad.csv": "month_id,country_id,draw,outcome\n469,1,0,0\n469,1,x,2\n",
		"fc.csv":  "month_id,country_id,draw,outcome\n469,1,0,0\n469,1,1,2\n469,2,0,5\n469,2,1,7\n",
		"act.csv": "month_id,country_id,ged_sb\n469,1,1\n469,2,6\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	score := func(fc string) error {
		return do(ctx, chromedp.SetUploadFiles(css(`#admin-scoring-forecast`), []string{filepath.Join(dir, fc)}),
			chromedp.SetUploadFiles(css(`#admin-scoring-actuals`), []string{filepath.Join(dir, "act.csv")}),
			click(css(`#admin-scoring-form button[type=submit]`)))
	}
	if err := do(ctx, navigate(srv.URL+"/#/admin?tab=scoring"), chromedp.WaitVisible(css(`#admin-scoring-form`))); err != nil {
		t.Fatalf("the scoring tab: %v", err)
	}
	if err := score("bad.csv"); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('#admin-scoring-error')`, stepWait); err != nil {
		t.Fatalf("bad forecast: no refusal shown: %v", err)
	}
	if msg, _ := text(ctx, `#admin-body [role=alert]`); strings.Join(strings.Fields(msg), " ") != "Non évaluée : fichier bad.csv, ligne 3, colonne draw : « x » n’est pas un nombre entier" {
		t.Errorf("bad forecast: the page says %q", msg)
	}
	if err := score("fc.csv"); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('#admin-scoring-crps')`, stepWait); err != nil {
		t.Fatalf("no scores shown: %v", err)
	}
	if msg, _ := text(ctx, `#admin-scoring-scores`); !strings.Contains(msg, "CRPS moyen") || !strings.Contains(msg, "Pays-mois") {
		t.Errorf("scores: %q", msg)
	}
	axeCheck(t, ctx)("admin scoring tab fr")
}
