package web_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
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
	t.Parallel()
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

// TestE2EMapSteadyError: the map page's controls stay where they are when
// the events cannot be loaded. The event summary (#summary) said the
// error in place of the counts and grew with it (its height was a
// minimum), which pushed the place search, the filters and the timeline
// down: a long refusal (a proxy's, a server's) is forced here. Now it
// keeps its height; a message longer than it scrolls in it, from its
// first line, and the box is then a tab stop (a keyboard can scroll it).
func TestE2EMapSteadyError(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	long := strings.Repeat("The events of this view could not be loaded because the request was refused upstream. ", 8)
	for _, size := range []struct{ w, h int }{{1366, 768}, {390, 844}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			ctx, _ := loggedInBrowser(t, srv, size.w, size.h)
			forgetMapFilters(t, ctx, srv)
			if err := do(ctx, navigate(srv.URL+"/#/map")); err != nil {
				t.Fatal(err)
			}
			if err := poll(ctx, `document.getElementById('summary')?.dataset.events !== undefined && !document.querySelector('#map[data-loading]') && document.querySelectorAll('#map .cluster').length > 0`, stepWait); err != nil {
				t.Fatal(err)
			}
			const places = `['#summary', '#place-q', '#type-state-based', '#filter-reset', '#month-play'].map((s) => { const r = document.querySelector(s).getBoundingClientRect(); return s + ' ' + Math.round(r.top + scrollY) + '–' + Math.round(r.bottom + scrollY); }).join(', ')`
			before, err := js[string](ctx, places)
			if err != nil {
				t.Fatal(err)
			}
			// The clusters' request refused with a long message, then the map moved.
			if _, err := js[bool](ctx, `(() => { const f0 = window.fetch; window.fetch = (u, o) => String(u).includes('/api/v1/clusters')
			  ? Promise.resolve(new Response(JSON.stringify({ error: `+strconv.Quote(long)+` }), { status: 400, headers: { 'Content-Type': 'application/json' } }))
			  : f0(u, o); Vigil.map.panBy([40, 0], { animate: false }); return true; })()`); err != nil {
				t.Fatal(err)
			}
			if err := poll(ctx, `document.getElementById('summary').classList.contains('error') && !document.querySelector('#map[data-loading]')`, stepWait); err != nil {
				t.Fatal(err)
			}
			if after, err := js[string](ctx, places); err != nil || after != before {
				t.Errorf("with a long error, the summary and the controls under it moved: %s, was %s (%v)", after, before, err)
			}
			p, err := js[string](ctx, `(() => {
			  const s = document.getElementById('summary'), r = s.getBoundingClientRect();
			  if (!s.textContent.includes(`+strconv.Quote(long[:60])+`)) return 'the error is not said: ' + s.textContent.slice(0, 80);
			  const range = document.createRange(); range.selectNodeContents(s);
			  const first = range.getClientRects()[0];
			  if (first && first.top < r.top - 1) return 'its first line is cut off above the box (' + Math.round(first.top) + ' < ' + Math.round(r.top) + ')';
			  const scrolls = s.scrollHeight > s.clientHeight + 1;
			  if (scrolls !== (s.getAttribute('tabindex') === '0')) return scrolls ? 'it scrolls but is no tab stop' : 'it is a tab stop but does not scroll';
			  return '';
			})()`)
			if err != nil || p != "" {
				t.Errorf("the summary with a long error: %s (%v)", p, err)
			}
		})
	}
	// The window resized while an error is shown (and the new view's
	// answer has not come): the box is a tab stop when the error scrolls
	// in it at the new width, and no longer one when it fits (it was set
	// when the error was drawn only). Below 800 px the box is the page's
	// width: this error takes four lines or more of its three at 390 px,
	// and two at 790.
	t.Run("resized", func(t *testing.T) {
		ctx, _ := loggedInBrowser(t, srv, 390, 844)
		forgetMapFilters(t, ctx, srv)
		if err := do(ctx, navigate(srv.URL+"/#/map")); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.getElementById('summary')?.dataset.events !== undefined && !document.querySelector('#map[data-loading]') && document.querySelectorAll('#map .cluster').length > 0`, stepWait); err != nil {
			t.Fatal(err)
		}
		medium := "The events of this view could not be loaded: the request was refused upstream, by a proxy between this browser and the server (try again later)."
		if _, err := js[bool](ctx, `(() => { const f0 = window.fetch; window.fetch = (u, o) => String(u).includes('/api/v1/clusters')
		  ? Promise.resolve(new Response(JSON.stringify({ error: `+strconv.Quote(medium)+` }), { status: 400, headers: { 'Content-Type': 'application/json' } }))
		  : f0(u, o); Vigil.map.panBy([40, 0], { animate: false }); return true; })()`); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.getElementById('summary').classList.contains('error') && !document.querySelector('#map[data-loading]')`, stepWait); err != nil {
			t.Fatal(err)
		}
		// The next answer slow to come (the network after the failure): the
		// resize's new request draws nothing meanwhile, the error stays.
		if _, err := js[bool](ctx, `(() => { const f1 = window.fetch; window.fetch = (u, o) => String(u).includes('/api/v1/clusters') ? new Promise(() => {}) : f1(u, o); return true; })()`); err != nil {
			t.Fatal(err)
		}
		const state = `(() => { const s = document.getElementById('summary'); return (s.scrollHeight > s.clientHeight + 1 ? 'scrolls' : 'fits') + ', tabindex ' + s.getAttribute('tabindex'); })()`
		for _, c := range []struct {
			w    int
			want string
		}{{390, "scrolls, tabindex 0"}, {790, "fits, tabindex null"}, {390, "scrolls, tabindex 0"}} {
			if err := do(ctx, chromedp.EmulateViewport(int64(c.w), 844)); err != nil {
				t.Fatal(err)
			}
			if err := poll(ctx, state+` === `+strconv.Quote(c.want), stepWait); err != nil {
				got, _ := js[string](ctx, state)
				t.Fatalf("at %d px: the summary %s, want %s (%v)", c.w, got, c.want, err)
			}
		}
	})
}
