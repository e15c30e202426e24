package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestE2EMapCellNames: the coverage layer's cell tooltips named cells by
// their PRIO-GRID number (« Cellule 132931 : non couverte… ») where the
// risk layer names the place (« près d’Afgooye, Bas-Shabelle (Somalie)
// : 84,7 % »). At 1366×768, in French and English, on the main map and
// the planner's: hovering the cells, a covered cell and a gap cell show
// their place first (« près d… », a cell with no place within 100 km its
// country), then « : » (a no-break space before it in French), no cell
// number.
func TestE2EMapCellNames(t *testing.T) {
	t.Parallel()
	srv, _ := startCoverageServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1366, 768)
	type tip struct{ Kind, Text string }
	for _, c := range []struct{ lang, page, pane, near, colon string }{
		{"fr", "/#/map?layers=coverage&to=2018-12-28&month=2018-12", "#map", "près d", "\u00a0: "},
		{"en", "/#/map?layers=coverage&to=2018-12-28&month=2018-12", "#map", "near ", ": "},
		{"fr", "/#/coverage", "#coverage-map", "près d", "\u00a0: "},
	} {
		// The case's page is loaded as a new document, not as openIn opens
		// it (the route's fragment set, then a reload): the map left behind
		// rewrites its own address (writeLink, when the service worker
		// installed at the test's start takes control and the map reloads
		// its data, or when its first view settles), and landing between
		// the two it made the reload open its own view, with no layer (a
		// full run: « no cells drawn », no coverage request at all).
		if _, err := js[bool](ctx, `localStorage.setItem('vigil.lang', '`+c.lang+`'), true`); err != nil {
			t.Fatal(err)
		}
		if err := do(ctx, chromedp.Navigate("about:blank"), chromedp.Navigate(srv.URL+c.page)); err != nil {
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
		// The cells are hovered one of each fill colour in turn (covered
		// cells have their own, gaps theirs by risk), so that both kinds come
		// within the first few: in the pane's order the first 400 of the
		// main map's 3,089 cells were gaps, and at ~20 ms a hover under load
		// ~20 the loop ran past its 90 s. The newest tooltip is the last of
		// its pane (a closed one leaves 200 ms after its fade, not within
		// this loop, so all those opened are still there).
		if _, err := js[bool](ctx, `(() => { const box = document.querySelector('`+c.pane+`'); window.__cellTips = null;
			const found = {}, named = {}, pane = box.querySelector('.leaflet-tooltip-pane');
			const byFill = new Map(), order = [];
			for (const p of box.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive')) {
				const k = p.getAttribute('fill') + ' ' + p.getAttribute('stroke');
				(byFill.get(k) || byFill.set(k, []).get(k)).push(p);
			}
			for (let i = 0, left = true; left; i++) {
				left = false;
				for (const g of byFill.values()) if (i < g.length) { order.push(g[i]); left = true; }
			}
			for (const p of order) {
				p.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
				const text = pane?.lastElementChild?.textContent || '';
				p.dispatchEvent(new MouseEvent('mouseout', { bubbles: true }));
				const kind = /couverte par|covered by/.test(text) ? 'covered' : /non couverte|not covered/.test(text) ? 'gap' : '';
				if (kind && !found[kind]) found[kind] = { Kind: kind, Text: text };
				if (kind && text.startsWith('`+c.near+`') && !named[kind]) named[kind] = { Kind: kind, Text: text };
				if (named.covered && named.gap) break;
			}
			const covered = named.covered || found.covered, gap = named.gap || found.gap;
			if (covered && gap) { window.__cellTips = [covered, gap]; return true; }
			return false; })()`); err != nil {
			t.Fatalf("%s %s: hovering the cells: %v", c.lang, c.page, err)
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
