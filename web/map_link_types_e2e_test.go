package web_test

import (
	"context"
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
	t.Parallel()
	srv := startServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1366, 768)
	axe := axeCheck(t, ctx)
	const ticked = `['state-based', 'non-state', 'one-sided'].map((ty) => document.getElementById('type-' + ty)?.checked ? ty : '-').join(',')`
	for _, c := range []struct{ lang, noType string }{
		{"en", "No type of violence selected."},
		{"fr", "Aucun type de violence sélectionné."},
	} {
		t.Run(c.lang, func(t *testing.T) {
			// The choice made in the other language's run is kept for the
			// tab (a reload keeps it): this run starts from none.
			forgetMapFilters(t, ctx, srv)
			if err := openIn(ctx, srv.URL+"/#/map", c.lang); err != nil {
				t.Fatal(err)
			}
			if err := poll(ctx, `document.documentElement.lang === '`+c.lang+`' && document.querySelectorAll('#map .cluster').length > 0 && `+ticked+` === 'state-based,non-state,one-sided'`, stepWait); err != nil {
				got, _ := js[string](ctx, ticked)
				t.Fatalf("the map with every type: ticked %q: %v", got, err)
			}
			// The user's own choice: no non-state violence.
			if err := do(ctx, click(css(`#type-non-state`))); err != nil {
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
			if err := do(ctx, click(css(`#test-link`))); err != nil {
				t.Fatal(err)
			}
			if err := poll(ctx, ticked+` === '-,-,-' && document.getElementById('summary')?.textContent === `+mustJSON(c.noType)+` && !document.querySelector('#map .cluster')`, stepWait); err != nil {
				got, _ := js[string](ctx, ticked+` + ' | ' + document.getElementById('summary')?.textContent`)
				t.Fatalf("the link's view: %q: %v", got, err)
			}
			// Back through the menu: the user's choice, not the link's.
			if err := do(ctx, click(css(`#nav-map`))); err != nil {
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

// TestE2EMapLinkFilters: as TestE2EMapLinkTypes for the other parts of a
// link into the map (from=, to=, country=, month=, as a « See on the map »
// link from another page may carry): they set the view the link opens, and
// the map from the menu shows the filters the user chose there (here their
// own country, Somalia, and no dates), also after a reload of the tab. Before,
// the link's dates and country stayed in the map's filters for the rest of
// the visit. English and French, axe clean.
func TestE2EMapLinkFilters(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1366, 768)
	axe := axeCheck(t, ctx)
	const fields = `[document.getElementById('filter-from')?.value, document.getElementById('filter-to')?.value, document.getElementById('filter-country')?.value].join('|')`
	const page = `document.body.innerText.slice(0, 600) + ' | ' + location.hash + ' | ' + ` + fields
	for _, lang := range []string{"en", "fr"} {
		forgetMapFilters(t, ctx, srv)
		runSteps(t, ctx, page, []e2eStep{
			{lang + ": the map, no filter chosen", []chromedp.Action[chromedp.Void]{evalJS(`(localStorage.setItem('vigil.lang', '` + lang + `'), true)`), navigate(srv.URL + "/#/map"), chromedp.Reload()},
				`document.documentElement.lang === '` + lang + `' && ` + fields + ` === '||' && document.querySelectorAll('#map .cluster').length > 0`},
			// The user's own choice: Somalia's events.
			{lang + ": the user's own country", []chromedp.Action[chromedp.Void]{chromedp.SendKeys(css(`#filter-country`), "Somalia")},
				`location.hash.includes('country=Somalia') && document.querySelectorAll('#map .cluster').length > 0`},
			// A link from another page with dates, another country and a month.
			{lang + ": another page", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/admin")},
				`document.querySelector('main').dataset.page === 'admin'`},
			{lang + ": the link's view", []chromedp.Action[chromedp.Void]{
				evalJS(`(document.querySelector('main').append(Object.assign(document.createElement('a'), {id: 'test-link', href: '#/map?from=2012-01-01&to=2012-12-31&country=Mali&month=2012-06&c=16.5,-1.5&z=5', textContent: 'map'})), true)`),
				click(css(`#test-link`))},
				fields + ` === '2012-01-01|2012-12-31|Mali' && document.querySelectorAll('#map .cluster').length > 0`},
			// Back through the menu: the user's filters, not the link's.
			{lang + ": the map from the menu", []chromedp.Action[chromedp.Void]{click(css(`#nav-map`))},
				fields + ` === '||Somalia' && !/from=|to=|Mali|month=2012/.test(location.hash) && document.querySelectorAll('#map .cluster').length > 0 && document.getElementById('summary').textContent !== ''`},
			// The tab reloaded (the address without filters): still the user's.
			{lang + ": reloaded, then the menu's map", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/admin"), chromedp.Reload(), chromedp.WaitVisible(css(`#nav-map`)), click(css(`#nav-map`))},
				fields + ` === '||Somalia' && document.querySelectorAll('#map .cluster').length > 0`},
		})
		axe("map from the menu after a link " + lang)
		if p := languageProblems(ctx, lang); len(p) > 0 {
			t.Errorf("%s: map after a link: %v", lang, p)
		}
	}
}

// forgetMapFilters starts the map's filters afresh, as in a new tab: the
// filters the user chose on the map are kept for the tab (sessionStorage,
// and the page's memory until it is reloaded), so the test leaves the map
// (a typed field is kept as it loses focus), forgets them and reloads.
func forgetMapFilters(t *testing.T, ctx context.Context, srv *e2eServer) {
	t.Helper()
	runSteps(t, ctx, `location.hash`, []e2eStep{
		{"another page", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/admin")}, `document.querySelector('main')?.dataset.page === 'admin'`},
		{"the map's filters forgotten", []chromedp.Action[chromedp.Void]{evalJS(`(sessionStorage.clear(), true)`), chromedp.Reload()},
			`document.querySelector('main')?.dataset.page === 'admin' && !sessionStorage.getItem('vigil.mapOwn')`},
	})
}
