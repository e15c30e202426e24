package web_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/performance"
)

// TestE2EMapCountryAndOrder: event clusters sit under the operational
// layers (their own pane below Leaflet's overlay pane); choosing a country
// zooms the map to its events and the grid layer asks for that country
// only; Leaflet's zoom buttons are labelled in the user's language.
func TestE2EMapCountryAndOrder(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1366, 768)
	if err := poll(ctx, `document.querySelectorAll('#map .cluster').length > 0`, stepWait); err != nil {
		t.Fatal(err)
	}
	order, err := js[[]int](ctx, `['events', 'overlayPane', 'markerPane'].map((p) => Number(getComputedStyle(Vigil.map.getPane(p)).zIndex))`)
	if err != nil || !(order[0] < order[1] && order[1] < order[2]) || len(order) != 3 {
		t.Errorf("pane z-indexes events/overlay/marker %v (%v): clusters must be under the operational layers", order, err)
	}
	if n, _ := js[int](ctx, `Vigil.map.getPane('events').querySelectorAll('.cluster').length`); n == 0 {
		t.Error("no cluster in the events pane")
	}
	// Choose Mali: the map zooms to Mali's events (Mali lies within 10°N–25°N, 12°W–4.5°E).
	if _, err := js[bool](ctx, `(() => { const e = document.getElementById('filter-country'); e.value = 'Mali'; e.dispatchEvent(new Event('change')); return true; })()`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `(() => { const c = Vigil.map.getCenter(); return Vigil.map.getZoom() >= 5 && c.lat > 10 && c.lat < 25 && c.lng > -12 && c.lng < 4.5; })()`, stepWait); err != nil {
		c, _ := js[[]float64](ctx, `[Vigil.map.getCenter().lat, Vigil.map.getCenter().lng, Vigil.map.getZoom()]`)
		t.Errorf("choosing Mali did not zoom to it: centre/zoom %v (%v)", c, err)
	}
	// The grid layer honours the country filter.
	if err := do(ctx, click(css(`#layer-grid`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `performance.getEntriesByType('resource').some((e) => e.name.includes('/api/v1/grid?') && e.name.includes('country=Mali'))`, stepWait); err != nil {
		t.Errorf("the grid layer did not ask for Mali only: %v", err)
	}
	// Leaflet's strings, English then French.
	for lang, want := range map[string][2]string{"en": {"Zoom in", "Zoom out"}, "fr": {"Zoom avant", "Zoom arrière"}} {
		if err := poll(ctx, `Vigil.setLang('`+lang+`').then(() => true)`, 10*time.Second); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.querySelector('.leaflet-control-zoom-in').title === '`+want[0]+`' && document.querySelector('.leaflet-control-zoom-out').getAttribute('aria-label') === '`+want[1]+`'`, stepWait); err != nil {
			got, _ := js[string](ctx, `document.querySelector('.leaflet-control-zoom-in').title + ' / ' + document.querySelector('.leaflet-control-zoom-out').title`)
			t.Errorf("%s zoom buttons %q: %v", lang, got, err)
		}
	}
	axeCheck(t, ctx)("map fr")
}

// mapFeatures lists what the operational layers draw on the map (not the
// basemap, the event clusters or the grid): each feature's centre and the
// country it says it is in (coverage cells and sites, risk countries), if
// any.
const mapFeatures = `(() => {
  const out = [];
  Vigil.map.eachLayer((l) => {
    if (['basemap', 'events', 'grid'].includes(l.options && l.options.pane) || l.getLayers) return;
    const c = l.getLatLng ? l.getLatLng() : l.getBounds ? l.getBounds().getCenter() : null;
    if (!c) return;
    const p = (l.feature && l.feature.properties) || {};
    out.push({ lat: c.lat, lon: c.lng, country: typeof p.country === 'string' ? p.country : (p.name || '') });
  });
  return out;
})()`

// TestE2EMapLayersCountry: with a country chosen in the map's filter,
// every operational layer — risk cells, coverage cells and sites,
// incidents, survey cells — draws that country's features only (each
// was seeded in two countries; see seedMapLayers), and the incidents
// follow the date filter too.
func TestE2EMapLayersCountry(t *testing.T) {
	t.Parallel()
	chromiumPath(t)
	srv := startFullServer(t)
	countryOf := seedMapLayers(t, srv)
	ctx, _ := loggedInBrowser(t, &e2eServer{URL: srv.URL, User: srv.User, Password: srv.Password}, 1366, 768)
	if err := poll(ctx, `document.querySelectorAll('#map .cluster').length > 0`, stepWait); err != nil {
		t.Fatal(err)
	}
	if _, err := js[bool](ctx, `(() => { const e = document.getElementById('filter-country'); e.value = 'DR Congo (Zaire)'; e.dispatchEvent(new Event('change')); return true; })()`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `Vigil.map.getZoom() >= 5 && Vigil.filters.country === 'DR Congo (Zaire)'`, stepWait); err != nil {
		t.Fatal(err)
	}
	type feature struct {
		Lat, Lon float64
		Country  string
	}
	iso := func(name string) string {
		if a, err := performance.ParseArea(name); err == nil && name != "" {
			return a.Code
		}
		return name
	}
	toggle := func(id string) {
		t.Helper()
		if err := do(ctx, click(css(`#layer-`+id))); err != nil {
			t.Fatal(err)
		}
	}
	for _, layer := range []string{"risk", "coverage", "surveys", "alerts"} {
		toggle(layer)
		loaded := `(() => { const r = document.getElementById('layer-` + layer + `').closest('.layer'); return r.querySelector('.layer-status').textContent === '' && ` + mapFeatures + `.length > 0; })()`
		if err := poll(ctx, loaded, stepWait); err != nil {
			st, _ := text(ctx, `#layer-`+layer)
			t.Errorf("%s layer: nothing drawn for DR Congo: %v %s", layer, err, st)
			toggle(layer)
			continue
		}
		feats, err := js[[]feature](ctx, mapFeatures)
		if err != nil {
			t.Fatal(err)
		}
		other := 0
		for _, f := range feats {
			c := iso(f.Country)
			if c == "" {
				gid, _ := grid.PrioGID(f.Lat, f.Lon)
				c = iso(countryOf(gid))
			}
			if c != "COD" {
				other++
				if other <= 3 {
					t.Errorf("%s layer with DR Congo chosen draws a feature at %.2f, %.2f in %q", layer, f.Lat, f.Lon, c)
				}
			}
		}
		if other > 0 {
			t.Errorf("%s layer: %d of %d features outside DR Congo", layer, other, len(feats))
		}
		if layer != "alerts" {
			toggle(layer)
			if err := poll(ctx, mapFeatures+`.length === 0`, stepWait); err != nil {
				t.Fatalf("%s layer off: %v", layer, err)
			}
		}
	}
	// The incidents follow the dates: none began in 2018.
	if _, err := js[bool](ctx, `(() => { for (const [id, v] of [['filter-from', '2018-01-01'], ['filter-to', '2018-12-31']]) { const e = document.getElementById(id); e.value = v; e.dispatchEvent(new Event('change')); } return true; })()`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, mapFeatures+`.length === 0 && performance.getEntriesByType('resource').some((e) => e.name.includes('/api/v1/alerts/incidents?') && e.name.includes('since=2018-01-01') && e.name.includes('until=2019-01-01'))`, stepWait); err != nil {
		n, _ := js[int](ctx, mapFeatures+`.length`)
		t.Errorf("incidents with 2018 chosen: %d drawn (%v), want none", n, err)
	}
	// The survey cells follow the dates too (by the day each answer was
	// received): none in 2018, DR Congo's in the last month.
	const surveyCells = `(() => { let n = 0; Vigil.map.eachLayer((l) => { if (l instanceof L.Rectangle) n++; }); return n; })()`
	toggle("surveys")
	if err := poll(ctx, `document.getElementById('layer-surveys').closest('.layer').querySelector('.layer-status').textContent === '' && `+surveyCells+` === 0 && performance.getEntriesByType('resource').some((e) => e.name.includes('/analysis?') && e.name.includes('from=2018-01-01') && e.name.includes('to=2018-12-31'))`, stepWait); err != nil {
		n, _ := js[int](ctx, surveyCells)
		t.Errorf("survey cells with 2018 chosen: %d drawn (%v), want none", n, err)
	}
	from, to := time.Now().AddDate(0, -1, 0).Format(time.DateOnly), time.Now().AddDate(0, 0, 1).Format(time.DateOnly)
	if _, err := js[bool](ctx, `(() => { for (const [id, v] of [['filter-from', '`+from+`'], ['filter-to', '`+to+`']]) { const e = document.getElementById(id); e.value = v; e.dispatchEvent(new Event('change')); } return true; })()`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, surveyCells+` > 0`, stepWait); err != nil {
		t.Errorf("survey cells with the last month chosen: none drawn (%v)", err)
	}
}

// TestE2EMapPlaceSearch: on the French map a user finds a place by name
// ("djugu", without its capital): the gazetteer's answer is listed in
// French ("Djugu, Ituri (RD Congo)") and choosing it moves the map there;
// a name with no place says so. The page stays axe-clean.
func TestE2EMapPlaceSearch(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	ctx, _ := loggedInBrowserAt(t, srv, 1366, 768, "/#/map", "fr")
	if err := poll(ctx, `document.documentElement.lang === 'fr' && !!document.getElementById('place-q')`, stepWait); err != nil {
		t.Fatal(err)
	}
	if err := do(ctx, chromedp.SendKeys(css(`#place-q`), "djugu\n")); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `[...document.querySelectorAll('#place-hits button')].some((b) => b.textContent === 'Djugu, Ituri (RD Congo)')`, stepWait); err != nil {
		hits, _ := text(ctx, `#place-hits`)
		t.Fatalf("no Djugu found: %v (%q)", err, hits)
	}
	if _, err := js[bool](ctx, `([...document.querySelectorAll('#place-hits button')].find((b) => b.textContent === 'Djugu, Ituri (RD Congo)').click(), true)`); err != nil {
		t.Fatal(err)
	}
	// Djugu is at 1.94°N, 30.70°E.
	if err := poll(ctx, `(() => { const c = Vigil.map.getCenter(); return Vigil.map.getZoom() === 9 && Math.abs(c.lat - 1.94) < 0.1 && Math.abs(c.lng - 30.7) < 0.1; })()`, stepWait); err != nil {
		at, _ := js[string](ctx, `JSON.stringify([Vigil.map.getCenter(), Vigil.map.getZoom()])`)
		t.Errorf("the map did not go to Djugu: %v (%s)", err, at)
	}
	axeCheck(t, ctx)("map with a place found") // a11y_pages_e2e_test.go
	if _, err := js[bool](ctx, `(document.getElementById('place-q').value = 'Xqzvwy', document.getElementById('place-search').requestSubmit(), true)`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.getElementById('place-hits').textContent === 'Aucun lieu nommé « Xqzvwy ».'`, stepWait); err != nil {
		hits, _ := text(ctx, `#place-hits`)
		t.Errorf("an unknown name: %v (%q)", err, hits)
	}
}

// TestE2EMapLeaveWhileWriting: leaving the map is not undone by the map
// writing its own address (a layer switched, a refresh finishing) after the
// address changed and before the page's hashchange was handled. The full
// suite saw TestE2EPerformanceJourney and TestE2EPerformanceOptionsAndBrief
// stay on the map after navigating to #/performance under load.
func TestE2EMapLeaveWhileWriting(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	ctx, _ := loggedInBrowserAt(t, srv, 1366, 768, "/#/map", "")
	if err := poll(ctx, `!!Vigil.map && !!document.querySelector('input[id^="layer-"]')`, stepWait); err != nil {
		t.Fatal(err)
	}
	// In one task: the address goes to another page, then a layer is
	// switched off (the map writes its address at once), then the
	// hashchange is handled.
	if _, err := js[bool](ctx, `(() => { location.hash = '#/coverage'; const b = document.querySelector('input[id^="layer-"]'); b.checked = false; b.dispatchEvent(new Event('change')); return true; })()`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.getElementById('main').dataset.page === 'coverage'`, 20*time.Second); err != nil {
		at, _ := js[string](ctx, `location.hash + ' on page ' + document.getElementById('main').dataset.page`)
		t.Errorf("the map undid the navigation: %v (%s)", err, at)
	}
}
