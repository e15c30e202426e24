package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/web"
)

// TestE2EDemoScenarioFrench: the demo's coverage scenario (saved as serve
// --demo saves it) is listed under its French name on the French Coverage
// page, and under its English name on the English one.
func TestE2EDemoScenarioFrench(t *testing.T) {
	t.Parallel()
	chromiumPath(t) // skips without a browser (fails in CI)
	srv, db := startCoverageServer(t)
	ctx := context.Background()
	s := &web.Server{DB: db}
	s.Handler()
	if err := s.LoadPlaces(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveDemoScenario(ctx, "demo"); err != nil {
		t.Fatal(err)
	}
	bctx, _ := loggedInBrowser(t, srv, 1280, 900)
	for _, c := range []struct{ lang, want, not string }{
		{"fr", "DEMO\u00a0: une base opérationnelle temporaire près ", "temporary base"},
		{"en", "DEMO: a temporary base near ", "opérationnelle"},
	} {
		if err := openIn(bctx, srv.URL+"/#/coverage", c.lang); err != nil {
			t.Fatal(err)
		}
		cell := `(document.querySelector('.coverage-scenarios tbody td')?.textContent || '')`
		if err := poll(bctx, `document.documentElement.lang === '`+c.lang+`' && `+cell+`.startsWith(`+mustJSON(c.want)+`)`, stepWait); err != nil {
			got, _ := js[string](bctx, cell)
			t.Fatalf("%s: the saved scenario is named %q, want it to begin %q: %v", c.lang, got, c.want, err)
		}
		if got, _ := js[string](bctx, `document.querySelector('.coverage-scenarios').innerText`); strings.Contains(got, c.not) {
			t.Errorf("%s page: the scenarios say %q:\n%s", c.lang, c.not, got)
		}
	}
}
