package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/integrity"
)

// TestE2EChannelTipline: an admin, in French, ticks "Ligne de signalement"
// on an existing SMSSync channel in Administration → Channels; a rumour
// texted to it then arrives on the Integrity page as an item, its source
// said « ligne de signalement : Goma relay » on the French page. Unticking it
// in English makes it an ordinary channel again: the next message stays an
// alert only. Both changes are audited; the page is axe clean. The Kind
// column names the channel's kind alone, in words: whether it is a tipline
// is its own column's box, not said twice.
func TestE2EChannelTipline(t *testing.T) {
	t.Parallel()
	ctx0 := context.Background()
	s, db := alertsContactsServer(t) // broadcasts_e2e_test.go
	al := s.Alerts
	integ := integrity.NewService(db, al.Keys)
	al.Tipline = func(ctx context.Context, c alerts.Channel, a *alerts.Alert) error {
		_, err := integ.FromTipline(ctx, c.Name, a.ID, a.Message, a.ReceivedAt)
		return err
	}
	s.Integrity = integ
	srv := serveE2E(t, s, "admin.e2e", auth.Admin)
	ch, err := al.NewChannel(ctx0, "test", alerts.SMSSync, "Goma relay", "relay-secret", "")
	if err != nil {
		t.Fatal(err)
	}
	sms := func(id, msg string) {
		t.Helper()
		form := url.Values{"from": {"+243811000009"}, "message": {msg}, "message_id": {id}, "secret": {"relay-secret"}, "device_id": {"1"}}
		resp, err := http.PostForm(srv.URL+alerts.IntakePath(ch), form)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("sms %s: %v %v", id, resp, err)
		}
		resp.Body.Close()
	}
	box := `document.querySelector('#admin-channels input[data-channel="` + strconv.FormatInt(ch.ID, 10) + `"]')`
	row := box + `?.closest('li')`
	kind := row + `?.querySelector('.channel-kind').textContent`
	const notice = `(document.querySelector('#admin-body .notice')?.textContent || '')`
	const rumour = "On dit que les écoles de Goma fermeront demain à cause des rebelles"

	ctx, _ := loggedInBrowserAt(t, srv, 1280, 900, "/#/admin?tab=channels", "fr")
	axe := axeCheck(t, ctx)
	steps := []e2eStep{
		{"channels in French, not a tipline", nil,
			`document.documentElement.lang === 'fr' && [...document.querySelectorAll('#admin-channels dt')].some((h) => h.textContent === 'Ligne de signalement') && ` +
				box + `?.checked === false && ` + box + `.getAttribute('aria-label') === 'Ligne de signalement\u00a0: Goma relay'`},
		{"marked a tipline", []chromedp.Action[chromedp.Void]{click(css(`#admin-channels input[data-channel="` + strconv.FormatInt(ch.ID, 10) + `"]`))},
			notice + `.startsWith('Goma relay est désormais une ligne de signalement') && ` + box + `?.checked === true && ` + kind + ` === 'SMS (téléphone SMSSync)'`},
	}
	runSteps(t, ctx, `document.querySelector('main')?.innerText || ''`, steps)
	axe("channels fr")
	sms("m1", rumour)
	steps = []e2eStep{
		{"the rumour is an integrity item", []chromedp.Action[chromedp.Void]{navigate(srv.URL + "/#/integrity?tab=items")},
			`(document.querySelector('#integrity-items')?.textContent || '').includes('écoles de Goma fermeront')`},
		// Its source in French words: « ligne de signalement : Goma relay », not the stored "tipline: Goma relay".
		{"its source in French", nil,
			`(document.querySelector('#integrity-items .integrity-item-head .muted')?.textContent || '').includes(' · ligne de signalement\u00a0: Goma relay · ') && !document.querySelector('#integrity-items').textContent.includes('tipline')`},
	}
	runSteps(t, ctx, `document.querySelector('main')?.innerText || ''`, steps)

	if err := openIn(ctx, srv.URL+"/#/admin?tab=channels", "en"); err != nil {
		t.Fatal(err)
	}
	steps = []e2eStep{
		{"channels in English, a tipline", nil, `document.documentElement.lang === 'en' && ` + box + `?.checked === true && ` + kind + ` === 'SMS (SMSSync phone)'`},
		{"unmarked", []chromedp.Action[chromedp.Void]{click(css(`#admin-channels input[data-channel="` + strconv.FormatInt(ch.ID, 10) + `"]`))},
			notice + `.startsWith('Goma relay is no longer a tipline') && ` + box + `?.checked === false && !` + row + `.textContent.includes('tipline')`},
	}
	runSteps(t, ctx, `document.querySelector('main')?.innerText || ''`, steps)
	axe("channels en")
	sms("m2", "Shooting heard near the Goma market")
	items, err := integ.Items(ctx0, integrity.ItemFilter{Limit: 100})
	if err != nil || len(items) != 1 || items[0].Via != integrity.ViaTipline || items[0].Source != "tipline: Goma relay" {
		t.Errorf("integrity items: want the rumour only: %+v %v", items, err)
	}
	recs, err := db.AuditLog(ctx0, audit.Filter{Action: "alerts.channel.tipline"})
	if err != nil || len(recs) != 2 || recs[0].Actor != "admin.e2e" || recs[1].Actor != "admin.e2e" {
		t.Errorf("audit: %+v %v", recs, err)
	}
}
