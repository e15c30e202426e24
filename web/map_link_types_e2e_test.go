package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestE2EMapLinkTypes: a link's event types (types= in the address; the
// Integrity Where tab's "See on the map" unticks them all) set the view that
// link opens, not the map's for the rest of the visit. The user unticks one
// type, follows a link that unticks all, and comes back through the menu:
// the map shows the events as the user last chose them (two types ticked,
// clusters drawn), not as the link left them (nothing ticked, "No type of
// violence selected" until ticked back). English and French, axe clean.
func TestE2EMapLinkTypes(t *testing.T) {
	srv := startServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1366, 768)
	axe := axeCheck(t, ctx)
	const ticked = `['state-based', 'non-state', 'one-sided'].map((ty) => document.getElementById('type-' + ty)?.checked ? ty : '-').join(',')`
	for _, c := range []struct{ lang, noType string }{
		{"en", "No type of violence selected."},
		{"fr", "Aucun type de violence sélectionné."},
	} {
		t.Run(c.lang, func(t *testing.T) {
			if err := openIn(ctx, srv.URL+"/#/map", c.lang); err != nil {
				t.Fatal(err)
			}
			if err := poll(ctx, `document.documentElement.lang === '`+c.lang+`' && document.querySelectorAll('#map .cluster').length > 0 && `+ticked+` === 'state-based,non-state,one-sided'`, stepWait); err != nil {
				got, _ := js[string](ctx, ticked)
				t.Fatalf("the map with every type: ticked %q: %v", got, err)
			}
			// The user's own choice: no non-state violence.
			if err := do(ctx, chromedp.Click(css(`#type-non-state`))); err != nil {
				t.Fatal(err)
			}
			if err := poll(ctx, `location.hash.includes('types=state-based,one-sided')`, stepWait); err != nil {
				h, _ := js[string](ctx, `location.hash`)
				t.Fatalf("unticking non-state: %v (%s)", err, h)
			}
			// A link from another page that shows no event type (as the Where tab's).
			if err := do(ctx, navigate(srv.URL+"/#/admin")); err != nil {
				t.Fatal(err)
			}
			if err := poll(ctx, `document.querySelector('main').dataset.page === 'admin'`, stepWait); err != nil {
				t.Fatal(err)
			}
			if _, err := js[bool](ctx, `(document.querySelector('main').append(Object.assign(document.createElement('a'), {id: 'test-link', href: '#/map?types=&c=1.5,30.2&z=7', textContent: 'map'})), true)`); err != nil {
				t.Fatal(err)
			}
			if err := do(ctx, chromedp.Click(css(`#test-link`))); err != nil {
				t.Fatal(err)
			}
			if err := poll(ctx, ticked+` === '-,-,-' && document.getElementById('summary')?.textContent === `+mustJSON(c.noType)+` && !document.querySelector('#map .cluster')`, stepWait); err != nil {
				got, _ := js[string](ctx, ticked+` + ' | ' + document.getElementById('summary')?.textContent`)
				t.Fatalf("the link's view: %q: %v", got, err)
			}
			// Back through the menu: the user's choice, not the link's.
			if err := do(ctx, chromedp.Click(css(`#nav-map`))); err != nil {
				t.Fatal(err)
			}
			if err := poll(ctx, ticked+` === 'state-based,-,one-sided' && document.querySelectorAll('#map .cluster').length > 0 && document.getElementById('summary')?.textContent !== `+mustJSON(c.noType)+` && document.getElementById('summary')?.textContent !== ''`, stepWait); err != nil {
				got, _ := js[string](ctx, ticked+` + ' | ' + document.getElementById('summary')?.textContent + ' | ' + document.querySelectorAll('#map .cluster').length + ' clusters'`)
				t.Fatalf("the map from the menu after the link: %q, want state-based,-,one-sided with clusters: %v", got, err)
			}
			axe("map after a link " + c.lang)
			if p := languageProblems(ctx, c.lang); len(p) > 0 {
				t.Errorf("map after a link: %v", p)
			}
		})
	}
}
