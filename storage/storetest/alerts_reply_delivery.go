package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/storage"
)

// testReplyDelivery: a reply's line on its incident's timeline says what
// became of its message, read from the outbox each time: queued for the
// gateway, sent once the phone took it, delivered or failed (with the
// reason code) as the phone reports it; a line of another kind, or a
// reply line naming no message, has no delivery. Before, the timeline
// said nothing of it: the responder could not tell whether the reporter
// got the reply.
func testReplyDelivery(t *testing.T, ctx context.Context, db *storage.DB) {
	as, ch := alertChannel(t, db, alerts.SMSSync, "Bunia phone", "sms-secret-1")
	cs := contacts.NewService(db, as.Keys)
	cs.Channels = db
	clock := time.Now().UTC()
	cs.Now = func() time.Time { return clock }
	a, err := as.Receive(ctx, ch, alerts.Inbound{From: "+243811000109", Message: "Hommes armés près du marché de Bunia", GatewayID: "r-1"})
	if err != nil {
		t.Fatal(err)
	}
	rex := &auth.User{Name: "rex", Role: auth.Responder}
	first, err := as.Reply(ctx, rex, a.ID, "Patrouille en route")
	if err != nil {
		t.Fatal(err)
	}
	second, err := as.Reply(ctx, rex, a.ID, "Patrouille arrivée")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AddLog(ctx, []alerts.LogEntry{{IncidentID: a.IncidentID, At: clock, Actor: "rex", Kind: "reply", Text: "reply to the reporter of alert 1 sent by SMS through Bunia phone"}}); err != nil {
		t.Fatal(err)
	}
	deliveries := func() []string {
		t.Helper()
		tl, err := db.Timeline(ctx, a.IncidentID)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, l := range tl {
			switch {
			case l.Delivery == nil:
				out = append(out, l.Kind+":-")
			default:
				out = append(out, fmt.Sprintf("%s:%s/%s", l.Kind, l.Delivery.State, l.Delivery.Code))
			}
		}
		return out
	}
	check := func(step string, want []string) {
		t.Helper()
		if got := deliveries(); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: timeline %q, want %q", step, got, want)
		}
	}
	check("queued", []string{"alert:-", "reply:queued/", "reply:queued/", "reply:-"})
	if _, err := db.MarkOutgoingSent(ctx, ch.ID, []string{first.UUID, second.UUID}, clock); err != nil {
		t.Fatal(err)
	}
	check("taken by the phone", []string{"alert:-", "reply:sent/", "reply:sent/", "reply:-"})
	if _, err := cs.RecordResults(ctx, ch, []alerts.MessageResult{
		{UUID: first.UUID, SentCode: -1, SentMessage: "SMS sent", DeliveredCode: -1, DeliveredMessage: "SMS delivered"},
		{UUID: second.UUID, SentCode: 2, SentMessage: "Radio off +243811000109"},
	}); err != nil {
		t.Fatal(err)
	}
	check("reported", []string{"alert:-", "reply:delivered/", "reply:failed/phone:2", "reply:-"})
}

// testReplyDeliveryUpgrade: the reply lines written before migration 0066
// (which named no message) get the reply their incident queued at their
// time, so their delivery shows too; a reply line with no such message,
// or a line of another kind at that time, names none.
func testReplyDeliveryUpgrade(t *testing.T, ctx context.Context, db *storage.DB) {
	wipe(t, db)
	if err := db.MigrateTo(ctx, 65); err != nil {
		t.Fatal(err)
	}
	const at, later = "2026-12-06T04:40:00.000000Z", "2026-12-06T05:00:00.000000Z"
	ch, err := db.InsertID(ctx, db.SQL, `INSERT INTO alert_channels (chan_key, kind, name, legal_basis, created) VALUES ('key-s', 'smssync', 'Bunia phone', 'consent', ?)`, at)
	if err != nil {
		t.Fatal(err)
	}
	inc, err := db.InsertID(ctx, db.SQL, `INSERT INTO alert_incidents (status, loc_status, first_at, last_at, alert_count, updated_at) VALUES ('received', 'unresolved', ?, ?, 1, ?)`, at, at, at)
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.InsertID(ctx, db.SQL, `INSERT INTO alerts (channel_id, incident_id, message, received_at, loc_status) VALUES (?, ?, '', ?, 'unresolved')`, ch, inc, at)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, db.SQL, `INSERT INTO alert_outbox (channel_id, alert_id, uuid, message, created, sent_at, status, error_code) VALUES (?, ?, 'u-1', 'x', ?, ?, 'failed', 'phone:4')`, ch, a, at, at); err != nil {
		t.Fatal(err)
	}
	for _, l := range []struct{ at, kind string }{{at, "alert"}, {at, "reply"}, {later, "reply"}} {
		if _, err := db.Exec(ctx, db.SQL, `INSERT INTO alert_log (incident_id, at, actor, kind, text) VALUES (?, ?, 'rex', ?, '')`, inc, l.at, l.kind); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	tl, err := db.Timeline(ctx, inc)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range tl {
		s := l.Kind + ":-"
		if l.Delivery != nil {
			s = l.Kind + ":" + l.Delivery.State + "/" + l.Delivery.Code
		}
		got = append(got, s)
	}
	if want := []string{"alert:-", "reply:failed/phone:4", "reply:-"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("timeline after the upgrade %q, want %q", got, want)
	}
}
