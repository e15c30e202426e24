package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/web"
	"github.com/vigil-project/vigil/web/ui"
)

// TestE2EMapMonthLabel: the map's month (the grid layer's slider) says no
// month until the latest month with data is known, then that month; it never
// says this month (today's, which the demo data does not reach), as it did
// until the grid had loaded. A MutationObserver, set on another page before
// the map is opened from a link with the grid layer on, records every month
// the label showed. English and French, axe clean.
func TestE2EMapMonthLabel(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1366, 768)
	axe := axeCheck(t, ctx)
	for _, lang := range []string{"en", "fr"} {
		today := `new Intl.DateTimeFormat('` + map[string]string{"en": "en-GB", "fr": "fr-FR"}[lang] + `', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date())`
		runSteps(t, ctx, `document.body.innerText.slice(0, 800) + ' | ' + [...(window.monthsSeen || [])].join(', ')`, []e2eStep{
			{lang + ": another page", []chromedp.Action[chromedp.Void]{evalJS(`(localStorage.setItem('vigil.lang', '` + lang + `'), true)`), navigate(srv.URL + "/#/admin"), chromedp.Reload()},
				`document.documentElement.lang === '` + lang + `' && document.querySelector('main').dataset.page === 'admin'`},
			{lang + ": the map with the grid layer", []chromedp.Action[chromedp.Void]{
				evalJS(`(window.monthsSeen = new Set(), new MutationObserver(() => { const l = document.getElementById('month-label'); if (l && l.textContent) window.monthsSeen.add(l.textContent); }).observe(document.body, { subtree: true, childList: true, characterData: true }), true)`),
				evalJS(`(document.querySelector('main').append(Object.assign(document.createElement('a'), {id: 'test-link', href: '#/map?layers=grid', textContent: 'map'})), true)`),
				click(css(`#test-link`))},
				`document.querySelectorAll('#map .leaflet-grid-pane path').length > 0 && location.hash.includes('month=') && document.getElementById('month-label').textContent !== ''`},
		})
		seen, err := js[[]string](ctx, `[...window.monthsSeen]`)
		if err != nil {
			t.Fatal(err)
		}
		now, _ := js[string](ctx, today)
		last, _ := js[string](ctx, `document.getElementById('month-label').textContent`)
		for _, m := range seen {
			if m == now || m != last {
				t.Errorf("%s: the month label showed %q (every month shown: %q; today %q, the data's latest %q)", lang, m, seen, now, last)
			}
		}
		axe("map month " + lang)
	}
}

// TestE2EMapPreviousView: offline, a filter never viewed has no stored
// answer: the clusters of the view before are still drawn, and the summary
// says so (« the events drawn are still those of the previous view ») after
// saying the new ones could not be loaded; back online the new view loads
// and the words go. English and French, axe clean offline.
func TestE2EMapPreviousView(t *testing.T) {
	t.Parallel()
	// Back online, the page asks /healthz every 200 ms while the server
	// cannot be reached, not every 10 s: each « back online » step waited
	// for that next question.
	db, _ := openDemoStore(t)
	srv := serveDroppable(t, &web.Server{DB: db, PageEvery: ui.Intervals{HealthMS: 200}}, "analyst.e2e", auth.Analyst)
	ctx, _ := loggedInBrowser(t, srv, 1366, 768)
	axe := axeCheck(t, ctx)
	for _, c := range []struct{ lang, country, notLoaded, previous string }{
		{"en", "Sudan", "Cannot reach the Vigil server: this could not be loaded.", "The events drawn are still those of the previous view."},
		{"fr", "Mali", "Le serveur Vigil est injoignable\u00a0: ceci n’a pas pu être chargé.", "Les événements affichés sont encore ceux de la vue précédente."},
	} {
		summary := `document.getElementById('summary')?.textContent || ''`
		down := func(on bool) chromedp.Action[chromedp.Void] {
			return chromedp.Func(func(context.Context, *chromedp.Target) error { srv.down.Store(on); return nil })
		}
		// As forgetMapFilters, the language set in the same reload (one
		// page load, not two), then the map opened from there.
		runSteps(t, ctx, `location.hash + " | " + document.getElementById("summary")?.textContent + " | " + document.querySelectorAll("#map .cluster").length + " | " + document.getElementById("map")?.className + " | " + document.getElementById("banner")?.textContent`, []e2eStep{
			{c.lang + ": another page", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/admin")}, `document.querySelector('main')?.dataset.page === 'admin'`},
			{c.lang + ": the map's filters forgotten", []chromedp.Action[chromedp.Void]{evalJS(`(sessionStorage.clear(), localStorage.setItem('vigil.lang', '` + c.lang + `'), true)`), chromedp.Reload()},
				`document.documentElement.lang === '` + c.lang + `' && document.querySelector('main')?.dataset.page === 'admin' && !sessionStorage.getItem('vigil.mapOwn')`},
			{c.lang + ": the map online", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/map")},
				`document.documentElement.lang === '` + c.lang + `' && document.querySelectorAll('#map .cluster').length > 0 && !document.getElementById('map').dataset.loading && !document.getElementById('summary').classList.contains('error')`},
			{c.lang + ": offline, a country never viewed", []chromedp.Action[chromedp.Void]{down(true), chromedp.SendKeys(css(`#filter-country`), c.country)},
				`(` + summary + `).startsWith(` + jsq(c.notLoaded) + `) && (` + summary + `).endsWith(' ' + ` + jsq(c.previous) + `) && document.querySelectorAll('#map .cluster').length > 0 && document.getElementById('map').classList.contains('clusters-stale')`},
		})
		axe("map previous view offline " + c.lang)
		runSteps(t, ctx, `location.hash + " | " + document.getElementById("summary")?.textContent + " | " + document.querySelectorAll("#map .cluster").length + " | " + document.getElementById("map")?.className + " | " + document.getElementById("banner")?.textContent`, []e2eStep{
			{c.lang + ": back online, the country's events", []chromedp.Action[chromedp.Void]{down(false)},
				`!(` + summary + `).includes(` + jsq(c.previous) + `) && !document.getElementById('summary').classList.contains('error') && document.querySelectorAll('#map .cluster').length > 0 && !document.getElementById('map').classList.contains('clusters-stale')`},
		})
	}
}
