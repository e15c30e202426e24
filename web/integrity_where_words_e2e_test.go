package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/testutil"
)

// TestE2EIntegrityWherePlaceNames: the Where tab and its map layer name
// places, not PRIO-GRID cells. In French, a cell's sentences say
// « à Bunia (RD Congo) » (they said « à Bunia (cellule 132181, …) », three
// times in one paragraph); a cell whose items carry no place name is named
// by the gazetteer's place nearest its centre, as the risk layer is (it was
// « cellule N »); the table shows no cell number (its title has it).
func TestE2EIntegrityWherePlaceNames(t *testing.T) {
	t.Parallel()
	_, svc, srv := integrityE2EServer(t)
	if _, err := svc.SaveTerm(t.Context(), "test", integrity.Term{Term: "cafard", Language: "fr", Meaning: "cockroach: dehumanising", Group: "ethnic group", Severity: 3}); err != nil {
		t.Fatal(err)
	}
	day := time.Now().UTC().AddDate(0, 0, -1)
	var named []*integrity.Item
	for i := 0; i < 9; i++ {
		lat, lon := 1.5667, 30.25
		named = append(named, &integrity.Item{Source: "s", SourceID: fmt.Sprint("b", i), Via: integrity.ViaImport, Lang: "fr", Place: "Bunia", Lat: &lat, Lon: &lon,
			Text: "Ce cafard doit partir de Bunia avant dimanche, chassez-le", Time: day})
	}
	testutil.AddItems(t, svc, "test", named...)
	// Items with coordinates and no place name (as stored before the API
	// asked for one): added by the service itself.
	var unnamed []*integrity.Item
	for i := 0; i < 3; i++ {
		lat, lon := -1.6792, 29.2228
		unnamed = append(unnamed, &integrity.Item{Source: "s", SourceID: fmt.Sprint("u", i), Via: integrity.ViaImport, Lang: "fr", Lat: &lat, Lon: &lon,
			Text: "Ce cafard doit partir avant dimanche, chassez-le", Time: day})
	}
	if _, err := svc.Add(t.Context(), "test", "integrity.items.import", "", unnamed); err != nil {
		t.Fatal(err)
	}
	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	if err := poll(ctx, `Vigil.setLang('fr').then(() => true)`, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := do(ctx, navigate(srv.URL+"/#/integrity?tab=where")); err != nil {
		t.Fatal(err)
	}
	// The table: each row's header is a name and no cell number (that is in
	// its title only: a review of 2026-12-08 found « Mogadishu (132931) »).
	const rows = `[...document.querySelectorAll('#integrity-where tbody tr th')]`
	if err := poll(ctx, rows+`.length === 2 && `+rows+`.every((th) => /^(Bunia|près d|[A-Z])/.test(th.textContent) && !/cellule|\d/.test(th.textContent) && /\d+/.test(th.title))
	  && `+rows+`.some((th) => /^près d[e’] [^(]+ \([^)]+\)$/.test(th.textContent))`, stepWait); err != nil {
		got, _ := js[string](ctx, rows+`.map((th) => th.textContent).join(' | ') || document.querySelector('main')?.innerText || ''`)
		t.Fatalf("where table: %v\nrows: %.1500s", err, got)
	}
	// The map layer's popups: the sentences name the place and country only.
	if err := do(ctx, navigate(srv.URL+"/#/map?layers=integrity&types=&fit=integrity")); err != nil {
		t.Fatal(err)
	}
	const popups = `(() => { const out = []; Vigil.map.eachLayer((l) => { if (l.getPopup && l.getPopup() && /integrity-cell/.test(l.options.className || '')) { l.openPopup(); out.push(l.getPopup().getElement()?.querySelector('.integrity-popup')?.textContent || ''); l.closePopup(); } }); return out.sort().join('\n'); })()`
	if err := poll(ctx, `document.querySelectorAll('path.integrity-cell').length === 2`, stepWait); err != nil {
		t.Fatalf("map layer: %v", err)
	}
	got, err := js[string](ctx, popups)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "précédents.") || strings.Count(got, "\u00a0: ") < 2 {
		t.Errorf("French colons without U+00A0 before them:\n%q", got)
	}
	plain := strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(got)
	for _, want := range []string{
		"Les discours de haine visant ethnic group augmentent à Bunia (RD Congo) : 9 contenus ces 7 derniers jours contre 0 les 7 jours précédents.",
		"Les discours de haine visant ethnic group augmentent près d",
	} {
		if !strings.Contains(plain, want) {
			t.Errorf("popups lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "cellule") {
		t.Errorf("a popup names a cell number:\n%s", got)
	}
}
