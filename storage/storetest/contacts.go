package storetest

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/storage"
)

func fp(f float64) *float64 { return &f }

// contactsIntake is an alerts service whose intake honours the contacts
// service's opt-out replies, and its SMSSync channel.
func contactsIntake(t *testing.T, ctx context.Context, db *storage.DB) (*alerts.Service, *contacts.Service, alerts.Channel) {
	t.Helper()
	as := alertService(t, db)
	cs := contacts.NewService(db, as.Keys)
	as.Inbound = cs
	ch, err := as.NewChannel(ctx, "admin", alerts.SMSSync, "Bunia phone", "s3cret-gw", "")
	if err != nil {
		t.Fatal(err)
	}
	return as, cs, ch
}

// testContacts: contacts stored sealed, imports all-or-nothing, broadcasts
// by group and by area in each language through the alerts outbox, opt-out
// by SMS reply honoured at once (also for messages already queued), and
// audit entries that carry counts, never numbers.
func testContacts(t *testing.T, ctx context.Context, db *storage.DB) {
	as, cs, ch := contactsIntake(t, ctx, db)

	rows := []contacts.Row{
		{Where: "c.csv:2", Input: contacts.Input{Phone: "+243 810 000 001", Name: "Amani", Language: "fr", Groups: []string{"CAN-Djugu"}, Lat: fp(1.56), Lon: fp(30.25), ConsentHow: "verbal"}},
		{Where: "c.csv:3", Input: contacts.Input{Phone: "+243810000002", Name: "Grace", Language: "sw", Groups: []string{"can-djugu", "leaders"}, Lat: fp(1.60), Lon: fp(30.30), ConsentHow: "form"}},
		{Where: "c.csv:4", Input: contacts.Input{Phone: "+243810000003", Name: "Radio Candip", Language: "en", Groups: []string{"radio"}, Lat: fp(0.52), Lon: fp(29.47), ConsentHow: "letter"}},
	}
	n, err := cs.Import(ctx, "analyst", rows)
	if err != nil || n != 3 {
		t.Fatalf("import: %d %v", n, err)
	}

	// A failed import (a number already stored, on the second row) writes nothing.
	bad := []contacts.Row{
		{Where: "d.csv:2", Input: contacts.Input{Phone: "+243810000009", Language: "fr", ConsentHow: "verbal"}},
		{Where: "d.csv:3", Input: contacts.Input{Phone: "+243-810-000-001", Language: "fr", ConsentHow: "verbal"}},
	}
	if _, err := cs.Import(ctx, "analyst", bad); err == nil || !strings.Contains(err.Error(), "d.csv:3: phone") {
		t.Fatalf("duplicate number: want d.csv:3: phone, got %v", err)
	}
	all, err := cs.List(ctx, contacts.Filter{})
	if err != nil || len(all) != 3 {
		t.Fatalf("after failed import: %d contacts, %v", len(all), err)
	}
	if !maskedAs(all[0].PhoneMasked, "+•••••••••001", cs.PhoneMAC("+243810000001")) || all[0].NameMasked != "A•••" || strings.Join(all[1].Groups, ",") != "can-djugu,leaders" {
		t.Fatalf("listed: %+v", all[0])
	}

	// Sealed at rest: no number nor name in clear in the table.
	raw, err := db.Contacts(ctx, contacts.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range raw {
		if bytes.Contains(c.PhoneSealed, []byte("24381000000")) || bytes.Contains(c.NameSealed, []byte("Amani")) || c.Phone != "" {
			t.Fatalf("contact %d stored in clear", c.ID)
		}
	}

	// Broadcast to a group, in each contact's language (sw has no text: fallback fr).
	b, err := cs.Send(ctx, "analyst", contacts.BroadcastRequest{ChannelID: ch.ID, Audience: contacts.Audience{Group: "CAN-Djugu"},
		Messages: map[string]string{"fr": "Réunion demain", "en": "Meeting tomorrow"}})
	if err != nil {
		t.Fatal(err)
	}
	if b.Reach.Queued != 2 || b.Fallback != "fr" {
		t.Fatalf("group reach: %+v fallback %q", b.Reach, b.Fallback)
	}
	out, err := as.Outbox(ctx, ch.ID)
	if err != nil || len(out) != 2 {
		t.Fatalf("outbox: %d %v", len(out), err)
	}
	got := map[string]string{}
	for _, m := range out {
		got[m.To] = m.Message
	}
	if got["+243810000001"] != "Réunion demain" || got["+243810000002"] != "Réunion demain" {
		t.Fatalf("outbox messages: %v", got)
	}

	// Area: within 20 km of Bunia's neighbourhood reaches the two Djugu
	// contacts, not the radio 130 km away; English text for nobody here.
	b2, err := cs.Send(ctx, "analyst", contacts.BroadcastRequest{ChannelID: ch.ID, Audience: contacts.Audience{Lat: fp(1.58), Lon: fp(30.27), RadiusKM: 20}, Messages: map[string]string{"en": "Stay safe", "sw": "Kaeni salama"}, Fallback: "en"})
	if err != nil || b2.Reach.Queued != 2 {
		t.Fatalf("area broadcast: %+v %v", b2.Reach, err)
	}

	// A broadcast scheduled for later is not queued yet.
	clock := time.Now().UTC()
	cs.Now = func() time.Time { return clock }
	b3, err := cs.Send(ctx, "analyst", contacts.BroadcastRequest{ChannelID: ch.ID, Audience: contacts.Audience{Group: "can-djugu"}, Messages: map[string]string{"fr": "Plus tard"}, At: clock.Add(time.Hour)})
	if err != nil || b3.QueuedAt != nil || b3.ID == 0 {
		t.Fatalf("scheduled: %+v %v", b3, err)
	}
	if n, err := cs.RunDue(ctx); n != 0 || err != nil {
		t.Fatalf("RunDue before time: %d %v", n, err)
	}
	// The latest broadcasts, newest first, at most limit of them.
	for _, c := range []struct {
		limit int
		want  []int64
	}{{10, []int64{b3.ID, b2.ID, b.ID}}, {2, []int64{b3.ID, b2.ID}}} {
		bs, err := cs.ListBroadcasts(ctx, c.limit)
		var got []int64
		for _, x := range bs {
			got = append(got, x.ID)
		}
		if err != nil || !slices.Equal(got, c.want) {
			t.Fatalf("ListBroadcasts(%d): %v %v, want %v", c.limit, got, err, c.want)
		}
	}

	// Opt-out by reply through the alerts intake: honoured at once.
	if _, err := as.Receive(ctx, ch, alerts.Inbound{GatewayID: "g1", From: "+243810000002", Message: " Arrêt! "}); err != nil {
		t.Fatal(err)
	}
	// A reply that is not an opt-out word changes nothing.
	if _, err := as.Receive(ctx, ch, alerts.Inbound{GatewayID: "g2", From: "+243810000001", Message: "stop the shooting in Djugu"}); err != nil {
		t.Fatal(err)
	}
	// More than the word (a reporter who writes STOP and what happens)
	// is an alert as before, and opts nobody out.
	if _, err := as.Receive(ctx, ch, alerts.Inbound{GatewayID: "g3", From: "+243810000003", Message: "STOP ils tirent au marché"}); err != nil {
		t.Fatal(err)
	}
	// The bare word from a number that is not a contact (a tipline
	// sender) opts that number out, audited, and files no alert either.
	if a, err := as.Receive(ctx, ch, alerts.Inbound{GatewayID: "g4", From: "+243810000099", Message: "stop"}); err != nil || a.ID != 0 || a.OptOut == nil {
		t.Fatalf("a stranger's STOP: %+v %v, want no alert and an opt-out", a, err)
	}
	if out, err := cs.OptedOut(ctx, "+243 810 000 099"); !out || err != nil {
		t.Fatalf("a stranger's STOP is not kept: %v %v", out, err)
	}
	all, _ = cs.List(ctx, contacts.Filter{})
	if all[1].OptedOutAt == nil || all[0].OptedOutAt != nil || all[2].OptedOutAt != nil {
		t.Fatalf("opt-out: %+v / %+v / %+v", all[0].OptedOutAt, all[1].OptedOutAt, all[2].OptedOutAt)
	}
	// The bare opt-out word, from a contact's number or another, files no
	// alert (it would clutter triage); the other two replies are alerts.
	filed, _, err := as.ListAlerts(ctx, "admin", alerts.AlertFilter{Ascending: true})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range filed {
		if a.ChannelID == ch.ID {
			ids = append(ids, a.GatewayID)
		}
	}
	if !slices.Equal(ids, []string{"g2", "g3"}) {
		t.Fatalf("alerts filed from the replies: %q, want g2 and g3 (not the bare Arrêt)", ids)
	}
	// A contact's language by its number (STOP's answer), "" for no contact.
	for phone, want := range map[string]string{"+243810000001": "fr", "+243810000003": "en", "+243810000099": ""} {
		if got, err := db.ContactLanguage(ctx, cs.PhoneMAC(phone)); got != want || err != nil {
			t.Errorf("ContactLanguage(%s): %q %v, want %q", phone, got, err, want)
		}
	}
	// Messages already queued for her are never handed to the gateway.
	out, _ = as.Outbox(ctx, ch.ID)
	for _, m := range out {
		if m.To == "+243810000002" {
			t.Fatalf("opted-out contact still in the outbox: %q", m.Message)
		}
	}
	if len(out) != 2 {
		t.Fatalf("outbox after opt-out: %d, want 2", len(out))
	}
	if got, _ := cs.Get(ctx, b.ID); got.Reach.Withheld != 1 || got.Reach.Queued != 2 {
		t.Fatalf("reach after opt-out: %+v", got.Reach)
	}
	// The scheduled broadcast, when due, skips her.
	clock = clock.Add(2 * time.Hour)
	if n, err := cs.RunDue(ctx); n != 1 || err != nil {
		t.Fatalf("RunDue: %d %v", n, err)
	}
	got3, err := cs.Get(ctx, b3.ID)
	if err != nil || got3.QueuedAt == nil || got3.Reach.Queued != 1 || got3.Reach.SkippedOptedOut != 1 {
		t.Fatalf("scheduled after opt-out: %+v %v", got3.Reach, err)
	}
	if n, _ := cs.RunDue(ctx); n != 0 {
		t.Fatalf("RunDue queued a broadcast twice")
	}

	// Sent counts what the gateway took.
	out, _ = as.Outbox(ctx, ch.ID)
	var uuids []string
	for _, m := range out {
		uuids = append(uuids, m.UUID)
	}
	// Before: one message waits (the other is withheld), none sent, no send time.
	if got, _ := cs.Get(ctx, b.ID); got.Reach.Pending != 1 || got.Reach.Sent != 0 || got.SentAt != nil {
		t.Fatalf("before sending: reach %+v, sent at %v; want 1 pending, 0 sent, no time", got.Reach, got.SentAt)
	}
	if _, err := db.MarkOutgoingSent(ctx, ch.ID, uuids, clock); err != nil {
		t.Fatal(err)
	}
	// After: done (none pending), sent when the gateway took it.
	if got, _ := cs.Get(ctx, b.ID); got.Reach.Sent != 1 || got.Reach.Pending != 0 || got.SentAt == nil || !got.SentAt.Equal(clock.Truncate(time.Microsecond)) {
		t.Fatalf("sent: reach %+v, sent at %v; want 1 sent, 0 pending, at %v", got.Reach, got.SentAt, clock)
	}
	if _, err := cs.Get(ctx, 9999); !errors.Is(err, contacts.ErrNotFound) {
		t.Fatalf("unknown broadcast: %v", err)
	}

	// Audit: counts and ids, never a number or a name.
	recs, err := db.AuditLog(ctx, audit.Filter{Action: "broadcasts."})
	if err != nil || len(recs) != 4 {
		t.Fatalf("broadcast audit: %d %v", len(recs), err)
	}
	if !strings.Contains(recs[len(recs)-1].Detail, "2 recipients queued") {
		t.Fatalf("audit detail: %q", recs[len(recs)-1].Detail)
	}
	oo, _ := db.AuditLog(ctx, audit.Filter{Action: "contacts.opt-out"})
	if len(oo) != 2 || oo[0].Object != "number (not a contact)" {
		t.Fatalf("opt-out audit: %+v", oo)
	}
	every, _ := db.AuditLog(ctx, audit.Filter{Limit: 1000})
	for _, r := range every {
		if strings.Contains(r.Detail, "81000000") || strings.Contains(r.Detail, "Amani") {
			t.Fatalf("audit holds personal data: %+v", r)
		}
	}

	// Key rotation re-seals contacts too.
	if _, err := as.Reseal(ctx, "admin"); err != nil {
		t.Fatal(err)
	}
	if all, err := cs.List(ctx, contacts.Filter{}); err != nil || !maskedAs(all[2].PhoneMasked, "+•••••••••003", cs.PhoneMAC("+243810000003")) {
		t.Fatalf("after reseal: %v", err)
	}
}
