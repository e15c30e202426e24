package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/storage/sqlite"
	"github.com/vigil-project/vigil/web"
)

// networkOffline cuts the browser's network (Network.emulateNetworkConditionsByRule,
// the service worker's requests included, and navigator.onLine) or gives it
// back: a field office whose link drops.
func networkOffline(ctx context.Context, on bool) error {
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		return err
	}
	sw := true
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		EmulateOfflineServiceWorker: &sw,
		MatchedNetworkConditions:    []*network.Conditions{{Offline: on, DownloadThroughput: -1, UploadThroughput: -1}},
	}); err != nil {
		return err
	}
	_, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: on, DownloadThroughput: -1, UploadThroughput: -1})
	return err
}

// goOffline is networkOffline as a step's action (on the browser of ctx).
func goOffline(ctx context.Context, on bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(context.Context, *chromedp.Target) error { return networkOffline(ctx, on) })
}

// offlineAlertsServer serves the alert network with a web channel and one
// incident (a phone alert with a reporter's number and name), for a
// responder to log in as.
func offlineAlertsServer(t *testing.T) (*e2eServer, *alerts.Service) {
	t.Helper()
	ctx := context.Background()
	db, svc := web.OpenAlertsTestStore(t, t.TempDir(), sqlite.Options{})
	s := &web.Server{DB: db, Alerts: svc}
	srv := serveE2E(t, s, "rex.e2e", auth.Responder)
	ch, err := svc.NewChannel(ctx, "test", alerts.Web, "Community liaison", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Receive(ctx, ch, alerts.Inbound{From: "+243811111111", Name: "Reporter One", Message: "Armed men at Djugu market this morning"}); err != nil {
		t.Fatal(err)
	}
	return srv, svc
}

// TestE2EOfflinePages: a responder has the Alerts queue and an incident open
// when the field office's connection drops. Reloaded offline, the incident
// page is not blank: it says in the page, in its language, that the server
// cannot be reached and the incident could not be loaded, with the way back
// to the queue; the banner says since when and what still works on this
// page (alerts are not kept on the device; nothing can be saved; forms keep
// what was typed), and on the map what the map shows. The queue says it where
// its list would be. No "Failed to fetch" or TypeError is shown. When the
// connection comes back the banner says so and the incident opens by itself.
// In English and in French; axe-core finds nothing serious offline.
func TestE2EOfflinePages(t *testing.T) {
	srv, _ := offlineAlertsServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	axe := axeCheck(t, ctx)
	if err := poll(ctx, `!!navigator.serviceWorker.controller`, stepWait); err != nil {
		t.Fatalf("the service worker never controlled the page: %v", err)
	}
	type words struct {
		lang, since, alertsWork, mapWork, notLoaded, back, title string
	}
	for _, w := range []words{
		{"en", "Offline since ", "Alerts are not kept on this device (they hold reporters’ details)", "The map shows the events and layers stored on this device",
			"Cannot reach the Vigil server: this could not be loaded. It will be when the connection is back.", "Connection back at ", "Incident #1"},
		{"fr", "Hors ligne depuis le ", "Les alertes ne sont pas gardées sur cet appareil (elles contiennent les coordonnées des personnes qui signalent)", "La carte montre les événements et les couches enregistrés sur cet appareil",
			"Le serveur Vigil est injoignable : ceci n’a pas pu être chargé. Ce sera fait quand la connexion reviendra.", "Connexion rétablie le ", "Incident n° 1"},
	} {
		banner := `(document.getElementById('banner').hidden ? '' : document.getElementById('banner').textContent)`
		noRawError := `!/Failed to fetch|TypeError|NetworkError/.test(document.body.innerText)`
		runSteps(t, ctx, `document.body.innerText`, []e2eStep{
			{w.lang + ": the incident online", []chromedp.Action[chromedp.Void]{evalJS(`(localStorage.setItem('vigil.lang', '` + w.lang + `'), true)`), navigate(srv.URL + "/#/alerts/incident/1"), chromedp.Reload()},
				`document.documentElement.lang === '` + w.lang + `' && document.querySelector('#alerts-inc-title')?.textContent.startsWith('#1 ') && !!navigator.serviceWorker.controller`},
			{w.lang + ": reloaded offline, the incident page says it could not load it", []chromedp.Action[chromedp.Void]{goOffline(ctx, true), chromedp.Reload()},
				`document.querySelector('#alerts-failed')?.textContent === ` + jsq(w.notLoaded) + ` && document.querySelector('#alerts-inc-title')?.textContent === ` + jsq(w.title) +
					` && !!document.querySelector('#main a.alerts-back') && ` + banner + `.startsWith(` + jsq(w.since) + `) && ` + banner + `.includes(` + jsq(w.alertsWork) + `) && ` + noRawError},
		})
		axe(w.lang + " offline incident")
		runSteps(t, ctx, `document.body.innerText`, []e2eStep{
			{w.lang + ": the queue offline says it where its list would be", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/alerts")},
				`document.querySelector('#alerts-list #alerts-failed')?.textContent === ` + jsq(w.notLoaded) + ` && ` + banner + `.includes(` + jsq(w.alertsWork) + `) && ` + noRawError},
			{w.lang + ": the map offline says what it shows", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/map")},
				banner + `.startsWith(` + jsq(w.since) + `) && ` + banner + `.includes(` + jsq(w.mapWork) + `)`},
			{w.lang + ": the incident again, offline", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/alerts/incident/1")},
				`document.querySelector('#alerts-failed')?.textContent === ` + jsq(w.notLoaded)},
			{w.lang + ": back online, the banner says so and the incident opens", []chromedp.Action[chromedp.Void]{goOffline(ctx, false)},
				banner + `.startsWith(` + jsq(w.back) + `) && document.querySelector('#alerts-inc-title')?.textContent.startsWith('#1 ') && !document.querySelector('#alerts-failed')`},
		})
		if w.lang == "en" {
			axe("en back online")
		}
	}
	if s, _ := js[string](ctx, `document.body.innerText`); strings.Contains(s, "undefined") {
		t.Errorf("the page shows 'undefined': %.500s", s)
	}
}

// jsq is s as a JavaScript string literal.
func jsq(s string) string { return mustJSON(s) }
