package web_test

import (
	"strings"
	"testing"
)

// TestE2EMapCellNames: the coverage layer's cell tooltips named cells by
// their PRIO-GRID number (« Cellule 132931 : non couverte… ») where the
// risk layer names the place (« près d’Afgooye, Lower Shebelle (Somalie)
// : 84,7 % »). At 1366×768, in French and English, on the main map and
// the planner's: hovering the cells, a covered cell and a gap cell show
// their place first (« près d… », a cell with no place within 100 km its
// country), then « : » (a no-break space before it in French), no cell
// number.
func TestE2EMapCellNames(t *testing.T) {
	srv, _ := startCoverageServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1366, 768)
	type tip struct{ Kind, Text string }
	for _, c := range []struct{ lang, page, pane, near, colon string }{
		{"fr", "/#/map?layers=coverage&to=2018-12-28&month=2018-12", "#map", "près d", "\u00a0: "},
		{"en", "/#/map?layers=coverage&to=2018-12-28&month=2018-12", "#map", "near ", ": "},
		{"fr", "/#/coverage", "#coverage-map", "près d", "\u00a0: "},
	} {
		if err := openIn(ctx, srv.URL+c.page, c.lang); err != nil {
			t.Fatal(err)
		}
		// Once the cells are drawn, each hovered until a covered one and a gap
		// named by their place are found (else the first of each).
		if err := poll(ctx, `document.documentElement.lang === '`+c.lang+`' && document.querySelectorAll('`+c.pane+` .leaflet-overlay-pane path.leaflet-interactive').length > 50`, stepWait); err != nil {
			// What the page says of it: the layers' status (an error shown
			// there), the shapes drawn, the month asked, the banner, the language.
			why, _ := js[string](ctx, `JSON.stringify({ status: [...document.querySelectorAll('.layer-status')].map((s) => s.textContent).filter(Boolean),
				paths: document.querySelectorAll('`+c.pane+` path').length, month: (window.Vigil && Vigil.filters || {}).month,
				banner: (document.getElementById('banner') || {}).textContent, page: document.getElementById('main')?.dataset.page, lang: document.documentElement.lang })`)
			t.Fatalf("%s %s: no cells drawn (%s): %v", c.lang, c.page, why, err)
		}
		if _, err := js[bool](ctx, `(() => { const box = document.querySelector('`+c.pane+`'); window.__cellTips = null;
			const found = {}, named = {};
			for (const p of box.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive')) {
				p.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
				const tips = [...box.querySelectorAll('.leaflet-tooltip')];
				const text = tips.length ? tips[tips.length - 1].textContent : '';
				p.dispatchEvent(new MouseEvent('mouseout', { bubbles: true }));
				const kind = /couverte par|covered by/.test(text) ? 'covered' : /non couverte|not covered/.test(text) ? 'gap' : '';
				if (kind && !found[kind]) found[kind] = { Kind: kind, Text: text };
				if (kind && text.startsWith('`+c.near+`') && !named[kind]) named[kind] = { Kind: kind, Text: text };
				if (named.covered && named.gap) break;
			}
			const covered = named.covered || found.covered, gap = named.gap || found.gap;
			if (covered && gap) { window.__cellTips = [covered, gap]; return true; }
			return false; })()`); err != nil {
			t.Fatal(err)
		}
		got, err := js[[]tip](ctx, `window.__cellTips`)
		if err != nil || len(got) != 2 {
			t.Fatalf("%s %s: no covered and gap cell tooltips: %v (%v)", c.lang, c.page, got, err)
		}
		for _, g := range got {
			head, _, ok := strings.Cut(g.Text, c.colon)
			if !ok || !strings.HasPrefix(head, c.near) || strings.ContainsAny(head, "0123456789") {
				t.Errorf("%s %s: %s cell's tooltip %q, want its place first (%q…) then %q, no cell number", c.lang, c.page, g.Kind, g.Text, c.near, c.colon)
			}
		}
	}
}
