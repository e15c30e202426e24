package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/storage/sqlite"
	"github.com/vigil-project/vigil/web"
	"github.com/vigil-project/vigil/web/ui"
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
func offlineAlertsServer(t *testing.T) (*e2eServer, *alerts.Service, *storage.DB) {
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
	return srv, svc, db
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
	t.Parallel()
	srv, _, _ := offlineAlertsServer(t)
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
			"Le serveur Vigil est injoignable\u00a0: ceci n’a pas pu être chargé. Ce sera fait quand la connexion reviendra.", "Connexion rétablie le ", "Incident n°\u00a01"},
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

// TestE2EOfflineWork: the connection drops while a responder records an
// alert taken by telephone and while they work on an incident. Nothing
// pretends to succeed and nothing typed is lost: the phone form and the
// incident's note and status buttons say, in the page's language, that
// what was sent may or may not have been saved (the page cannot tell a
// request that never left from an answer lost on the way) and will not be
// recorded twice, and that what was typed is still there; the fields keep
// it, the server has nothing new, and the browser keeps no copy of the
// reporter's number or name (localStorage, caches). When the connection is
// back the same form is sent again: the server's answer is shown and the
// alert, or the note, is stored once, also when an answer was lost on the
// way and it was sent twice (the alert's id, the change's request_id). In English and in French; axe-core finds nothing
// serious on the refused form.
func TestE2EOfflineWork(t *testing.T) {
	t.Parallel()
	srv, _, db := offlineAlertsServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	axe := axeCheck(t, ctx)
	count := func(q string) int {
		t.Helper()
		var n int
		if err := db.SQL.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	status := func() string {
		t.Helper()
		var st string
		if err := db.SQL.QueryRow(`SELECT status FROM alert_incidents WHERE id = 1`).Scan(&st); err != nil {
			t.Fatal(err)
		}
		return st
	}
	type words struct {
		lang, notSaved, back, recorded, saved, message, phone, name, note string
	}
	for _, w := range []words{
		{"en", "Cannot reach the Vigil server: this may or may not have been saved (the connection may have broken before the answer came). What you typed is still here; send it again when the connection is back: it will not be recorded twice.", "Connection back at ",
			`^Alert #\d+ recorded, in incident #\d+\.$`, "Saved.", "Shots heard near the Bunia road", "+243822222222", "Mama Furaha", "Called the CLA back"},
		{"fr", "Le serveur Vigil est injoignable\u00a0: ceci a peut-être été enregistré, ou non (la connexion a pu se couper avant la réponse). Ce que vous avez saisi reste ici\u202f; renvoyez-le quand la connexion sera revenue\u00a0: il ne sera pas enregistré deux fois.", "Connexion rétablie le ",
			"^Alerte n°\u00a0\\d+ enregistrée, dans l’incident n°\u00a0\\d+\\.$", "Enregistré.", "Des coups de feu près de la route de Bunia", "+243833333333", "Papa Jean", "Rappelé l’assistant de liaison"},
	} {
		alerts0 := count(`SELECT COUNT(*) FROM alerts`)
		st0 := status()
		banner := `(document.getElementById('banner').hidden ? '' : document.getElementById('banner').textContent)`
		kept := `document.querySelector('#alerts-phone-message').value === ` + jsq(w.message) + ` && document.querySelector('#alerts-phone-from').value === ` + jsq(w.phone) +
			` && document.querySelector('#alerts-phone-name').value === ` + jsq(w.name)
		runSteps(t, ctx, `document.body.innerText`, []e2eStep{
			{w.lang + ": the phone form online", []chromedp.Action[chromedp.Void]{evalJS(`(localStorage.setItem('vigil.lang', '` + w.lang + `'), true)`), navigate(srv.URL + "/#/alerts"), chromedp.Reload()},
				`document.documentElement.lang === '` + w.lang + `' && document.querySelector('#alerts-phone-channel option')?.textContent === 'Community liaison' && !!document.querySelector('#alerts-list li.alerts-inc')`},
			{w.lang + ": offline, the alert is refused and kept", []chromedp.Action[chromedp.Void]{goOffline(ctx, true), click(css(`#alerts-phone summary`)),
				chromedp.SetValue(css(`#alerts-phone-message`), w.message), chromedp.SendKeys(css(`#alerts-phone-from`), w.phone), chromedp.SendKeys(css(`#alerts-phone-name`), w.name),
				click(css(`#alerts-phone-submit`))},
				`document.querySelector('#alerts-phone-say')?.textContent === ` + jsq(w.notSaved) + ` && ` + kept},
		})
		axe(w.lang + " phone form refused offline")
		if n := count(`SELECT COUNT(*) FROM alerts`); n != alerts0 {
			t.Errorf("%s: %d alerts stored while offline, want %d", w.lang, n, alerts0)
		}
		stored, err := jsAwait[string](ctx, `(async () => {
  let s = JSON.stringify(localStorage);
  for (const k of await caches.keys()) for (const r of await (await caches.open(k)).keys()) s += r.url + await (await (await caches.open(k)).match(r)).text();
  return s;
})()`)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{w.phone, w.name, w.message} {
			if strings.Contains(stored, p) {
				t.Errorf("%s: the browser keeps %q (localStorage or caches)", w.lang, p)
			}
		}
		runSteps(t, ctx, `document.body.innerText`, []e2eStep{
			{w.lang + ": back online, still there", []chromedp.Action[chromedp.Void]{goOffline(ctx, false)}, banner + `.startsWith(` + jsq(w.back) + `) && ` + kept},
			// The connection breaks again after the alert reached the server,
			// before its answer came: the page cannot know it was saved and
			// keeps the form; sent again, the same id is sent (idempotent).
			{w.lang + ": the answer lost, the form kept", []chromedp.Action[chromedp.Void]{evalJS(`(() => { const f = window.fetch; window.fetch = async (u, o) => { window.fetch = f; await f(u, o); throw new TypeError('Failed to fetch'); }; return true; })()`),
				click(css(`#alerts-phone-submit`))},
				`document.querySelector('#alerts-phone-say')?.textContent === ` + jsq(w.notSaved) + ` && ` + kept},
			{w.lang + ": sent again, the server's answer shown", []chromedp.Action[chromedp.Void]{click(css(`#alerts-phone-submit`))},
				`new RegExp(` + jsq(w.recorded) + `).test(document.querySelector('#alerts-phone-say')?.textContent) && document.querySelector('#alerts-phone-message').value === ''`},
		})
		if n := count(`SELECT COUNT(*) FROM alerts`); n != alerts0+1 {
			t.Errorf("%s: %d alerts after sending again, want %d (stored once)", w.lang, n, alerts0+1)
		}
		// The incident: a note and a change of status, offline.
		runSteps(t, ctx, `document.body.innerText`, []e2eStep{
			{w.lang + ": the incident online", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/alerts/incident/1")},
				`document.querySelector('#alerts-inc-title')?.textContent.startsWith('#1 ') && !!document.querySelector('#alerts-note') && !!document.querySelector('[id^=alerts-to-]')`},
			{w.lang + ": offline, the note is refused and kept", []chromedp.Action[chromedp.Void]{goOffline(ctx, true), chromedp.SendKeys(css(`#alerts-note`), w.note), click(css(`#alerts-save`))},
				`document.querySelector('#alerts-say')?.textContent === ` + jsq(w.notSaved) + ` && document.querySelector('#alerts-note').value === ` + jsq(w.note)},
			{w.lang + ": offline, the status change is refused", []chromedp.Action[chromedp.Void]{evalJS(`(document.querySelector('#alerts-say').textContent = '', document.querySelector('[id^=alerts-to-]').click(), true)`)},
				`document.querySelector('#alerts-say')?.textContent === ` + jsq(w.notSaved) + ` && document.querySelector('#alerts-note').value === ` + jsq(w.note)},
		})
		axe(w.lang + " incident refused offline")
		if st := status(); st != st0 {
			t.Errorf("%s: status %s after a change refused offline, want %s", w.lang, st, st0)
		}
		runSteps(t, ctx, `document.body.innerText`, []e2eStep{
			{w.lang + ": back online, the note still there", []chromedp.Action[chromedp.Void]{goOffline(ctx, false)},
				banner + `.startsWith(` + jsq(w.back) + `) && document.querySelector('#alerts-note').value === ` + jsq(w.note)},
			// The connection breaks after the note reached the server,
			// before its answer came: the page says it may have been saved
			// and keeps it; sent again (the same request_id), it is stored
			// once.
			{w.lang + ": the note's answer lost, the note kept", []chromedp.Action[chromedp.Void]{evalJS(`(() => { const f = window.fetch; window.fetch = async (u, o) => { window.fetch = f; await f(u, o); throw new TypeError('Failed to fetch'); }; return true; })()`),
				click(css(`#alerts-save`))},
				`document.querySelector('#alerts-say')?.textContent === ` + jsq(w.notSaved) + ` && document.querySelector('#alerts-note').value === ` + jsq(w.note)},
			{w.lang + ": saved again, the server's answer shown", []chromedp.Action[chromedp.Void]{click(css(`#alerts-save`))},
				`document.querySelector('#alerts-say')?.textContent === ` + jsq(w.saved) + ` && document.querySelector('.alerts-timeline').textContent.includes(` + jsq(w.note) + `)`},
		})
		if n := count(`SELECT COUNT(*) FROM alert_log WHERE incident_id = 1 AND kind = 'note' AND text = '` + strings.ReplaceAll(w.note, "'", "''") + `'`); n != 1 {
			t.Errorf("%s: the note is %d times in the timeline, want once (sent twice, its first answer lost)", w.lang, n)
		}
	}
}

// TestE2EOfflineProxy: Vigil behind a proxy (TLS, a field office's
// gateway) that answers 502 Bad Gateway with its own HTML page while Vigil
// is down. That is the server unreachable, as a dropped link is: the app
// opens from the service worker's copy instead of the proxy's page, the
// banner says since when the server cannot be reached (not « the server
// failed »), a phone alert is refused and kept, and reloaded, the Alerts
// queue says it could not be loaded; when Vigil answers again the banner
// says the connection is back and the page loads. In English and in French, axe clean.
func TestE2EOfflineProxy(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	db, svc := web.OpenAlertsTestStore(t, t.TempDir(), sqlite.Options{})
	// While Vigil is down the page asks /healthz every 200 ms, not 10 s:
	// each « Vigil answers again » step waited for that next question.
	s := &web.Server{DB: db, Alerts: svc, PageEvery: ui.Intervals{HealthMS: 200}}
	h := s.Handler()
	down := new(atomic.Bool)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			io.WriteString(w, "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>")
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	srv := &e2eServer{URL: ts.URL, User: "rex.e2e", Password: "correct horse battery"}
	if _, err := s.Auth.CreateUser(ctx0, "test", srv.User, auth.Responder, srv.Password); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.NewChannel(ctx0, "test", alerts.Web, "Community liaison", "", ""); err != nil {
		t.Fatal(err)
	}
	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	axe := axeCheck(t, ctx)
	if err := poll(ctx, `!!navigator.serviceWorker.controller`, stepWait); err != nil {
		t.Fatalf("the service worker never controlled the page: %v", err)
	}
	banner := `(document.getElementById('banner').hidden ? '' : document.getElementById('banner').textContent)`
	for _, w := range []struct{ lang, since, notLoaded, notSaved, back, recorded string }{
		{"en", "Offline since ", "Cannot reach the Vigil server: this could not be loaded. It will be when the connection is back.",
			"Cannot reach the Vigil server: this may or may not have been saved (the connection may have broken before the answer came). What you typed is still here; send it again when the connection is back: it will not be recorded twice.", "Connection back at ",
			`^Alert #\d+ recorded, in incident #\d+\.$`},
		{"fr", "Hors ligne depuis le ", "Le serveur Vigil est injoignable\u00a0: ceci n’a pas pu être chargé. Ce sera fait quand la connexion reviendra.",
			"Le serveur Vigil est injoignable\u00a0: ceci a peut-être été enregistré, ou non (la connexion a pu se couper avant la réponse). Ce que vous avez saisi reste ici\u202f; renvoyez-le quand la connexion sera revenue\u00a0: il ne sera pas enregistré deux fois.", "Connexion rétablie le ",
			"^Alerte n°\u00a0\\d+ enregistrée, dans l’incident n°\u00a0\\d+\\.$"},
	} {
		runSteps(t, ctx, `document.body.innerText`, []e2eStep{
			{w.lang + ": the queue online", []chromedp.Action[chromedp.Void]{evalJS(`(localStorage.setItem('vigil.lang', '` + w.lang + `'), true)`), navigate(srv.URL + "/#/alerts"), chromedp.Reload()},
				`document.documentElement.lang === '` + w.lang + `' && document.querySelector('#alerts-phone-channel option')?.textContent === 'Community liaison' && !!navigator.serviceWorker.controller`},
			{w.lang + ": the proxy answers 502: a phone alert is refused and kept", []chromedp.Action[chromedp.Void]{click(css(`#alerts-phone summary`)),
				chromedp.SetValue(css(`#alerts-phone-message`), "Shots near the market"),
				chromedp.Func(func(context.Context, *chromedp.Target) error { down.Store(true); return nil }), click(css(`#alerts-phone-submit`))},
				`document.querySelector('#alerts-phone-say')?.textContent === ` + jsq(w.notSaved) + ` && document.querySelector('#alerts-phone-message').value === 'Shots near the market' && ` + banner + `.startsWith(` + jsq(w.since) + `)`},
			{w.lang + ": reloaded, the app opens and says the server cannot be reached", []chromedp.Action[chromedp.Void]{chromedp.Reload()},
				`!!document.querySelector('#alerts-phone') && document.querySelector('#alerts-list #alerts-failed')?.textContent === ` + jsq(w.notLoaded) + ` && ` + banner + `.startsWith(` + jsq(w.since) + `) && !document.body.innerText.includes('Bad Gateway')`},
		})
		axe(w.lang + " behind a proxy whose Vigil is down")
		runSteps(t, ctx, `document.body.innerText`, []e2eStep{
			{w.lang + ": Vigil answers again", []chromedp.Action[chromedp.Void]{chromedp.Func(func(context.Context, *chromedp.Target) error { down.Store(false); return nil })},
				banner + `.startsWith(` + jsq(w.back) + `) && !!document.querySelector('#alerts-phone-channel option') && !document.querySelector('#alerts-failed')`},
		})
		// Typed into the form opened while Vigil was down: the page is not
		// reopened over it, and its channels come when Vigil answers, so the
		// alert can be sent.
		runSteps(t, ctx, `document.body.innerText`, []e2eStep{
			{w.lang + ": reopened while down, an alert typed", []chromedp.Action[chromedp.Void]{chromedp.Func(func(context.Context, *chromedp.Target) error { down.Store(true); return nil }), chromedp.Reload(),
				chromedp.WaitVisible(css(`#alerts-phone`)), click(css(`#alerts-phone summary`)), chromedp.SendKeys(css(`#alerts-phone-message`), "Shots near the school")},
				`document.querySelector('#alerts-phone-say')?.textContent === ` + jsq(w.notLoaded) + ` && !document.querySelector('#alerts-phone-channel option') && document.querySelector('#alerts-phone-message').value === 'Shots near the school'`},
			{w.lang + ": Vigil back, the typed alert kept and its channel there", []chromedp.Action[chromedp.Void]{chromedp.Func(func(context.Context, *chromedp.Target) error { down.Store(false); return nil })},
				banner + `.startsWith(` + jsq(w.back) + `) && document.querySelector('#alerts-phone-message').value === 'Shots near the school' && document.querySelector('#alerts-phone-channel option')?.textContent === 'Community liaison' && document.querySelector('#alerts-phone-say').textContent === ''`},
			{w.lang + ": sent", []chromedp.Action[chromedp.Void]{click(css(`#alerts-phone-submit`))},
				`new RegExp(` + jsq(w.recorded) + `).test(document.querySelector('#alerts-phone-say')?.textContent)`},
		})
		down.Store(false)
	}
}

// firstFrameJS watches for a new element matching sel (a redrawn page's)
// and keeps, in window.vigilFirstFrame, its value in the first frame
// painted with it.
func firstFrameJS(sel string) string {
	return `(() => {
		const sel = ` + strconv.Quote(sel) + `;
		const old = document.querySelector(sel);
		window.vigilFirstFrame = undefined;
		const mo = new MutationObserver(() => {
			const f = document.querySelector(sel);
			if (!f || f === old) return;
			mo.disconnect();
			requestAnimationFrame(() => { window.vigilFirstFrame = f.value; });
		});
		mo.observe(document.body, { childList: true, subtree: true });
		return true;
	})()`
}

// TestE2EAlertsLanguageKeepsTyped: switching the language redraws the
// Alerts page; what was typed is not lost with it. A phone alert half
// written (message, number, place) in English is still in its open form in
// French; a note typed on an incident in French is still there in English.
// axe clean.
func TestE2EAlertsLanguageKeepsTyped(t *testing.T) {
	t.Parallel()
	srv, _, _ := offlineAlertsServer(t)
	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	axe := axeCheck(t, ctx)
	kept := `document.querySelector('#alerts-phone').open && document.querySelector('#alerts-phone-message').value === 'Shots near the school' && document.querySelector('#alerts-phone-from').value === '+243844444444' && document.querySelector('#alerts-phone-place').value === 'Djugu'`
	runSteps(t, ctx, `document.body.innerText`, []e2eStep{
		{"the English queue", []chromedp.Action[chromedp.Void]{evalJS(`(localStorage.setItem('vigil.lang', 'en'), true)`), navigate(srv.URL + "/#/alerts"), chromedp.Reload()},
			`document.documentElement.lang === 'en' && document.querySelector('#alerts-phone-channel option')?.textContent === 'Community liaison' && !!document.querySelector('#alerts-list li.alerts-inc')`},
		{"a phone alert half typed", []chromedp.Action[chromedp.Void]{click(css(`#alerts-phone summary`)), chromedp.SendKeys(css(`#alerts-phone-message`), "Shots near the school"),
			chromedp.SendKeys(css(`#alerts-phone-from`), "+243844444444"), chromedp.SendKeys(css(`#alerts-phone-place`), "Djugu")}, kept},
		{"in French, still there", []chromedp.Action[chromedp.Void]{evalJS(firstFrameJS("#alerts-phone-message")), setLangJS("fr")},
			`document.querySelector('#alerts-phone summary')?.textContent === 'Enregistrer une alerte reçue par téléphone' && !!document.querySelector('#alerts-list li.alerts-inc') && ` + kept},
		{"in the first frame drawn", nil, `window.vigilFirstFrame === 'Shots near the school'`},
	})
	axe("fr queue after the switch")
	runSteps(t, ctx, `document.body.innerText`, []e2eStep{
		{"the French incident", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/alerts/incident/1")},
			`document.querySelector('#alerts-inc-title')?.textContent.startsWith('#1 ') && !!document.querySelector('#alerts-note')`},
		{"a note typed", []chromedp.Action[chromedp.Void]{chromedp.SendKeys(css(`#alerts-note`), "Rappelé l’assistant de liaison")},
			`document.querySelector('#alerts-note').value === 'Rappelé l’assistant de liaison'`},
		// Put back as the redrawn page is drawn: the first frame painted
		// with the new field shows the note (a poll every 100 ms put it
		// back frames later, the field seen empty meanwhile).
		{"in English, still there", []chromedp.Action[chromedp.Void]{evalJS(firstFrameJS("#alerts-note")), setLangJS("en")},
			`document.querySelector('#alerts-save')?.textContent === 'Save' && document.querySelector('#alerts-note').value === 'Rappelé l’assistant de liaison' && window.vigilFirstFrame !== undefined`},
		{"in the first frame drawn", nil, `window.vigilFirstFrame === 'Rappelé l’assistant de liaison'`},
	})
	axe("en incident after the switch")
}
