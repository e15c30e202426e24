package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/web"
	"github.com/vigil-project/vigil/web/ui"
)

// TestE2EOfflinePartialOutage: a link that drops some of the page's
// requests while others get through (a flaky field-office link) makes the
// page say it is offline and ask /healthz, and nothing more: it is back
// online when /healthz answers, not because another request came back.
// Before, one request failing (offline) and another answering (online)
// made the page flip in a loop, each reconnection asking the map's
// clusters and the demo banner again: a storm of requests to the server
// and a flickering banner. Counted here over health checks, not timed:
// each health check may bring at most one reconnection, so at most one
// clusters request (the map's refresh) per /healthz answered.
func TestE2EOfflinePartialOutage(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ lang, offline, back string }{
		{"en", "Offline", "Connection back"},
		{"fr", "Hors ligne", "Connexion rétablie"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			db, _ := openDemoStore(t)
			if err := db.SetDemoState(context.Background(), demo.StateEvents, demo.Done); err != nil {
				t.Fatal(err)
			}
			s := &web.Server{DB: db, Demo: &demo.Status{Store: db}, PageEvery: ui.Intervals{HealthMS: 200}}
			h := s.Handler()
			var flaky atomic.Bool
			var clusters, health atomic.Int64
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/api/v1/clusters":
					clusters.Add(1)
				case "/healthz":
					health.Add(1)
				case "/api/v1/demo": // the demo banner's, asked at each reconnection
					if flaky.Load() {
						// A slow link or a busy server: once the page checks its
						// health, the failure comes after its next health check has
						// answered (the one after it has come), 2 s at most.
						for h, end := health.Load(), time.Now().Add(2*time.Second); h > 0 && health.Load() < h+2 && flaky.Load() && time.Now().Before(end); {
							time.Sleep(5 * time.Millisecond)
						}
						if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
							conn.Close()
							return
						}
					}
				}
				h.ServeHTTP(w, r)
			}))
			t.Cleanup(ts.Close)
			srv := &e2eServer{URL: ts.URL, User: "ana.e2e", Password: "correct horse battery"}
			if _, err := s.Auth.CreateUser(context.Background(), "test", srv.User, auth.Analyst, srv.Password); err != nil {
				t.Fatal(err)
			}
			ctx, _ := loggedInBrowser(t, srv, 1280, 900)
			if err := poll(ctx, `document.querySelectorAll('#map .cluster').length > 0 && !document.getElementById('map').dataset.loading`, stepWait); err != nil {
				t.Fatalf("the map online: %v", err)
			}
			// On the first visit the worker taking over loads the map again
			// (core/boot.js registerWorker): before the counting starts.
			if err := poll(ctx, `!!navigator.serviceWorker.controller`, stepWait); err != nil {
				t.Fatalf("the service worker never controlled the page: %v", err)
			}
			// That load, and the fitted view's, may reach the server after the
			// counting started (a busy machine): the counting starts on a page
			// the worker controlled from its start, at the view it restored.
			if err := do(ctx, chromedp.Reload()); err != nil {
				t.Fatal(err)
			}
			if err := poll(ctx, `!!navigator.serviceWorker.controller && document.querySelectorAll('#map .cluster').length > 0 && !document.getElementById('map').dataset.loading`, stepWait); err != nil {
				t.Fatalf("the map again: %v", err)
			}

			// The link becomes flaky; the page is opened again, in the language.
			flaky.Store(true)
			c0, h0 := clusters.Load(), health.Load()
			if err := do(ctx, evalJS(`(localStorage.setItem('vigil.lang', '`+c.lang+`'), true)`), chromedp.Reload()); err != nil {
				t.Fatal(err)
			}
			if err := poll(ctx, `document.getElementById('banner').textContent.startsWith(`+jsq(c.offline)+`)`, stepWait); err != nil {
				b, _ := js[string](ctx, `document.getElementById('banner').textContent`)
				t.Fatalf("no offline banner (%q): %v", b, err)
			}
			// What the banner says from now on, each change.
			if _, err := js[bool](ctx, `(() => {
				const b = document.getElementById('banner');
				const said = (window.__bannerSaid = [b.textContent]);
				new MutationObserver(() => { if (said[said.length - 1] !== b.textContent) said.push(b.textContent); })
					.observe(b, { childList: true, subtree: true, characterData: true });
				return true; })()`); err != nil {
				t.Fatal(err)
			}
			// Five health checks answered, or the storm: whichever comes first.
			const checks, storm = 5, 60
			for deadline := time.Now().Add(stepWait); health.Load()-h0 < checks && clusters.Load()-c0 < storm; {
				if time.Now().After(deadline) {
					t.Fatalf("after %v: %d health checks, %d clusters requests", stepWait, health.Load()-h0, clusters.Load()-c0)
				}
				time.Sleep(50 * time.Millisecond)
			}
			nc, nh := clusters.Load()-c0, health.Load()-h0
			t.Logf("%d requests to /api/v1/clusters for %d health checks", nc, nh)
			// The page's first load asks the clusters once; then at most
			// one reconnection per health check answered.
			if nc > nh+1 {
				t.Errorf("%d requests to /api/v1/clusters for %d health checks: the page reconnected without a health check", nc, nh)
			}
			// /healthz answers but the demo banner's request still fails:
			// the page tries again and stays offline, saying nothing new
			// (it said « back » and « offline » at each health check).
			said, err := js[[]string](ctx, `window.__bannerSaid`)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range said {
				if !strings.HasPrefix(b, c.offline) {
					t.Errorf("while /api/v1/demo failed, the banner said %q (all it said: %q), want %q… only", b, said, c.offline)
					break
				}
			}

			// The link is whole again: the next health check brings the page back.
			flaky.Store(false)
			if err := poll(ctx, `document.getElementById('banner').textContent.startsWith(`+jsq(c.back)+`)`, stepWait); err != nil {
				b, _ := js[string](ctx, `document.getElementById('banner').textContent`)
				t.Fatalf("not back online (%q): %v", b, err)
			}
		})
	}
}
