package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/crypt"
	"github.com/vigil-project/vigil/radio"
	"github.com/vigil-project/vigil/storage"
	"github.com/vigil-project/vigil/web"
)

// useContacts gives the server the contacts service (places from its
// gazetteer index, gateways from the alert channels), lets the alert
// intake pass it opt-out replies, and queues scheduled broadcasts when due
// (every --broadcast-every) and pushes queued messages to the Twilio and webhook
// gateways (every 2 s) until ctx ends. Integrity answers tipline senders through
// the contacts (opt-outs) and the alerts reply path.
func useContacts(ctx context.Context, s *web.Server, db *storage.DB, keys *crypt.Keyring, log *slog.Logger, o *contactsOpts) {
	cs := contacts.NewService(db, keys)
	o.every, cs.Lease = max(o.every, time.Second), max(o.lease, time.Second)
	cs.Channels = db
	if s.Places != nil {
		cs.Places = s.Places
	}
	s.Contacts = cs
	s.Radio = &radio.Service{Broadcasts: cs}
	if s.Integrity != nil { // radio scripts of published fact-checks
		s.Radio.Checks, s.Radio.Mission = s.Integrity, s.Integrity.Mission
	}
	if s.Alerts != nil {
		cs.BaseURL = s.Alerts.BaseURL // where gateways send delivery receipts
		s.Alerts.Inbound = cs
		s.Alerts.PollLimit = cs.PollLimit       // SMSSync phones take messages at the gateway's rate
		s.Alerts.Results = cs                   // and report what became of them (task=result)
		s.Alerts.RecipientMAC = cs.RecipientMAC // an opt-out withholds queued replies
		s.Alerts.PushSenders = cs.PushSenders   // a Twilio or webhook alert's reply goes back through its channel (RunGateways)
		if s.Integrity != nil {                 // fact-check answers to tipline senders
			s.Integrity.Replier = contacts.TiplineReplier{Alerts: s.Alerts, Contacts: cs}
		}
	}
	go cs.Run(ctx, o.every, func(err error) { log.Error("queuing scheduled broadcasts", "err", err) })
	// Twilio and webhook gateways are pushed to at their rates.
	go cs.RunGateways(ctx, min(o.every, 2*time.Second), func(err error) { log.Error("pushing broadcasts to a gateway", "err", err) })
}

// contactsOpts are serve's broadcast flags.
type contactsOpts struct{ every, lease time.Duration }

func contactsFlags(fs *flag.FlagSet) *contactsOpts {
	o := &contactsOpts{}
	fs.DurationVar(&o.every, "broadcast-every", 10*time.Second, "queue scheduled broadcasts that are due on this interval (gateways are pushed to every 2 s, or this when shorter)")
	fs.DurationVar(&o.lease, "gateway-lease", contacts.DefaultLease, "how long a push to a Twilio or webhook gateway holds its message (keep it above the 20 s push timeout): one left in doubt by a crash is sent again, with the same uuid, after this")
	return o
}

// demoGateway names the fictitious SMSSync channel of the demo broadcast,
// one short name in both languages, as the demo's other channels
// (demo.AlertChannelName); demoGatewayBefore are its former names in data
// directories made before, found as the same channel: English only (until
// 2026-12-06), then both languages at once (until 2026-12-07).
const demoGateway = "DEMO-SMS-2"

var demoGatewayBefore = []string{"DEMO SMS gateway (fictitious)", "DEMO SMS gateway (fictitious) / passerelle SMS DEMO (fictive)"}

// loadDemoContacts gives serve --demo a few fictitious contacts (numbers in
// the unassigned +000 range, marked demo) and one demo broadcast through a
// demo SMSSync channel, once.
func loadDemoContacts(ctx context.Context, s *web.Server) error {
	if s.Contacts == nil || s.Alerts == nil {
		return nil
	}
	chs, err := s.Alerts.Store.Channels(ctx)
	if err != nil {
		return err
	}
	var id int64
	for _, c := range chs {
		if c.Name == demoGateway || slices.Contains(demoGatewayBefore, c.Name) {
			id = c.ID
		}
	}
	if id == 0 {
		c, err := s.Alerts.NewChannel(ctx, "serve --demo", alerts.SMSSync, demoGateway, rand.Text(), "consent")
		if err != nil {
			return fmt.Errorf("demo gateway: %w", err)
		}
		id = c.ID
	}
	if _, err := s.Contacts.LoadDemo(ctx, "serve --demo", id); err != nil {
		return fmt.Errorf("demo contacts: %w", err)
	}
	return nil
}
