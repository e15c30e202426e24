package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/alerts/alertstest"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/storage/sqlite"
	"github.com/vigil-project/vigil/web"
)

// TestE2EAlertNotices: Administration → Escalation notices shows an admin
// the escalation notice given up after its nine tries (what it was about,
// its incident, the webhook's last answer) in English and French; on a
// server without a webhook it says so above the list and offers no retry;
// « Réessayer maintenant » posts it, says so, and the list is empty (its
// empty state; without a webhook, the warning that escalations notify
// nobody). axe-core finds nothing. Before, a notice given up was
// only logged: no screen showed it.
func TestE2EAlertNotices(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	db, svc := web.OpenAlertsTestStore(t, t.TempDir(), sqlite.Options{})
	now := time.Now().UTC().Add(-3 * 24 * time.Hour)
	svc.Now = func() time.Time { return now }
	hook := alertstest.RefusingHook(t, svc, http.StatusServiceUnavailable)
	alertstest.GiveUpNotice(t, svc, map[string]any{"type": "vigil.incident.overdue", "incident_id": 42}, &now)
	// The same database served with the webhook (svc) and without one
	// (bare), one login for both.
	s := &web.Server{DB: db, Alerts: svc}
	withHook := s.Handler()
	bare := alerts.NewService(db, svc.Keys)
	noHook := (&web.Server{DB: db, Alerts: bare, Auth: s.Auth}).Handler()
	var hookless atomic.Bool
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hookless.Load() {
			noHook.ServeHTTP(w, r)
			return
		}
		withHook.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	srv := &e2eServer{URL: ts.URL, User: "ada.e2e", Password: "correct horse battery"}
	if _, err := s.Auth.CreateUser(ctx0, "test", srv.User, auth.Admin, srv.Password); err != nil {
		t.Fatal(err)
	}
	ctx, _ := loggedInBrowser(t, srv, 1366, 900)
	axe := axeCheck(t, ctx)
	row := `document.querySelector('#admin-notices tr[data-state]')`
	for _, c := range []struct{ lang, tab, state, failure, link string }{
		{"en", "Escalation notices", "Given up", "the webhook answered HTTP 503", "incident 42"},
		{"fr", "Avis de remontée", "Abandonné", "le webhook a répondu HTTP 503", "incident 42"},
	} {
		if err := openIn(ctx, srv.URL+"/#/admin?tab=notices", c.lang); err != nil {
			t.Fatal(err)
		}
		cond := `document.documentElement.lang === '` + c.lang + `' && document.getElementById('admin-tab-notices')?.textContent === ` + jsString(c.tab) +
			` && ` + row + `?.textContent.includes(` + jsString(c.state) + `) && ` + row + `.textContent.includes(` + jsString(c.failure) + `)` +
			` && ` + row + `.querySelector('a[href="#/alerts/incident/42"]')?.textContent === ` + jsString(c.link)
		if err := poll(ctx, cond, stepWait); err != nil {
			got, _ := js[string](ctx, `document.getElementById('admin-body')?.innerText || '(no page)'`)
			t.Fatalf("%s: the notices tab: %q: %v", c.lang, got, err)
		}
		axe("escalation notices, " + c.lang)
	}

	// Without a webhook: said above the list, no retry.
	hookless.Store(true)
	if err := openIn(ctx, srv.URL+"/#/admin?tab=notices", "fr"); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.getElementById('admin-notices-nohook')?.textContent.startsWith('Aucun webhook de remontée n’est défini') && `+row+`?.querySelector('button').disabled`, stepWait); err != nil {
		got, _ := js[string](ctx, `document.getElementById('admin-body')?.innerText || '(no page)'`)
		t.Fatalf("without a webhook: %q: %v", got, err)
	}
	axe("escalation notices without a webhook")

	// With it again, the webhook back: tried again now, sent.
	hookless.Store(false)
	hook.Status.Store(0)
	if err := openIn(ctx, srv.URL+"/#/admin?tab=notices", "fr"); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, row+`?.querySelector('button')?.textContent === 'Réessayer maintenant' && !`+row+`.querySelector('button').disabled`, stepWait); err != nil {
		t.Fatalf("the retry button: %v", err)
	}
	id, err := js[string](ctx, row+`.dataset.notice`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := js[bool](ctx, `(`+row+`.querySelector('button').click(), true)`); err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(id)
	want := "Avis " + strconv.Itoa(n) + " envoyé au webhook de remontée."
	if err := poll(ctx, `(document.querySelector('#admin-body .notice.ok')?.textContent === `+jsString(want)+`) && document.querySelector('#admin-body .empty-title')?.textContent === 'Tous les avis de remontée ont été envoyés'`, stepWait); err != nil {
		got, _ := js[string](ctx, `document.getElementById('admin-body')?.innerText || '(no page)'`)
		t.Fatalf("after the retry: %q, want %q and the empty state: %v", got, want, err)
	}
	if p := hook.Posts.Load(); p != alerts.NoticeTries+1 {
		t.Errorf("the webhook was posted %d times, want %d", p, alerts.NoticeTries+1)
	}
	axe("escalation notices, empty")

	// Nothing waits and no webhook: escalations notify nobody, said so.
	hookless.Store(true)
	if err := openIn(ctx, srv.URL+"/#/admin?tab=notices", "fr"); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.getElementById('admin-notices-nohook')?.textContent.endsWith('mais personne n’en est informé en dehors de Vigil.') && !!document.querySelector('#admin-body .empty-title')`, stepWait); err != nil {
		got, _ := js[string](ctx, `document.getElementById('admin-body')?.innerText || '(no page)'`)
		t.Fatalf("empty, without a webhook: %q: %v", got, err)
	}

	// Set in the page, on this server without the flag: in force (said so,
	// the warning gone), and a test notice reaches it.
	if err := do(ctx, chromedp.SendKeys(css("#admin-hook-url"), svc.EscalationURL+"/hook?token=SECRET"), click(css(`#admin-hook-form button[type=submit]`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.getElementById('admin-hook-state')?.dataset.source === 'here' && !document.getElementById('admin-notices-nohook') && !document.getElementById('admin-body').textContent.includes('SECRET')`, stepWait); err != nil {
		got, _ := js[string](ctx, `document.getElementById('admin-body')?.innerText || '(no page)'`)
		t.Fatalf("webhook set in the page: %q: %v", got, err)
	}
	if err := do(ctx, click(css("#admin-hook-test"))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('#admin-body .notice.ok')?.textContent.startsWith('Avis de test reçu') && document.querySelector('#admin-body .notice.ok').textContent.endsWith('HTTP 200.')`, stepWait); err != nil {
		got, _ := js[string](ctx, `document.getElementById('admin-body')?.innerText || '(no page)'`)
		t.Fatalf("test notice: %q: %v", got, err)
	}
	axe("escalation webhook set here")
}

// TestE2EIncidentUndeliveredNotice: an incident whose overdue notice was
// given up after its nine tries says so on its page, in English and
// French (« Avis de remontée non remis : 9 essais échoués »), with, for an
// admin, the link to Administration → Escalation notices; never the
// webhook's URL. axe-core finds nothing. Before, only the Administration
// tab listed it: the incident's analysts were not told leadership was not.
func TestE2EIncidentUndeliveredNotice(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	db, svc := web.OpenAlertsTestStore(t, t.TempDir(), sqlite.Options{})
	now := time.Now().UTC().Add(-3 * 24 * time.Hour)
	svc.Now = func() time.Time { return now }
	ch, err := svc.NewChannel(ctx0, "test", alerts.SMSSync, "Djugu phone", "s3cret-gw", "")
	if err != nil {
		t.Fatal(err)
	}
	a, err := svc.Receive(ctx0, ch, alerts.Inbound{GatewayID: "m-1", From: "+243812345678", Message: "Armed men at 1.5625, 30.2484"})
	if err != nil {
		t.Fatal(err)
	}
	alertstest.RefusingHook(t, svc, http.StatusServiceUnavailable)
	alertstest.GiveUpNotice(t, svc, map[string]any{"type": "vigil.incident.overdue", "incident_id": a.IncidentID}, &now)
	srv := serveE2E(t, &web.Server{DB: db, Alerts: svc}, "ada.e2e", auth.Admin)
	ctx, _ := loggedInBrowser(t, srv, 1366, 900)
	axe := axeCheck(t, ctx)
	line := `document.querySelector('.alerts-notice[data-state="given_up"]')`
	for _, c := range []struct{ lang, says, link string }{
		{"en", "Escalation notice not delivered: 9 failed tries; the server no longer tries.", "Escalation notices (Administration)"},
		{"fr", "Avis de remontée non remis\u00a0: 9 essais échoués\u202f; le serveur ne réessaie plus.", "Avis de remontée (Administration)"},
	} {
		if err := openIn(ctx, srv.URL+"/#/alerts/incident/"+strconv.FormatInt(a.IncidentID, 10), c.lang); err != nil {
			t.Fatal(err)
		}
		cond := `document.documentElement.lang === '` + c.lang + `' && ` + line + `?.textContent.startsWith(` + jsString(c.says) + `)` +
			` && ` + line + `.querySelector('a[href="#/admin?tab=notices"]')?.textContent === ` + jsString(c.link) +
			` && !document.querySelector('main').innerText.includes(` + jsString(svc.EscalationURL) + `)`
		if err := poll(ctx, cond, stepWait); err != nil {
			got, _ := js[string](ctx, `document.querySelector('main')?.innerText || '(no page)'`)
			t.Fatalf("%s: the incident's page: %q: %v", c.lang, got, err)
		}
		axe("incident with an undelivered notice, " + c.lang)
	}
}
