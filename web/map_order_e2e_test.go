package web_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestE2EMapCountryAndOrder: event clusters sit under the operational
// layers (their own pane below Leaflet's overlay pane); choosing a country
// zooms the map to its events and the grid layer asks for that country
// only; Leaflet's zoom buttons are labelled in the user's language.
func TestE2EMapCountryAndOrder(t *testing.T) {
	srv := startServer(t)
	ctx, _ := newBrowser(t, 1366, 768)
	if err := login(ctx, srv); err != nil {
		t.Fatalf("login: %v", err)
	}
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
	if err := do(ctx, chromedp.Click(css(`#layer-grid`))); err != nil {
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
