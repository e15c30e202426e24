package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/web"
)

// TestE2EOfflineDemoBanner: on a demo server, the banner that says which
// data are demo material stays when the page is reloaded with the network
// down (the map then shows the demo's stored data); before, it was hidden
// whenever GET /api/v1/demo could not be asked. English and French, axe
// clean offline.
func TestE2EOfflineDemoBanner(t *testing.T) {
	t.Parallel()
	db, _ := openDemoStore(t)
	if err := db.SetDemoState(context.Background(), demo.StateEvents, demo.Done); err != nil {
		t.Fatal(err)
	}
	srv := serveDroppable(t, &web.Server{DB: db, Demo: &demo.Status{Store: db}}, "ana.e2e", auth.Analyst)
	// The network down is the browser offline and the server unreachable:
	// the service worker's own requests still reached the server under the
	// browser's offline emulation, so the page flipped between offline (a
	// request of its own failed) and back online (a fresh answer through
	// the worker), asking again at each reconnection, until a poll caught
	// the banner at the right moment.
	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	down := func(on bool) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(context.Context, *chromedp.Target) error { srv.down.Store(on); return networkOffline(ctx, on) })
	}
	axe := axeCheck(t, ctx)
	if err := poll(ctx, `!!navigator.serviceWorker.controller`, stepWait); err != nil {
		t.Fatalf("the service worker never controlled the page: %v", err)
	}
	for _, c := range []struct{ lang, title, since string }{
		{"en", "Demo:", "Offline"},
		{"fr", "Démonstration\u00a0:", "Hors ligne"},
	} {
		shown := `!document.getElementById('demo-banner').hidden && document.querySelector('#demo-banner strong')?.textContent === ` + jsq(c.title)
		runSteps(t, ctx, `document.body.innerText.slice(0, 600)`, []e2eStep{
			{c.lang + ": online, the demo banner", []chromedp.Action[chromedp.Void]{evalJS(`(localStorage.setItem('vigil.lang', '` + c.lang + `'), true)`), navigate(srv.URL + "/#/map"), chromedp.Reload()},
				`document.documentElement.lang === '` + c.lang + `' && ` + shown + ` && document.querySelectorAll('#map .cluster').length > 0`},
			{c.lang + ": reloaded offline, still there", []chromedp.Action[chromedp.Void]{down(true), chromedp.Reload()},
				`document.getElementById('banner').textContent.startsWith(` + jsq(c.since) + `) && document.querySelectorAll('#map .cluster').length > 0 && ` + shown},
		})
		axe("offline demo banner " + c.lang)
		if err := do(ctx, down(false)); err != nil {
			t.Fatal(err)
		}
	}
}
