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
// nothing is written.
func TestE2EEventsImportRefusalFrench(t *testing.T) {
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
		if err := do(ctx, chromedp.SetUploadFiles(css(`#admin-events-file`), []string{c.path}), chromedp.Click(css(`#admin-events-form button[type=submit]`))); err != nil {
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
}
