package web_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestE2ECoverageRefusalsFrench: the Coverage page's refusals are said in
// the page's language. An analyst uploads a population layer with a gid
// that is not a number on line 3, asks the optimiser for 0 new sites, and
// imports a deployments CSV whose site ends before it starts (Administration
// → Import data); the French pages show the catalog's French, the
// population error still line-numbered ("bad.csv, ligne 3 :" then 'gid
// "abc" n'est pas un entier'), the optimiser's "mclp : indiquez p > 0
// nouveaux sites, …", the import's "fichier deploy.csv, ligne 2, colonne
// end : …"; the English pages the server's English as it always was.
func TestE2ECoverageRefusalsFrench(t *testing.T) {
	t.Parallel()
	srv, _ := startCoverageServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	dir := t.TempDir()
	bad, deploy := filepath.Join(dir, "bad.csv"), filepath.Join(dir, "deploy.csv")
	if err := os.WriteFile(bad, []byte("gid,population\n135758,10\nabc,12\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(deploy, []byte("id,mission,lat,lon,start,end\nkaga,MINUSCA,6.98,19.18,2017-03,2016-09\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	for _, c := range []struct {
		lang, upload    string // the page's language, its upload button's words
		line, why, plan string // the population error's line and message; the optimiser's refusal
		deploy          string // the deployments import's refusal
	}{
		{"en", "Upload population layer", "bad.csv, line 3:", `gid "abc" is not an integer`, "mclp: give p > 0 new sites, a budget > 0, or both",
			"deploy.csv:2: end: 2016-09 is before start 2017-03"},
		{"fr", "Téléverser la couche de population", "bad.csv, ligne 3\u00a0:", "gid «\u202fabc\u202f» n’est pas un entier", "mclp\u00a0: indiquez p > 0 nouveaux sites, un budget > 0, ou les deux",
			"fichier deploy.csv, ligne 2, colonne end\u00a0: 2016-09 est avant le début 2017-03"},
	} {
		if err := openIn(ctx, srv.URL+"/#/coverage", c.lang); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.documentElement.lang === `+q(c.lang)+` && document.getElementById('coverage-pop-upload')?.textContent === `+q(c.upload)+` && !!document.getElementById('coverage-plan-btn') && `+coverageDrawn, stepWait); err != nil {
			t.Fatalf("%s: coverage page: %v", c.lang, err)
		}
		// The population layer refused at its line.
		if err := do(ctx, chromedp.SetUploadFiles(css(`#coverage-pop-file`), []string{bad}), click(css(`#coverage-pop-upload`))); err != nil {
			t.Fatal(err)
		}
		want := c.line + " " + c.why
		if err := poll(ctx, `document.querySelector('#coverage-pop-error .coverage-pop-errline')?.textContent === `+q(c.line)+` && document.getElementById('coverage-pop-error').textContent === `+q(want), stepWait); err != nil {
			got, _ := text(ctx, `#coverage-pop-error`)
			t.Errorf("%s: population error %q, want %q", c.lang, got, want)
		}
		// The optimiser asked for no new site.
		if _, err := js[bool](ctx, `document.getElementById('coverage-p').value = '0', document.getElementById('coverage-plan-btn').click(), true`); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.querySelector('.coverage-plan p.error')?.textContent === `+q(c.plan), stepWait); err != nil {
			got, _ := text(ctx, `.coverage-plan`)
			t.Errorf("%s: planner shows %q, want %q", c.lang, got, c.plan)
		}
		// Administration → Import data: the deployments file refused at its line.
		if err := openIn(ctx, srv.URL+"/#/admin?tab=data", c.lang); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.documentElement.lang === `+q(c.lang)+` && !!document.querySelector('#admin-deploy-form')`, stepWait); err != nil {
			t.Fatalf("%s: import tab: %v", c.lang, err)
		}
		if _, err := js[bool](ctx, `document.getElementById('admin-deploy-format').value = 'csv', true`); err != nil {
			t.Fatal(err)
		}
		if err := do(ctx, chromedp.SetUploadFiles(css(`#admin-deploy-file`), []string{deploy}), click(css(`#admin-deploy-form button[type=submit]`))); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.getElementById('admin-deploy-error')?.textContent === `+q(c.deploy), stepWait); err != nil {
			got, _ := text(ctx, `#admin-deploy-form ~ *`)
			t.Errorf("%s: deployments import shows %q, want %q", c.lang, got, c.deploy)
		}
	}
}
