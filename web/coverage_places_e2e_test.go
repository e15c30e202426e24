package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestE2ECoveragePlaces: the Coverage page named its gaps and the
// optimiser's sites by PRIO-GRID cell numbers (132931, cell-137203) where
// a planner expects places, its gap table wrapped its numbers at 1366 px,
// and the optimiser's note said « Écart d’optimalité 0 % » beside a gain
// it seemed to contradict. At 1366×768, in English and French: each gap
// row starts with its place (the cell kept in data-cell and the title),
// no number wraps, the proposed sites are listed by place, and the note
// says in plain words whether the placement is the best possible, the
// technical term in its title, as the saved plan's summary does. Axe on
// the page.
func TestE2ECoveragePlaces(t *testing.T) {
	t.Parallel()
	srv, _ := startCoverageServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1366, 768)
	axe := axeCheck(t, ctx)
	type row struct{ Cell, First, Title string }
	for _, c := range []struct{ lang, near, words, term string }{
		{"en", "near ", "placement", "Optimality gap"},
		{"fr", "près d", "disposition", "Écart d’optimalité"},
	} {
		if err := openIn(ctx, srv.URL+"/#/coverage", c.lang); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.documentElement.lang === '`+c.lang+`' && `+coverageDrawn+` && !!document.getElementById('coverage-plan-btn')`, stepWait); err != nil {
			t.Fatalf("%s: coverage page: %v", c.lang, err)
		}
		rows, err := js[[]row](ctx, `[...document.querySelectorAll('.coverage-gaps tbody tr')].map((r) => ({Cell: r.dataset.cell || '', First: r.cells[0].textContent, Title: r.cells[0].title}))`)
		if err != nil || len(rows) == 0 {
			t.Fatalf("%s: gap rows %v: %v", c.lang, rows, err)
		}
		for _, r := range rows {
			// Its place, near it (« près d… ») or the place itself when a
			// site is within 3 km (Minembwe, a Geo-PKO site of DR Congo).
			if !regexp.MustCompile(`^\d+$`).MatchString(r.Cell) || !regexp.MustCompile(`^\p{L}[^0-9]* \(.+\)$`).MatchString(r.First) || !strings.Contains(r.Title, r.Cell) {
				t.Errorf("%s: gap row %+v, want its place first (%q… or the place), its cell in data-cell and the title", c.lang, r, c.near)
			}
		}
		// Numbers stay on one line at 1366 px.
		wrapped, err := js[[]string](ctx, `[...document.querySelectorAll('.coverage-gaps td.coverage-num')].filter((td) => { const r = document.createRange(); r.selectNodeContents(td); return r.getClientRects().length > 1; }).map((td) => td.textContent)`)
		if n, _ := js[int](ctx, `document.querySelectorAll('.coverage-gaps td.coverage-num').length`); err != nil || n == 0 || len(wrapped) > 0 {
			t.Errorf("%s: %d numbers in the gap table, wrapped: %q (%v)", c.lang, n, wrapped, err)
		}
		axe("coverage gaps by place, " + c.lang)

		// The optimiser's sites by place, its note in plain words.
		if err := do(ctx, click(css(`#coverage-plan-btn`))); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `!!document.querySelector('.coverage-plan .coverage-plan-note')`, 60*time.Second); err != nil {
			txt, _ := text(ctx, `.coverage-plan`)
			t.Fatalf("%s: plan result never shown: %v (%q)", c.lang, err, txt)
		}
		sites, _ := js[[]string](ctx, `[...document.querySelectorAll('.coverage-plan .coverage-plan-sites li')].map((li) => li.textContent)`)
		if len(sites) == 0 {
			t.Errorf("%s: no proposed site listed", c.lang)
		}
		for _, s := range sites {
			if !strings.Contains(s, c.near) || strings.Contains(s, "cell-") {
				t.Errorf("%s: proposed site %q, want its place (%q…)", c.lang, s, c.near)
			}
		}
		note, _ := text(ctx, `.coverage-plan .coverage-plan-note`)
		title, _ := js[string](ctx, `document.querySelector('.coverage-plan .coverage-plan-note').title`)
		if !strings.Contains(note, c.words) || strings.Contains(note, c.term) || !strings.HasPrefix(title, c.term) {
			t.Errorf("%s: plan note %q (title %q), want plain words (%q) and %q in the title only", c.lang, note, title, c.words, c.term)
		}
		// Saved, the plan is summed up in the same plain words.
		if err := do(ctx, click(css(`#coverage-save-plan`))); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `[...document.querySelectorAll('.coverage-scenarios tbody tr')].some((r) => r.cells[3].textContent.includes('`+c.words+`'))`, stepWait); err != nil {
			got, _ := text(ctx, `.coverage-scenarios`)
			t.Errorf("%s: saved plan's summary never in plain words (%q): %q", c.lang, c.words, got)
		}
		axe("coverage plan by place, " + c.lang)
		if dir := os.Getenv("VIGIL_COVERAGE_PLACES_SCREENSHOTS"); dir != "" {
			for _, part := range []string{"gaps", "plan"} {
				_, _ = js[bool](ctx, `document.querySelector('.coverage-`+part+`').scrollIntoView(), true`)
				png, err := run(ctx, chromedp.CaptureScreenshot())
				if err == nil {
					err = os.WriteFile(filepath.Join(dir, "coverage-"+part+"-"+c.lang+".png"), png, 0o644)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}
