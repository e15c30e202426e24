package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// jsAwait evaluates an expression that yields a Promise and returns its value.
func jsAwait[T any](ctx context.Context, expr string) (T, error) {
	return run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// pollAwait evaluates a Promise-valued expression until it yields true.
func pollAwait(ctx context.Context, expr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, err := jsAwait[bool](ctx, expr)
		if err == nil && ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: not true after %s (last error %v)", expr, timeout, err)
		}
		time.Sleep(150 * time.Millisecond)
	}
}

// storedAPI counts the API answers the service worker has stored.
const storedAPI = `(async () => {
  let n = 0;
  for (const k of await caches.keys()) if (k.startsWith('vigil-api-')) n += (await (await caches.open(k)).keys()).length;
  return n;
})()`

// lastStored is true when the latest request the page made to path has an
// answer stored by the service worker.
func lastStored(path string) string {
	return `(async () => {
  const r = performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname === '` + path + `');
  if (r.length === 0) return false;
  for (const k of await caches.keys()) {
    if (k.startsWith('vigil-api-') && await (await caches.open(k)).match(r[r.length - 1].name, { ignoreVary: true })) return true;
  }
  return false;
})()`
}

// TestE2EOffline opens the UI with the server unreachable: after one online
// visit (the worker installs, the map loads the event clusters and the grid
// layer), the server drops every connection and the page is reloaded. The app
// shell must render from the worker's cache, say it is offline and how old the
// data is (in English and in French), and draw the same clusters and grid
// cells. Logging out deletes the stored data: reopened offline, the page shows
// no events.
func TestE2EOffline(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	ctx, _ := newBrowser(t, 1280, 800)
	// Caches an older binary's worker would have left behind.
	if err := do(ctx, chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible(css(`#login-form`))); err != nil {
		t.Fatal(err)
	}
	if _, err := jsAwait[bool](ctx, `(async () => {
  await (await caches.open('vigil-shell-0123456789abcdef')).put('/ui/old.js', new Response('old'));
  await (await caches.open('vigil-api-0123456789abcdef')).put('/api/v1/clusters?old=1', new Response('[]'));
  return true;
})()`); err != nil {
		t.Fatal(err)
	}
	if err := login(ctx, srv); err != nil {
		t.Fatal(err)
	}
	// 1. Online: the worker takes over (dropping the old build's caches), the
	// grid layer is switched on, and the map's data goes through the worker
	// (which stores it).
	if err := poll(ctx, `!!navigator.serviceWorker.controller`, stepWait); err != nil {
		t.Fatalf("the service worker never controlled the page: %v", err)
	}
	oldGone := `(async () => {
  const v = (await (await fetch('/sw.js')).text()).match(/"version":"([0-9a-f]+)"/)[1];
  const ks = (await caches.keys()).filter((k) => k.startsWith('vigil-'));
  return ks.includes('vigil-shell-' + v) && ks.every((k) => k.endsWith('-' + v));
})()`
	if err := pollAwait(ctx, oldGone, stepWait); err != nil {
		ks, _ := jsAwait[[]string](ctx, `caches.keys()`)
		t.Errorf("caches after the worker took over: %v: %v", ks, err)
	}
	if err := do(ctx, click(css(`#layer-grid`))); err != nil {
		t.Fatal(err)
	}
	drawn := `document.querySelectorAll('#map .cluster').length > 0 && document.querySelectorAll('#map .leaflet-grid-pane path').length > 0 && !document.getElementById('map').dataset.loading && location.hash.includes('month=')`
	if err := poll(ctx, drawn, stepWait); err != nil {
		t.Fatalf("map did not draw clusters and grid cells online: %v", err)
	}
	if err := pollAwait(ctx, lastStored("/api/v1/clusters")+` && `+lastStored("/api/v1/grid"), stepWait); err != nil {
		t.Fatalf("the last map data was not stored: %v", err)
	}
	time.Sleep(time.Second) // let a pending refresh (slider extent, debounced move) finish
	if err := poll(ctx, drawn, stepWait); err != nil {
		t.Fatal(err)
	}
	type view struct {
		Clusters, Cells int
		Summary, Hash   string
	}
	const readView = `({Clusters: document.querySelectorAll('#map .cluster').length,
	  Cells: document.querySelectorAll('#map .leaflet-grid-pane path').length,
	  Summary: document.getElementById('summary').textContent, Hash: location.hash})`
	online, err := js[view](ctx, readView)
	if err != nil {
		t.Fatal(err)
	}
	if online.Clusters == 0 || online.Cells == 0 || !strings.Contains(online.Summary, "events") {
		t.Fatalf("online view %+v", online)
	}
	if n, err := jsAwait[int](ctx, storedAPI); err != nil || n == 0 {
		t.Fatalf("stored API answers: %d (%v)", n, err)
	}
	// Only map layers were stored: not the user and CSRF token (/api/v1/me).
	paths, err := jsAwait[[]string](ctx, `(async () => {
  const out = [];
  for (const k of await caches.keys()) if (k.startsWith('vigil-api-')) for (const r of await (await caches.open(k)).keys()) out.push(new URL(r.url).pathname);
  return out;
})()`)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		switch p {
		case "/api/v1/clusters", "/api/v1/grid", "/api/v1/events":
		default:
			t.Errorf("the worker stored an answer of %s", p)
		}
	}

	// 2. The server becomes unreachable; the page is opened again.
	srv.down.Store(true)
	if err := do(ctx, chromedp.Reload(), chromedp.WaitVisible(css(`#filters-title`))); err != nil {
		t.Fatalf("the app shell did not open offline: %v", err)
	}
	if err := poll(ctx, drawn, stepWait); err != nil {
		v, _ := js[view](ctx, readView)
		t.Fatalf("stored map data not drawn offline (%+v): %v", v, err)
	}
	offline, err := js[view](ctx, readView)
	if err != nil {
		t.Fatal(err)
	}
	if offline.Clusters != online.Clusters || offline.Summary != online.Summary || offline.Cells != online.Cells {
		t.Errorf("offline view %+v differs from the last online view %+v", offline, online)
	}
	if err := poll(ctx, `!document.getElementById('banner').hidden`, stepWait); err != nil {
		t.Fatalf("no offline banner: %v", err)
	}
	banner, _ := text(ctx, `#banner`)
	year := time.Now().Format("2006")
	if !strings.Contains(banner, "Offline — showing data from") || !strings.Contains(banner, year) {
		t.Errorf("offline banner %q: want it to say when the data is from", banner)
	}
	if u, _ := text(ctx, `#user`); !strings.Contains(u, srv.User) {
		t.Errorf("user shown offline: %q", u)
	}
	if n, _ := js[int](ctx, `document.querySelectorAll('#nav a').length`); n < 2 {
		t.Errorf("navigation has %d links offline", n)
	}
	// In French, the banner too.
	if _, err := js[bool](ctx, `(() => { const s = document.getElementById('lang'); s.value = 'fr'; s.dispatchEvent(new Event('change')); return true; })()`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.getElementById('banner').textContent.startsWith('Hors ligne — données du') && document.getElementById('filters-title').textContent === 'Filtres'`, stepWait); err != nil {
		b, _ := text(ctx, `#banner`)
		t.Errorf("French offline banner %q: %v", b, err)
	}

	// 3. Back online: logging out deletes the stored API answers, so the
	// shared laptop opened offline shows no one's data.
	srv.down.Store(false)
	if err := do(ctx, click(css(`#logout`)), chromedp.WaitVisible(css(`#login-form`))); err != nil {
		t.Fatalf("log out: %v", err)
	}
	if err := pollAwait(ctx, `(async () => (await `+storedAPI+`) === 0)()`, stepWait); err != nil {
		n, _ := jsAwait[int](ctx, storedAPI)
		t.Errorf("%d API answers still stored after logging out: %v", n, err)
	}
	if s, _ := js[string](ctx, `localStorage.getItem('vigil.user') || ''`); s != "" {
		t.Errorf("user still remembered after logging out: %q", s)
	}
	// The logout reached the server although the page was opened without a
	// CSRF token: the session is gone.
	if err := do(ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(css(`#login-form`))); err != nil {
		t.Fatalf("after logging out the app still opens online: %v", err)
	}
	srv.down.Store(true)
	if err := do(ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(css(`#main .error`))); err != nil {
		t.Fatalf("after logout, offline: %v", err)
	}
	if n, _ := js[int](ctx, `document.querySelectorAll('.cluster').length`); n != 0 {
		t.Errorf("%d clusters drawn offline after logging out", n)
	}
	srv.down.Store(false)
}
