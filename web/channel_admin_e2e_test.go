package web_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/internal/apperr"
)

// TestE2EChannelAdmin: an information-management officer, in French, in
// Administration → Canaux de réception, disables the Goma relay (its SMSSync
// phone is refused and nothing it sends is stored; its alert stays) and
// enables it again; gives it a new secret, shown once (the old secret is
// refused at once, the new one taken); is told in French why it cannot be
// removed (it has alerts: disable it instead) and removes a webhook never
// used. Marks the relay as a tipline. After each action the list is drawn
// anew and the focus is back on the control it was taken from, on the same
// card (on the heading of the card in the removed one's place), never left
// on <body>. Every change is audited in the officer's name, never with the
// secret; the page is axe clean.
func TestE2EChannelAdmin(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	s, db := alertsContactsServer(t) // broadcasts_e2e_test.go
	al := s.Alerts
	srv := serveE2E(t, s, "admin.e2e", auth.Admin)
	goma, err := al.NewChannel(ctx0, "test", alerts.SMSSync, "Goma relay", "relay-secret-1", "")
	if err != nil {
		t.Fatal(err)
	}
	spare, err := al.NewChannel(ctx0, "test", alerts.Webhook, "Spare webhook", "spare-secret", "")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	sms := func(secret string) int {
		t.Helper()
		n++
		form := url.Values{"from": {"+243811000009"}, "message": {"Tirs près du marché de Goma"}, "message_id": {"m" + strconv.Itoa(n)}, "secret": {secret}, "device_id": {"1"}}
		resp, err := http.PostForm(srv.URL+alerts.IntakePath(goma), form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	stored := func() int {
		t.Helper()
		as, err := db.Alerts(ctx0, alerts.AlertFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		return len(as)
	}
	if code := sms("relay-secret-1"); code != 200 {
		t.Fatalf("first message: %d", code)
	}
	row := func(c alerts.Channel) string {
		return `#admin-channels li[data-channel="` + strconv.FormatInt(c.ID, 10) + `"]`
	}
	button := func(c alerts.Channel, i int) string {
		return row(c) + ` .btn-row button:nth-child(` + strconv.Itoa(i) + `)`
	}
	q := func(sel string) string { return `document.querySelector('` + sel + `')` }
	badge := func(c alerts.Channel) string { return `(` + q(row(c)+` .badge`) + `?.textContent || '')` }
	const notice = `(document.querySelector('#admin-body .notice')?.textContent || '')`
	// The list is drawn anew after each action: the focus is back on the
	// control it was taken from, on the same channel's card (not on <body>).
	focused := func(sel string) string { return ` && document.activeElement === ` + q(sel) }
	click := func(sel string, times int) []chromedp.Action[chromedp.Void] {
		var out []chromedp.Action[chromedp.Void]
		for range times {
			out = append(out, click(css(sel)))
		}
		return out
	}

	ctx, _ := loggedInBrowserAt(t, srv, 1440, 900, "/#/admin?tab=channels", "fr")
	axe := axeCheck(t, ctx)
	page := `document.querySelector('main')?.innerText || ''`
	runSteps(t, ctx, page, []e2eStep{
		{"the channels in French, each taking messages", nil,
			`document.documentElement.lang === 'fr' && [...document.querySelectorAll('#admin-channels dt')].some((h) => h.textContent === 'Base légale') && ` +
				badge(goma) + ` === 'reçoit les messages' && ` + q(button(goma, 1)) + `?.getAttribute('aria-label') === 'Désactiver Goma relay' && ` +
				`(document.querySelector('#admin-channels-manage')?.textContent || '').startsWith('Désactivez un canal pour qu’il ne reçoive plus de messages') && ` +
				// the actions and the address are in view, nothing to scroll
				// sideways (the actions were the last of 13 columns, beyond a
				// frame's edge; then the address, in a table of 15)
				`(() => { const l = document.querySelector('#admin-channels'), w = l.getBoundingClientRect(); return l.scrollWidth <= l.clientWidth && [` + q(button(goma, 1)) + `, ` + q(row(goma)+` .channel-url code`) + `].every((b) => { const r = b.getBoundingClientRect(); return r.left >= w.left && r.right <= w.right; }); })()`},
		{"Goma relay disabled", click(button(goma, 1), 1),
			notice + `.startsWith('Le canal Goma relay est désactivé\u00a0: sa passerelle est refusée') && ` + badge(goma) + ` === 'désactivé' && ` +
				q(button(goma, 1)) + `?.textContent === 'Réactiver'` + focused(button(goma, 1))},
	})
	axe("disabled")
	if code := sms("relay-secret-1"); code != http.StatusNotFound || stored() != 1 {
		t.Fatalf("the disabled channel's phone: %d, %d alerts stored; want refused, the 1 from before kept", code, stored())
	}
	runSteps(t, ctx, page, []e2eStep{
		{"Goma relay enabled again", click(button(goma, 1), 1),
			notice + ` === 'Le canal Goma relay reçoit de nouveau les messages.' && ` + badge(goma) + ` === 'reçoit les messages'` + focused(button(goma, 1))},
		// The checkbox, disabled while its change is sent, takes the focus back too.
		{"Goma relay marked as a tipline", click(row(goma)+` .admin-channel-tipline-toggle`, 1),
			notice + `.startsWith('Goma relay est désormais une ligne de signalement') && ` + q(row(goma)+` .admin-channel-tipline-toggle`) + `?.checked === true` +
				focused(row(goma)+` .admin-channel-tipline-toggle`)},
	})
	if code := sms("relay-secret-1"); code != 200 {
		t.Fatalf("enabled again: %d", code)
	}
	runSteps(t, ctx, page, []e2eStep{
		{"a new secret, shown once", click(button(goma, 2), 2),
			notice + `.includes('Le canal Goma relay a un nouveau secret\u00a0: l’ancien ne fonctionne plus.') && ` + notice + `.includes('affiché une seule fois, copiez-le maintenant') && ` +
				notice + `.includes('Saisissez-le maintenant dans le champ Secret de SMSSync') && !!` + q(`#admin-body .notice code.secret`) + focused(button(goma, 2))},
	})
	axe("new secret")
	secret, err := js[string](ctx, q(`#admin-body .notice code.secret`)+`.textContent`)
	if err != nil || len(secret) < 20 {
		t.Fatalf("the secret shown: %q %v", secret, err)
	}
	if code := sms("relay-secret-1"); code != http.StatusForbidden {
		t.Errorf("the old secret after a new one: %d", code)
	}
	if code := sms(secret); code != 200 {
		t.Errorf("the secret shown: %d", code)
	}
	runSteps(t, ctx, page, []e2eStep{
		// Its remove button is offered disabled, the reason beside it (it
		// was offered, and refused by the server once clicked).
		{"Goma relay cannot be removed: it has alerts", nil,
			q(button(goma, 3)) + `?.disabled === true && ` + q(button(goma, 3)) + `.textContent === 'Supprimer' && ` +
				`document.getElementById(` + q(button(goma, 3)) + `.getAttribute('aria-describedby'))?.textContent === 'déjà utilisé\u00a0: désactivez-le plutôt' && ` +
				`(() => { const r = document.getElementById(` + q(button(goma, 3)) + `.getAttribute('aria-describedby')).getBoundingClientRect(); return r.width > 0 && r.height > 0; })() && ` +
				q(button(spare, 3)) + `?.disabled === false && !` + q(button(spare, 3)) + `.hasAttribute('aria-describedby')`},
		{"the spare webhook removed", click(button(spare, 3), 2),
			notice + ` === 'Canal Spare webhook supprimé.' && !` + q(row(spare)) + ` && !!` + q(row(goma)) +
				// its card gone, the focus is on the heading of the card now in its place (the last)
				focused(row(goma)+` h3`)},
	})
	axe("removed")
	// The server stays the authority: a used channel is refused.
	if err := al.RemoveChannel(ctx0, "test", goma.ID); !errors.Is(err, apperr.ErrConflict) || !strings.Contains(err.Error(), "Goma relay") {
		t.Errorf("removing the used channel through the service: %v, want a conflict naming it", err)
	}
	if stored() != 3 {
		t.Errorf("%d alerts stored, want 3", stored())
	}
	for _, a := range []string{"alerts.channel.disable", "alerts.channel.enable", "alerts.channel.secret", "alerts.channel.remove"} {
		recs, err := db.AuditLog(ctx0, audit.Filter{Action: a})
		if err != nil || len(recs) != 1 || recs[0].Actor != "admin.e2e" || strings.Contains(recs[0].Detail, secret) {
			t.Errorf("audit %s: %+v %v", a, recs, err)
		}
	}
}
