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
	"github.com/vigil-project/vigil/web"
)

// tiplineCheckJourney starts a verification journey (TestE2EIntegrityVerify,
// TestE2EAnalystDay*): a browser of width×height logged in as the analyst
// to tiplineServer's server. Each number in from has texted rumour to its
// tipline (with one " !" more each time).
func tiplineCheckJourney(t *testing.T, width, height int, rumour string, from ...string) (context.Context, *e2eServer, *integrity.Service, *alerts.Service, alerts.Channel) {
	t.Helper()
	srv, s, tip := tiplineServer(t, "analyst.e2e", auth.Analyst)
	for i, from := range from {
		form := url.Values{"from": {from}, "message": {rumour + strings.Repeat(" !", i)}, "message_id": {"m" + from}, "secret": {"tips-secret"}, "device_id": {"1"}}
		resp, err := http.PostForm(srv.URL+alerts.IntakePath(tip), form)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("tipline sms: %v %v", resp, err)
		}
		resp.Body.Close()
	}
	ctx, _ := loggedInBrowser(t, srv, width, height)
	return ctx, srv, s.Integrity, s.Alerts, tip
}

// tiplineServer serves alerts, contacts and integrity (s: its services)
// to a browser logged in as user with role, with an SMSSync channel
// « Bunia tipline » marked tipline (secret "tips-secret") whose messages
// become integrity items and whose senders are answered through its
// outbox (numbers that opted out withheld).
func tiplineServer(t *testing.T, user string, role auth.Role) (srv *e2eServer, s *web.Server, tip alerts.Channel) {
	t.Helper()
	s, db := alertsContactsServer(t) // broadcasts_e2e_test.go
	al, cs := s.Alerts, s.Contacts
	integ := integrity.NewService(db, al.Keys)
	al.Inbound = cs
	al.RecipientMAC = cs.RecipientMAC // as vigil serve wires it: tipline senders told apart
	al.Tipline = func(ctx context.Context, c alerts.Channel, a *alerts.Alert) error {
		_, err := integ.FromTiplineSender(ctx, c.Name, a.ID, a.SenderMAC, a.Message, a.ReceivedAt)
		return err
	}
	integ.Replier = contacts.TiplineReplier{Alerts: al, Contacts: cs}
	s.Integrity = integ
	srv = serveE2E(t, s, user, role)
	tip, err := al.NewChannel(context.Background(), "test", alerts.SMSSync, "Bunia tipline", "tips-secret", "", alerts.AsTipline)
	if err != nil {
		t.Fatal(err)
	}
	return srv, s, tip
}

// publishFalse verifies narrative n's check in actor's name as the Verify
// page's own steps do, rates its claim false with the summaries en and fr
// and publishes it (the journey through each form is
// TestE2EIntegrityVerify's).
func publishFalse(t *testing.T, integ *integrity.Service, actor string, n int64, claim, en, fr string) {
	t.Helper()
	ctx := context.Background()
	str := func(s string) *string { return &s }
	for _, u := range []integrity.CheckUpdate{{State: str(integrity.CheckVerifying)}, {Claim: str(claim)},
		{State: str(integrity.CheckRated), Rating: str("false"), SummaryEN: str(en), SummaryFR: str(fr)}} {
		if _, err := integ.UpdateCheck(ctx, actor, n, u); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := integ.Publish(ctx, actor, n); err != nil {
		t.Fatal(err)
	}
}
