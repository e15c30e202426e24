package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/coverage"
)

// TestE2EAdminDeployColumns: Administration → Import data offered a
// deployments « CSV » without saying its columns, and named the terminal
// command `vigil deploy import` instead; the women's share of personnel
// (Performance) stays « no data » until a file gives personnel by sex.
// The card now gives the CSV's header line to copy and what each column
// takes, in English and French. The test copies that header, fills one
// site under it and imports it from the page: the site is stored with
// its women and men.
func TestE2EAdminDeployColumns(t *testing.T) {
	t.Parallel()
	srv, db := startCoverageServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1366, 768)
	axe := axeCheck(t, ctx)
	cases := []struct{ lang, help string }{
		{"en", "The file's first line, its column headers (copy it as is):"},
		{"fr", "Première ligne du fichier, ses en-têtes de colonnes, en anglais tels quels (à copier)\u00a0:"},
	}
	for _, c := range cases {
		if err := openIn(ctx, srv.URL+"/#/admin?tab=data", c.lang); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.documentElement.lang === '`+c.lang+`' && document.querySelector('#admin-deploy-help p')?.textContent === `+jsString(c.help), stepWait); err != nil {
			got, _ := js[string](ctx, `document.getElementById('admin-deploy-help')?.textContent || '(no columns)'`)
			t.Fatalf("%s: deployments card %q: %v", c.lang, got, err)
		}
		if card, _ := js[string](ctx, `document.getElementById('admin-deploy-form').closest('section, .card').textContent`); strings.Contains(card, "vigil ") {
			t.Errorf("%s: the card names a terminal command: %q", c.lang, card)
		}
		axe("import data, " + c.lang)
	}
	header, err := js[string](ctx, `document.getElementById('admin-deploy-columns').textContent`)
	if err != nil {
		t.Fatal(err)
	}
	value := map[string]string{"id": "walk-1", "mission": "MINUSCA", "kind": "cob", "lat": "4.36", "lon": "18.55", "start": "2018-01", "end": "2018-12",
		"military": "120", "police": "10", "civilian": "5", "women": "18", "men": "117", "units": "infantry;medical", "mobility": "vehicle",
		"cost": "", "location": "Walk base", "country": "Central African Republic"}
	var row []string
	for _, col := range strings.Split(header, ",") {
		v, ok := value[col]
		if !ok {
			t.Fatalf("header %q names %q, which this test does not fill", header, col)
		}
		row = append(row, v)
	}
	file := filepath.Join(t.TempDir(), "sites.csv")
	if err := os.WriteFile(file, []byte(header+"\n"+strings.Join(row, ",")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := js[bool](ctx, `document.getElementById('admin-deploy-format').value = 'csv', true`); err != nil {
		t.Fatal(err)
	}
	if err := do(ctx, chromedp.SetUploadFiles(css(`#admin-deploy-file`), []string{file}), click(css(`#admin-deploy-form button[type=submit]`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `(document.getElementById('admin-deploy-form').nextElementSibling?.textContent || '').includes('sites.csv')`, stepWait); err != nil {
		got, _ := text(ctx, `#admin-deploy-form ~ *`)
		t.Fatalf("import: %q: %v", got, err)
	}
	deps, err := db.Deployments(context.Background(), coverage.DeploymentFilter{Mission: "MINUSCA"})
	if err != nil {
		t.Fatal(err)
	}
	var got *coverage.Deployment
	for i := range deps {
		if deps[i].SourceID == "walk-1" {
			got = &deps[i]
		}
	}
	if got == nil || got.Women != 18 || got.Men != 117 || got.Military != 120 || got.Mobility != "vehicle" || len(got.Units) != 2 {
		msg, _ := text(ctx, `#admin-deploy-form ~ *`)
		t.Errorf("stored site %+v, want women 18, men 117, military 120, vehicle, 2 units (page: %q)", got, msg)
	}
}
