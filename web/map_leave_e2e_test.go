package web_test

import (
	"testing"

	"github.com/chromedp/cdproto/network"
)

// TestE2EMapLeave: a refresh the map queued (a filter just changed, a pan
// under way) does nothing once the map page is left. It read the filters'
// checkboxes, gone with the page, and threw « Cannot read properties of
// null (reading 'checked') » in the console, now and then in the browser
// tests. Each case does something on the map, leaves it for the
// administration page at once, and waits until a timer queued after the
// map's longest wait (500 ms, the country field's) has run: no console
// error, no exception.
func TestE2EMapLeave(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	rec := &pageRecorder{reqs: map[network.RequestID]string{}}
	ctx := newRecordingBrowser(t, 1366, 768, rec.listen)
	if err := login(ctx, srv); err != nil {
		t.Fatalf("login: %v", err)
	}
	for _, c := range []struct{ name, act string }{
		// The country field keeps the focus as the page goes: its removal
		// blurs it, and Chromium's change event queues a refresh after the
		// map's cleanup ran.
		{"country typed", `(() => { const c = document.getElementById('filter-country'); c.focus(); c.value = 'Mali'; c.dispatchEvent(new Event('input', {bubbles: true})); return true; })()`},
		{"type unticked", `(document.getElementById('type-non-state').click(), true)`},
		// Removing the map stops the pan, which ends it with a moveend.
		{"pan under way", `(Vigil.map.panBy([300, 0], {duration: 2}), true)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := do(ctx, navigate(srv.URL+"/#/map")); err != nil {
				t.Fatal(err)
			}
			if err := poll(ctx, `document.querySelector('main')?.dataset.page === 'map' && document.querySelectorAll('#map .cluster').length > 0 && !document.getElementById('map').dataset.loading`, stepWait); err != nil {
				t.Fatalf("the map: %v", err)
			}
			rec.take()
			if _, err := js[bool](ctx, c.act+` && (location.hash = '#/admin', window.mapLeft = false, setTimeout(() => { window.mapLeft = true; }, 1000), true)`); err != nil {
				t.Fatal(err)
			}
			if err := poll(ctx, `document.querySelector('main')?.dataset.page === 'admin' && window.mapLeft === true`, stepWait); err != nil {
				t.Fatalf("leaving the map: %v", err)
			}
			for _, p := range rec.take() {
				t.Errorf("after leaving the map: %s", p)
			}
		})
	}
}
