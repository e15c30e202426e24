package web_test

import (
	"fmt"
	"testing"
)

// TestE2EMapSteady: the map page keeps its controls where they are first
// shown while it loads. The event summary at the top of the side column
// (#summary: « N events, M deaths (best estimate) in view ») was drawn
// empty and filled once the clusters answered, after the page was shown,
// and pushed the place search, the filters and the timeline under it down
// (about 65 px at 1366×768), and below 800 px, where the side column sits
// over the map, the map too. English and French, at the widths the page
// is used at: a laptop's (1366, 1440) and a phone's (390).
func TestE2EMapSteady(t *testing.T) {
	srv := startServer(t)
	for _, size := range []struct{ w, h int }{{1366, 768}, {1440, 900}, {390, 844}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			ctx, _ := loggedInBrowser(t, srv, size.w, size.h)
			for _, lang := range []string{"en", "fr"} {
				t.Run(lang, func(t *testing.T) {
					// Every type ticked (no choice kept from a run before), the
					// page opened from another one in lang.
					forgetMapFilters(t, ctx, srv)
					if err := openIn(ctx, srv.URL+"/#/admin", lang); err != nil {
						t.Fatal(err)
					}
					if err := poll(ctx, `document.documentElement.lang === '`+lang+`' && document.querySelector('main')?.dataset.page === 'admin'`, stepWait); err != nil {
						t.Fatal(err)
					}
					steadyOnOpen(t, ctx, srv.URL+"/#/map",
						`document.getElementById('summary')?.dataset.events !== undefined && !document.querySelector('#map[data-loading]') && document.querySelectorAll('#map .cluster').length > 0`,
						`#place-q`, `#type-state-based`, `#filter-reset`, `#month-play`, `#map .leaflet-control-zoom-in`)
				})
			}
		})
	}
}
