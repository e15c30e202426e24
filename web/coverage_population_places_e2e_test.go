package web_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestE2ECoveragePopulationPlaces: the population layer's card said its
// file takes PRIO-GRID cell ids only (gid), which a planner rarely has. It
// now takes a position (lat and lon), a P-code or a place name the
// gazetteer knows, and its card says so, in English and French. A town
// the gazetteer does not know is refused at its line in the page's
// language, nothing loaded; towns named and a position load, their people
// counted in their cells. Axe on the card in both languages.
func TestE2ECoveragePopulationPlaces(t *testing.T) {
	t.Parallel()
	srv, _ := startCoverageServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	axe := axeCheck(t, ctx)
	dir := t.TempDir()
	bad, good := filepath.Join(dir, "towns-bad.csv"), filepath.Join(dir, "towns.csv")
	if err := os.WriteFile(bad, []byte("place,population\nBangui,800000\nNowhere Vigil Test,5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, []byte("place,lat,lon,population\nBangui,,,800000\n,6.54,21.99,40000\nBambari,,,50000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	for _, c := range []struct {
		lang, upload, format, line, why, none string
	}{
		{"en", "Upload population layer", "by one of: gid (the PRIO-GRID cell), lat and lon (a position), pcode (a P-code of the gazetteer) or place (a place name of the gazetteer",
			"towns-bad.csv, line 3:", `place "Nowhere Vigil Test" is not in the gazetteer: give its lat and lon or its P-code, or add it to the gazetteer (Administration → Place names)`,
			"No population layer"},
		{"fr", "Téléverser la couche de population", "par l’une de\u00a0: gid (la cellule PRIO-GRID), lat et lon (une position), pcode (un P-code du répertoire géographique) ou place (un nom de lieu du répertoire",
			"towns-bad.csv, ligne 3\u00a0:", "le lieu «\u202fNowhere Vigil Test\u202f» n’est pas dans le répertoire géographique\u00a0: indiquez sa lat et sa lon ou son P-code, ou ajoutez-le au répertoire (Administration → Noms de lieux)",
			"Aucune couche de population"},
	} {
		if err := openIn(ctx, srv.URL+"/#/coverage", c.lang); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.documentElement.lang === `+q(c.lang)+` && document.getElementById('coverage-pop-upload')?.textContent === `+q(c.upload)+` && `+coverageDrawn, stepWait); err != nil {
			t.Fatalf("%s: coverage page: %v", c.lang, err)
		}
		if card, _ := text(ctx, `#coverage-pop .coverage-pop-form .muted`); !strings.Contains(card, c.format) {
			t.Errorf("%s: population card %q, want the accepted columns %q", c.lang, card, c.format)
		}
		axe("population card, " + c.lang)
		// An unknown town: refused at its line, nothing loaded.
		if err := do(ctx, chromedp.SetUploadFiles(css(`#coverage-pop-file`), []string{bad}), click(css(`#coverage-pop-upload`))); err != nil {
			t.Fatal(err)
		}
		want := c.line + " " + c.why
		if err := poll(ctx, `document.getElementById('coverage-pop-error').textContent === `+q(want)+` && document.getElementById('coverage-pop-summary').textContent.startsWith(`+q(c.none)+`)`, stepWait); err != nil {
			got, _ := text(ctx, `#coverage-pop-error`)
			sum, _ := text(ctx, `#coverage-pop-summary`)
			t.Errorf("%s: population error %q (summary %q), want %q", c.lang, got, sum, want)
		}
	}
	// Towns named and a position load (the page in French).
	if err := do(ctx, chromedp.SetUploadFiles(css(`#coverage-pop-file`), []string{good}), click(css(`#coverage-pop-upload`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.getElementById('coverage-pop-summary').textContent.replace(/\s/g, ' ').startsWith(`+q("towns.csv : 890 000 habitants dans 3 cellules")+`) && document.getElementById('coverage-pop-error').textContent === ''`, stepWait); err != nil {
		sum, _ := text(ctx, `#coverage-pop-summary`)
		e, _ := text(ctx, `#coverage-pop-error`)
		t.Errorf("layer by names and a position: summary %q, error %q", sum, e)
	}
}
