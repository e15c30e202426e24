package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/integrity"
)

// tiplineCheckJourney starts a verification journey (TestE2EIntegrityVerify,
// TestE2EAnalystDay*): a browser of width×height logged in as the analyst
// to the server of alerts, contacts and integrity, with an SMSSync channel
// marked tipline (secret "tips-secret") whose messages become integrity items and
// whose senders are answered through its outbox. Each number in from has
// texted rumour to it (with one " !" more each time).
func tiplineCheckJourney(t *testing.T, width, height int, rumour string, from ...string) (context.Context, *e2eServer, *integrity.Service, *alerts.Service, alerts.Channel) {
	t.Helper()
	ctx0 := context.Background()
	s, db := alertsContactsServer(t) // broadcasts_e2e_test.go
	al, cs := s.Alerts, s.Contacts
	integ := integrity.NewService(db, al.Keys)
	al.Inbound = cs
	al.Tipline = func(ctx context.Context, c alerts.Channel, a *alerts.Alert) error {
		_, err := integ.FromTipline(ctx, c.Name, a.ID, a.Message, a.ReceivedAt)
		return err
	}
	integ.Replier = contacts.TiplineReplier{Alerts: al, Contacts: cs}
	s.Integrity = integ
	srv := serveE2E(t, s, "analyst.e2e", auth.Analyst)
	tip, err := al.NewChannel(ctx0, "test", alerts.SMSSync, "Bunia tipline", "tips-secret", "", alerts.AsTipline)
	if err != nil {
		t.Fatal(err)
	}
	for i, from := range from {
		form := url.Values{"from": {from}, "message": {rumour + strings.Repeat(" !", i)}, "message_id": {"m" + from}, "secret": {"tips-secret"}, "device_id": {"1"}}
		resp, err := http.PostForm(srv.URL+alerts.IntakePath(tip), form)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("tipline sms: %v %v", resp, err)
		}
		resp.Body.Close()
	}
	ctx, _ := loggedInBrowser(t, srv, width, height)
	return ctx, srv, integ, al, tip
}
