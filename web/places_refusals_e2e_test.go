package web_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/web"
)

// TestE2EGazetteerRefusalFrench: an analyst on the French Administration
// page uploads a gazetteer with a longitude out of range; the refusal names
// the file, line and column and says why in French (it was the server's
// English).
func TestE2EGazetteerRefusalFrench(t *testing.T) {
	t.Parallel()
	db, _ := web.OpenTestStore(t)
	srv := serveE2E(t, &web.Server{DB: db}, "ana.e2e", auth.Analyst)
	bad := filepath.Join(t.TempDir(), "cod_places.csv")
	if err := os.WriteFile(bad, []byte("name,lat,lon\nMakofi,1.8,300\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, _ := loggedInBrowserAt(t, srv, 1280, 900, "/#/admin?tab=places", "fr")
	if err := do(ctx, chromedp.WaitVisible(css(`#admin-places-form`)), chromedp.SetUploadFiles(css(`#admin-places-file`), []string{bad}),
		click(css(`#admin-places-form button[type=submit]`))); err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal("Échec\u00a0: fichier cod_places.csv, ligne 2, colonne lon\u00a0: «\u202f300\u202f»\u00a0: longitude 300 hors de l’intervalle [-180, 180]")
	shown := `document.querySelector('#admin-places-form').parentElement.querySelector('.notice.error')?.textContent`
	if err := poll(ctx, shown+` === `+string(want), stepWait); err != nil {
		got, _ := js[string](ctx, shown+` || ''`)
		t.Fatalf("shown %q, want %s", got, want)
	}
}
