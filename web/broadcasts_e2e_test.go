package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/radio"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/web"
)

// alertsContactsServer is the server the broadcast, gateway and tipline
// browser tests start from: a fresh store with its alert and contacts
// services (contacts send through the store's channels) and a quiet log,
// and the store.
func alertsContactsServer(t *testing.T) (*web.Server, *storage.DB) {
	t.Helper()
	db, keys := web.OpenTestStoreAt(t, t.TempDir())
	cs := contacts.NewService(db, keys)
	cs.Channels = db
	return &web.Server{DB: db, Log: web.QuietLog(), Alerts: alerts.NewService(db, keys), Contacts: cs}, db
}

// TestE2EBroadcasts: an analyst, in the browser, sends a broadcast to each
// kind of audience (a group, everyone near a place named in the
// gazetteer, everyone in an admin area, everyone in grid cells), schedules
// one for later to a group nobody is in yet (kept, and the list says so),
// and sees each one's reach in the list, with its radio
// script links; choosing an audience shows only its fields; the page is
// axe clean in English and French. The browser is on Kinshasa's time
// (UTC+1): the time to send at is typed in UTC, as the field says and the
// list shows it (it was read as the browser's time: 14:00 typed was stored
// and listed as 13:00 UTC).
func TestE2EBroadcasts(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	s, db := alertsContactsServer(t)
	al, cs := s.Alerts, s.Contacts
	cs.Places = testutil.Places{G: testutil.Gazetteer(t, "name,lat,lon,admin1_name,kind,population\n"+
		"Bunia,1.566,30.252,Ituri,town,900000\nIturi,1.5,29.5,Ituri,admin1,0\nGoma,-1.679,29.228,Nord-Kivu,town,700000\n")}
	s.Radio = &radio.Service{Broadcasts: cs}
	srv := serveE2E(t, s, "analyst.e2e", auth.Analyst)
	gwch, err := al.NewChannel(ctx0, "test", alerts.SMSSync, "Bunia phone", "s-secret", "")
	if err != nil {
		t.Fatal(err)
	}
	chID := gwch.ID
	fp := func(f float64) *float64 { return &f }
	rows := []contacts.Row{
		{Where: "c.csv:2", Input: contacts.Input{Phone: "+243830000001", Language: "fr", Groups: []string{"can"}, Lat: fp(1.56), Lon: fp(30.25), ConsentHow: "verbal"}},
		{Where: "c.csv:3", Input: contacts.Input{Phone: "+243830000002", Language: "en", Groups: []string{"can"}, Lat: fp(1.60), Lon: fp(30.30), ConsentHow: "verbal"}},
		{Where: "c.csv:4", Input: contacts.Input{Phone: "+243830000003", Language: "sw", Groups: []string{"radio"}, Lat: fp(-1.67), Lon: fp(29.23), ConsentHow: "verbal"}},
	}
	if _, err := cs.Import(ctx0, "test", rows); err != nil {
		t.Fatal(err)
	}
	cell, _ := grid.PrioGID(1.56, 30.25)

	ctx, _ := loggedInBrowser(t, srv, 1280, 900)
	inTimeZone(t, ctx, "Africa/Kinshasa")
	if err := do(ctx, navigate(srv.URL+"/#/contacts")); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('#broadcast-form') && document.querySelectorAll('#contacts-list tbody tr').length === 3`, stepWait); err != nil {
		t.Fatal(err)
	}
	// Contacts' languages are named in the page's language, not by code.
	const langs = `[...document.querySelectorAll('#contacts-list tbody tr')].map((r) => r.children[2].textContent).sort().join(', ')`
	if got, err := js[string](ctx, langs); err != nil || got != "English, French, Swahili" {
		t.Errorf("contacts' languages %q (%v), want English, French, Swahili", got, err)
	}
	// The gateway is named with its kind in words, not its code.
	const gw = `document.querySelector('#broadcast-gateway option')?.textContent || ''`
	if got, err := js[string](ctx, gw); err != nil || got != "Bunia phone — SMS (SMSSync phone), 1 message/s" {
		t.Errorf("gateway option %q (%v)", got, err)
	}
	// Choosing an audience shows its fields only.
	if _, err := js[bool](ctx, `(() => { const s = document.querySelector('#broadcast-mode'); s.value = 'admin'; s.dispatchEvent(new Event('change')); return true; })()`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!document.querySelector('#broadcast-admin').closest('.field').hidden && document.querySelector('#broadcast-group').closest('.field').hidden && document.querySelector('#broadcast-place').closest('.field').hidden`, stepWait); err != nil {
		t.Fatalf("audience fields: %v", err)
	}
	if got, err := text(ctx, `#broadcast-at legend`); err != nil || got != "Send at (UTC)" {
		t.Errorf("time field's name %q (%v), want Send at (UTC)", got, err)
	}
	at := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Hour).Add(14 * time.Minute) // in UTC
	future := at.Format("2006-01-02T15:04")
	steps := []struct {
		what, mode string
		act        []chromedp.Action[chromedp.Void]
		want       string // the newest broadcast's line
	}{
		{"group", "group", []chromedp.Action[chromedp.Void]{chromedp.SetValue(css(`#broadcast-group`), "can")}, "Group can — 2 queued"},
		{"near a place", "area", []chromedp.Action[chromedp.Void]{chromedp.SetValue(css(`#broadcast-place`), "Goma"), chromedp.SetValue(css(`#broadcast-radius`), "10")}, "10 km around Goma — 1 queued"},
		{"admin area", "admin", []chromedp.Action[chromedp.Void]{chromedp.SetValue(css(`#broadcast-admin`), "ituri")}, "Everyone in Ituri — 2 queued"},
		{"cells", "cells", []chromedp.Action[chromedp.Void]{chromedp.SetValue(css(`#broadcast-cells`), fmt.Sprint(cell))}, "Everyone in 1 grid cell around Bunia — 2 queued"},
		// Scheduled to a group nobody is in yet: kept, and said so.
		{"scheduled", "group", []chromedp.Action[chromedp.Void]{chromedp.SetValue(css(`#broadcast-group`), "later"), chromedp.SetValue(css(`#broadcast-at`), future)}, "Group later — Scheduled for"},
	}
	for i, st := range steps {
		if _, err := js[bool](ctx, fmt.Sprintf(`(() => { const s = document.querySelector('#broadcast-mode'); s.value = %q; s.dispatchEvent(new Event('change')); return true; })()`, st.mode)); err != nil {
			t.Fatal(err)
		}
		act := append(st.act, chromedp.SetValue(css(`#broadcast-text-fr`), "Réunion demain"), chromedp.SetValue(css(`#broadcast-text-en`), "Meeting tomorrow"),
			click(css(`#broadcast-form button[type=submit]`)))
		if err := do(ctx, act...); err != nil {
			t.Fatalf("%s: %v", st.what, err)
		}
		want := fmt.Sprintf(`document.querySelectorAll('#broadcast-list li').length === %d && document.querySelector('#broadcast-list li').textContent.startsWith(%q)`, i+1, st.want)
		if err := poll(ctx, want, stepWait); err != nil {
			body, _ := js[string](ctx, `(document.querySelector('#broadcast-msg')?.textContent || '') + '\n' + (document.querySelector('#broadcast-list')?.innerText || '')`)
			t.Fatalf("%s: %v\n%s", st.what, err, body)
		}
	}
	// A scheduled broadcast's time is a date and time in the page's
	// language ("7 Dec 2026, 14:31 UTC"), not ISO text.
	const reach = `(document.querySelector('#broadcast-list li .reach')?.textContent || '')`
	if ok, err := js[bool](ctx, `/^Scheduled for \d{1,2} [A-Z][a-z]{2,3} \d{4}, \d\d:\d\d UTC\. Nobody is in this audience now: it is counted when it is sent\.$/.test(`+reach+`)`); err != nil || !ok {
		got, _ := js[string](ctx, reach)
		t.Errorf("scheduled broadcast %q (%v), want Scheduled for D Mon YYYY, HH:MM UTC. Nobody is in this audience now…", got, err)
	}
	if got, err := js[string](ctx, reach); err != nil || !strings.Contains(got, at.Format(", 15:04 UTC.")) {
		t.Errorf("scheduled broadcast %q (%v), want the time typed, %s UTC", got, err, at.Format("15:04"))
	}
	// A queued broadcast says when it was queued and that nothing is sent
	// yet, in the page's language (it said "sent" with the time it was
	// queued). After the gateway takes one of its messages, it is sending,
	// with that message's time; once none waits, it says when the last went.
	const when = `[...document.querySelectorAll('#broadcast-list li')].map((li) => li.querySelector('.when')?.textContent || '-').join('|')`
	whenIs := func(lang, re, want string) {
		t.Helper()
		if ok, err := js[bool](ctx, re+`.test(`+when+`)`); err != nil || !ok {
			got, _ := js[string](ctx, when)
			t.Errorf("%s: broadcasts' times %q (%v), want %s", lang, got, err, want)
		}
	}
	whenIs("en", `/^-(\|queued \d{1,2} [A-Z][a-z]{2,3} \d{4}, \d\d:\d\d UTC, not sent yet){4}$/`, "- then 4 × queued D Mon YYYY, HH:MM UTC, not sent yet")
	sentAt := func(t0 time.Time, n int) {
		t.Helper()
		out, err := al.Outbox(ctx0, chID)
		if err != nil || len(out) < n {
			t.Fatalf("outbox: %d messages (%v)", len(out), err)
		}
		var uuids []string
		for _, m := range out[:n] {
			uuids = append(uuids, m.UUID)
		}
		if _, err := db.MarkOutgoingSent(ctx0, chID, uuids, t0); err != nil {
			t.Fatal(err)
		}
		if err := do(ctx, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		if err := poll(ctx, `document.querySelectorAll('#broadcast-list li').length === 5`, stepWait); err != nil {
			t.Fatalf("list after a reload: %v", err)
		}
	}
	// The oldest message (of the first broadcast, "Group can", 2 messages) taken by the gateway.
	t1 := time.Now().UTC().Add(time.Hour).Truncate(time.Minute)
	t2 := t1.Add(47 * time.Minute)
	sentAt(t1, 1)
	whenIs("en", `/^-(\|queued [^|]+, not sent yet){3}\|queued \d{1,2} [A-Z][a-z]{2,3} \d{4}, \d\d:\d\d UTC, sending: last message sent \d{1,2} [A-Z][a-z]{2,3} \d{4}, `+t1.Format("15:04")+` UTC$/`,
		"- then 3 × queued, not sent yet, then queued …, sending: last message sent … "+t1.Format("15:04")+" UTC")
	if n, err := js[int](ctx, `document.querySelectorAll('#broadcast-list li a[href*="/script?lang="]').length`); err != nil || n != 10 {
		t.Fatalf("radio script links: %d %v", n, err)
	}
	// No fact-check published on this server: the radio-script section says so.
	if err := poll(ctx, `document.querySelector('#factcheck-scripts-h') && /No fact-check published/.test(document.querySelector('#factcheck-scripts-h').parentElement.textContent)`, stepWait); err != nil {
		t.Fatalf("fact-check scripts section: %v", err)
	}
	axe := axeCheck(t, ctx)
	axe("contacts en")
	if _, err := js[bool](ctx, `(Vigil.setLang('fr'), true)`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('#broadcast-list li').textContent.startsWith('Groupe later') || document.querySelector('#broadcast-list li .reach')?.textContent.startsWith('Programmé')`, stepWait); err != nil {
		body, _ := js[string](ctx, `document.querySelector('#broadcast-list')?.innerText || ''`)
		t.Fatalf("not in French: %v\n%s", err, body)
	}
	if ok, err := js[bool](ctx, `/^Programmée pour le \d{1,2} \S+ \d{4}\D+\d\d:\d\d UTC\. Personne n’est dans ce public pour l’instant\u00a0: il sera compté au moment de l’envoi\.$/.test(`+reach+`)`); err != nil || !ok {
		got, _ := js[string](ctx, reach)
		t.Errorf("scheduled broadcast in French %q (%v), want Programmée pour le D mois AAAA, HH:MM UTC. Personne n’est dans ce public…", got, err)
	}
	whenIs("fr", `/^-(\|mise en file d’attente le \d{1,2} \S+ \d{4}\D+\d\d:\d\d UTC, pas encore envoyée){3}\|mise en file d’attente le [^|]+ UTC, envoi en cours\u00a0: dernier message envoyé le \d{1,2} \S+ \d{4}\D+`+t1.Format("15:04")+` UTC$/`,
		"- then 3 × mise en file d’attente le …, pas encore envoyée, then … envoi en cours\u00a0: dernier message envoyé le … "+t1.Format("15:04")+" UTC")
	if got, err := js[string](ctx, langs); err != nil || got != "Anglais, Français, Swahili" {
		t.Errorf("contacts' languages in French %q (%v), want Anglais, Français, Swahili", got, err)
	}
	if got, err := js[string](ctx, gw); err != nil || got != "Bunia phone — SMS (téléphone SMSSync), 1 message/s" {
		t.Errorf("gateway option in French %q (%v)", got, err)
	}
	axe("contacts fr")
	// Every message taken: each broadcast says when its last one went.
	sentAt(t2, 6)
	whenIs("fr", `/^-(\|envoyée le \d{1,2} \S+ \d{4}\D+`+t2.Format("15:04")+` UTC){4}$/`, "- then 4 × envoyée le D mois AAAA, "+t2.Format("15:04")+" UTC")
	if _, err := js[bool](ctx, `(Vigil.setLang('en'), true)`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `document.querySelector('#broadcast-list li').textContent.startsWith('Group later')`, stepWait); err != nil {
		t.Fatalf("not back in English: %v", err)
	}
	whenIs("en", `/^-(\|sent \d{1,2} [A-Z][a-z]{2,3} \d{4}, `+t2.Format("15:04")+` UTC){4}$/`, "- then 4 × sent D Mon YYYY, "+t2.Format("15:04")+" UTC")
	bs, err := cs.ListBroadcasts(ctx0, 10)
	if err != nil || len(bs) != 5 || bs[0].QueuedAt != nil || bs[1].Reach.Queued != 2 {
		t.Fatalf("stored broadcasts: %+v %v", bs, err)
	}
	if !bs[0].ScheduledAt.Equal(at) {
		t.Errorf("scheduled for %v, want %v (the time typed, in UTC)", bs[0].ScheduledAt, at)
	}
}

// TestE2EGatewaySettings: an admin, in the browser, configures a webhook
// channel as a broadcast gateway (it sends broadcasts, its rate, its tries,
// its URL and a new secret shown once and never returned by the API), and
// a broadcast sent from the contacts page then goes out through it with
// that secret. The channels tab is axe clean in English and French.
func TestE2EGatewaySettings(t *testing.T) {
	t.Parallel()
	ctx0, stop := context.WithCancel(context.Background())
	t.Cleanup(stop)
	s, _ := alertsContactsServer(t)
	al, cs := s.Alerts, s.Contacts
	srv := serveE2E(t, s, "admin.e2e", auth.Admin)
	type push struct{ auth, body string }
	pushes := make(chan push, 10)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		pushes <- push{r.Header.Get("Authorization"), string(b)}
		fmt.Fprint(w, `{"id":"m1"}`)
	}))
	t.Cleanup(hook.Close)
	if _, err := al.NewChannel(ctx0, "test", alerts.SMSSync, "Bunia phone", "s-secret", ""); err != nil {
		t.Fatal(err)
	}
	wh, err := al.NewChannel(ctx0, "test", alerts.Webhook, "Radio gateway", "old-secret", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Create(ctx0, "test", contacts.Input{Phone: "+243830000001", Language: "fr", Groups: []string{"can"}, ConsentHow: "verbal"}); err != nil {
		t.Fatal(err)
	}
	go cs.RunGateways(ctx0, 50*time.Millisecond, nil)

	ctx, _ := newBrowser(t, 1280, 900)
	if err := login(ctx, srv); err != nil {
		t.Fatal(err)
	}
	if err := do(ctx, navigate(srv.URL+"/#/admin?tab=channels")); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('#admin-gw-form') && document.querySelectorAll('#admin-gateways tbody tr').length === 2`, stepWait); err != nil {
		t.Fatal(err)
	}
	// Choosing the webhook shows its URL and the new-secret box, not Twilio's fields.
	if _, err := js[bool](ctx, fmt.Sprintf(`(() => { const s = document.querySelector('#admin-gw-channel'); s.value = '%d'; s.dispatchEvent(new Event('change')); return true; })()`, wh.ID)); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!document.querySelector('#admin-gw-url').closest('.field').hidden && document.querySelector('#admin-gw-sid').closest('.field').hidden && !document.querySelector('#admin-gw-renew').closest('.field').hidden`, stepWait); err != nil {
		t.Fatalf("webhook fields: %v", err)
	}
	if err := do(ctx, chromedp.SetValue(css(`#admin-gw-rate`), "20"), chromedp.SetValue(css(`#admin-gw-tries`), "3"),
		chromedp.SetValue(css(`#admin-gw-url`), hook.URL), click(css(`#admin-gw-renew`)), click(css(`#admin-gw-form button[type=submit]`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `!!document.querySelector('#admin-body .shown-once code')`, stepWait); err != nil {
		body, _ := js[string](ctx, `document.querySelector('#admin-body')?.innerText || ''`)
		t.Fatalf("saved: %v\n%s", err, body)
	}
	secret, err := js[string](ctx, `document.querySelector('#admin-body .shown-once code').textContent`)
	if err != nil || len(secret) != 24 {
		t.Fatalf("secret shown once: %q %v", secret, err)
	}
	row, err := js[string](ctx, `[...document.querySelectorAll('#admin-gateways tbody tr')].map((r) => r.innerText).find((x) => x.includes('Radio gateway')) || ''`)
	if err != nil || !strings.Contains(row, "20") || !strings.Contains(row, "3") {
		t.Fatalf("gateway row: %q %v", row, err)
	}
	// The API never gives the secret back.
	if got, err := jsAwait[string](ctx, `fetch('/api/v1/broadcasts/gateways').then((r) => r.text())`); err != nil || strings.Contains(got, secret) || !strings.Contains(got, `"has_secret":true`) {
		t.Fatalf("gateways API: %s %v", got, err)
	}
	axe := axeCheck(t, ctx)
	axe("gateways en")
	if _, err := js[bool](ctx, `(Vigil.setLang('fr'), true)`); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `/Passerelles de diffusion/.test(document.querySelector('#admin-body').textContent) && !!document.querySelector('#admin-gw-form')`, stepWait); err != nil {
		t.Fatalf("not in French: %v", err)
	}
	axe("gateways fr")
	// A refused setting is said in French (the server's refusal key): a rate
	// of 500, sent past the browser's own max=100 check as an old browser or
	// a pasted value would.
	if _, err := js[bool](ctx, `(document.querySelector('#admin-gw-form').noValidate = true)`); err != nil {
		t.Fatal(err)
	}
	if err := do(ctx, chromedp.SetValue(css(`#admin-gw-rate`), "500"), click(css(`#admin-gw-form button[type=submit]`))); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, `(document.querySelector('#admin-body .notice.error')?.textContent || '').includes('rate_per_s\u00a0: donnez un débit entre 0,01 et 100 messages par seconde')`, stepWait); err != nil {
		body, _ := js[string](ctx, `document.querySelector('#admin-body .notice.error')?.textContent || ''`)
		t.Fatalf("rate 500 on the French page: %v\n%s", err, body)
	}

	// A broadcast from the contacts page goes out through it.
	if err := do(ctx, navigate(srv.URL+"/#/contacts")); err != nil {
		t.Fatal(err)
	}
	if err := poll(ctx, fmt.Sprintf(`!!document.querySelector('#broadcast-gateway option[value="%d"]')`, wh.ID), stepWait); err != nil {
		t.Fatal(err)
	}
	if err := do(ctx, chromedp.SetValue(css(`#broadcast-gateway`), fmt.Sprint(wh.ID)), chromedp.SetValue(css(`#broadcast-group`), "can"),
		chromedp.SetValue(css(`#broadcast-text-fr`), "Réunion demain"), click(css(`#broadcast-form button[type=submit]`))); err != nil {
		t.Fatal(err)
	}
	select {
	case p := <-pushes:
		if p.auth != "Token "+secret || !strings.Contains(p.body, "Réunion demain") || !strings.Contains(p.body, "+243830000001") {
			t.Fatalf("push: %+v", p)
		}
	case <-time.After(stepWait):
		body, _ := js[string](ctx, `document.querySelector('#broadcast-msg')?.textContent || ''`)
		t.Fatalf("no push reached the gateway: %s", body)
	}
}
