package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/storage"
)

// testReplyWithheldOptIn: a reply queued for a reporter while the
// reporter's number is opted out, or queued before the opt-out and not
// yet sent, is withheld for good: opting the contact in again (a new
// consent) sends neither, and the timeline still says withheld with the
// opt-out's time; only a reply queued after the opt-in goes out. When
// the contact's number changes, at the opt-in or in an edit before it,
// the old number stays opted out (its STOP is kept as a number that is
// not a contact's): a reply to the reporter's old number queued after
// the opt-in is withheld too, with the STOP's time.
func testReplyWithheldOptIn(t *testing.T, open Opener) {
	ctx := context.Background()
	for _, c := range []struct {
		name     string
		newPhone string // the number the opt-in edit sets ("": kept)
		// moveFirst: the number changes in an edit without opt-in, while
		// the contact is opted out, then the opt-in keeps it
		moveFirst bool
		// race: the reply queued during the opt-out is left queued, as
		// when its queueing and the opt-out commit at once on PostgreSQL
		// (neither transaction sees the other's row)
		race bool
	}{
		{"same number", "", false, false},
		{"number changed at the opt-in", "+243811000299", false, false},
		{"number changed while opted out", "+243811000299", true, false},
		{"queued as the number opted out", "", false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := open(t)
			as, ch := alertChannel(t, db, alerts.SMSSync, "Bunia phone", "sms-secret-1")
			cs := contacts.NewService(db, as.Keys)
			cs.Channels = db
			clock := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
			cs.Now = func() time.Time { return clock }
			as.Now = func() time.Time { return clock }
			as.Inbound, as.RecipientMAC = cs, cs.RecipientMAC // as vigil serve wires them
			const phone = "+243811000201"
			amani, err := cs.Create(ctx, "ana", contacts.Input{Phone: phone, Language: "fr", ConsentHow: "verbal"})
			if err != nil {
				t.Fatal(err)
			}
			a, err := as.Receive(ctx, ch, alerts.Inbound{From: phone, Message: "Hommes armés près du marché", GatewayID: "w-1"})
			if err != nil {
				t.Fatal(err)
			}
			rex := &auth.User{Name: "rex", Role: auth.Responder}
			reply := func(msg string) alerts.Outgoing {
				t.Helper()
				clock = clock.Add(time.Minute)
				m, err := as.Reply(ctx, rex, a.ID, msg)
				if err != nil {
					t.Fatal(err)
				}
				return m
			}
			before := reply("Patrouille en route")
			clock = clock.Add(time.Minute)
			optedOut := clock
			if _, err := as.Receive(ctx, ch, alerts.Inbound{From: phone, Message: "STOP", GatewayID: "w-2"}); err != nil {
				t.Fatal(err)
			}
			during := reply("Patrouille arrivée")
			if c.race {
				if _, err := db.Exec(ctx, db.SQL, `UPDATE alert_outbox SET status = '', error_code = '', status_at = NULL WHERE uuid = ?`, during.UUID); err != nil {
					t.Fatal(err)
				}
			}
			clock = clock.Add(time.Minute)
			if c.moveFirst {
				got, err := cs.Update(ctx, "ana", amani.ID, contacts.Edit{Phone: contacts.To(c.newPhone)})
				if err != nil || got.OptedOutAt == nil {
					t.Fatalf("number changed while opted out: %+v %v, want still opted out", got, err)
				}
			}
			e := contacts.Edit{OptIn: true, ConsentHow: contacts.To("verbal, again")}
			if c.newPhone != "" {
				e.Phone = contacts.To(c.newPhone)
			}
			if _, err := cs.Update(ctx, "ana", amani.ID, e); err != nil {
				t.Fatal(err)
			}
			moved := c.newPhone != ""
			if out, err := cs.OptedOut(ctx, phone); err != nil || out != moved {
				t.Fatalf("after the opt-in, the reporter's number opted out %v (%v), want %v", out, err, moved)
			}
			if moved {
				if out, err := cs.OptedOut(ctx, c.newPhone); err != nil || out {
					t.Fatalf("after the opt-in, the contact's new number opted out %v (%v), want false", out, err)
				}
				// The old number's opt-out kept is audited once, as a
				// number that is not a contact's, with the STOP's words.
				rs, err := db.AuditLog(ctx, audit.Filter{Action: "contacts.opt-out"})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for i := len(rs) - 1; i >= 0; i-- {
					got = append(got, rs[i].Object+": "+rs[i].Detail)
				}
				if want := []string{fmt.Sprintf("contact:%d: reply: stop", amani.ID), "number (not a contact): reply: stop"}; !slices.Equal(got, want) {
					t.Errorf("opt-outs audited %q, want %q", got, want)
				}
			}
			after := reply("Merci")
			uuids := pendingUUIDs(t, ctx, db, ch.ID)
			// The reply queued after the opt-in goes to the reporter's
			// number: the contact's, sent; or, once an edit changed the
			// contact's number, the old number, whose STOP still holds.
			want := []string{after.UUID}
			if moved {
				want = nil
			}
			if fmt.Sprint(uuids) != fmt.Sprint(want) {
				t.Errorf("pending after the opt-in %q, want %q (before %s, during %s, after %s)", uuids, want, before.UUID, during.UUID, after.UUID)
			}
			tl, err := db.Timeline(ctx, a.IncidentID)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range tl {
				if l.Kind != "reply" || l.Delivery == nil {
					continue
				}
				s := l.Delivery.State + "/" + l.Delivery.Code
				if l.Delivery.OptedOutAt != nil {
					s += " " + l.Delivery.OptedOutAt.UTC().Format(time.TimeOnly)
				}
				got = append(got, s)
			}
			at := optedOut.Format(time.TimeOnly)
			wantTL := []string{"withheld/opted-out " + at, "withheld/opted-out " + at, "queued/"}
			if moved {
				wantTL[2] = "withheld/opted-out " + at
			}
			if fmt.Sprint(got) != fmt.Sprint(wantTL) {
				t.Errorf("reply lines after the opt-in %q, want %q", got, wantTL)
			}
		})
	}
}

// testReplyWithheldUpgrade: replies and tipline answers queued before
// migration 0069, unsent, to a number that is opted out (a contact's, or
// a number that is not one) are withheld after the upgrade exactly as a
// message is withheld since (storage's withholdOptedOut): status
// withheld, code opted-out, the opt-out's time, no claim; whether queued
// before the opt-out or after. Messages already sent or failed, to a
// number not opted out, with no recipient hash, or of a broadcast (its
// reach counts them) are left as they were. Opting the contact in again
// then releases none of the withheld ones.
func testReplyWithheldUpgrade(t *testing.T, ctx context.Context, db *storage.DB) {
	wipe(t, db)
	if err := db.MigrateTo(ctx, 68); err != nil {
		t.Fatal(err)
	}
	const (
		t0       = "2026-12-06T04:00:00.000000Z"
		t1       = "2026-12-06T05:00:00.000000Z" // the contact opts out
		t2       = "2026-12-06T06:00:00.000000Z" // the tipline sender opts out
		t3       = "2026-12-06T07:00:00.000000Z"
		contact  = "mac-contact"
		sender   = "mac-sender"
		reporter = "mac-reporter"
	)
	exec := func(q string, args ...any) int64 {
		t.Helper()
		id, err := db.InsertID(ctx, db.SQL, q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id
	}
	ch := exec(`INSERT INTO alert_channels (chan_key, kind, name, legal_basis, created) VALUES ('key-w', 'smssync', 'Bunia phone', 'consent', ?)`, t0)
	inc := exec(`INSERT INTO alert_incidents (status, loc_status, first_at, last_at, alert_count, updated_at) VALUES ('received', 'unresolved', ?, ?, 1, ?)`, t0, t0, t0)
	a := exec(`INSERT INTO alerts (channel_id, incident_id, message, received_at, loc_status) VALUES (?, ?, '', ?, 'unresolved')`, ch, inc, t0)
	amani := exec(`INSERT INTO contacts (phone_sealed, phone_mac, language, consent_at, consent_how, consent_by, opted_out_at, opt_out_how, created)
		VALUES (?, ?, 'fr', ?, 'verbal', 'ana', ?, 'sms STOP', ?)`, []byte("sealed"), contact, t0, t1, t0)
	exec(`INSERT INTO contacts (phone_sealed, phone_mac, language, consent_at, consent_how, consent_by, created) VALUES (?, ?, 'fr', ?, 'verbal', 'ana', ?)`, []byte("sealed-2"), reporter, t0, t0)
	if _, err := db.Exec(ctx, db.SQL, `INSERT INTO contact_optouts (phone_mac, at, how) VALUES (?, ?, 'sms STOP')`, sender, t2); err != nil {
		t.Fatal(err)
	}
	b := exec(`INSERT INTO broadcasts (channel_id, actor, messages, fallback, scheduled_at, created) VALUES (?, 'ana', '{}', 'fr', ?, ?)`, ch, t0, t0)
	rows := []struct {
		uuid, to, created string
		sentAt, claimedAt any
		status            string
		broadcast         bool
		want              string // status/code status_at claimed after the upgrade
	}{
		{"before-optout", contact, t0, nil, nil, "", false, "withheld/opted-out " + t1 + " -"},
		{"after-optout", contact, t3, nil, nil, "", false, "withheld/opted-out " + t1 + " -"},
		{"claimed", contact, t3, nil, t3, "", false, "withheld/opted-out " + t1 + " -"},
		{"answer-after", sender, t3, nil, nil, "", false, "withheld/opted-out " + t2 + " -"},
		{"answer-before", sender, t0, nil, nil, "", false, "withheld/opted-out " + t2 + " -"},
		{"sent", contact, t0, t0, nil, "", false, "/ - -"},
		{"failed", contact, t0, nil, nil, "failed", false, "failed/ - -"},
		{"not-opted-out", reporter, t3, nil, nil, "", false, "/ - -"},
		{"no-hash", "", t3, nil, nil, "", false, "/ - -"},
		{"broadcast", contact, t3, nil, nil, "", true, "/ - -"},
	}
	lines := map[string]int64{}
	for _, r := range rows {
		var bid, cid any
		if r.broadcast {
			bid, cid = b, amani
		}
		id := exec(`INSERT INTO alert_outbox (channel_id, alert_id, contact_id, broadcast_id, uuid, message, to_sealed, to_mac, created, sent_at, claimed_at, status)
			VALUES (?, ?, ?, ?, ?, 'x', ?, ?, ?, ?, ?, ?)`, ch, a, cid, bid, r.uuid, []byte("to"), r.to, r.created, r.sentAt, r.claimedAt, r.status)
		lines[r.uuid] = exec(`INSERT INTO alert_log (incident_id, at, actor, kind, text, outbox_id) VALUES (?, ?, 'rex', 'reply', '', ?)`, inc, r.created, id)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	sc, err := db.Query(ctx, db.SQL, `SELECT uuid, status, error_code, status_at, claimed_at FROM alert_outbox`)
	if err != nil {
		t.Fatal(err)
	}
	for sc.Next() {
		var uuid, status, code string
		var statusAt, claimed *string
		if err := sc.Scan(&uuid, &status, &code, &statusAt, &claimed); err != nil {
			t.Fatal(err)
		}
		or := func(s *string) string {
			if s == nil {
				return "-"
			}
			return *s
		}
		got[uuid] = fmt.Sprintf("%s/%s %s %s", status, code, or(statusAt), or(claimed))
	}
	if err := sc.Close(); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if got[r.uuid] != r.want {
			t.Errorf("%s after the upgrade: %q, want %q", r.uuid, got[r.uuid], r.want)
		}
	}
	// The timeline says it as for a message withheld since.
	tl, err := db.Timeline(ctx, inc)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range tl {
		if l.ID != lines["before-optout"] {
			continue
		}
		if d := l.Delivery; d == nil || d.State != alerts.DeliveryWithheld || d.OptedOutAt == nil || d.OptedOutAt.Format(time.RFC3339) != "2026-12-06T05:00:00Z" {
			t.Errorf("timeline line of a reply queued before the opt-out: %+v, want withheld since 05:00", d)
		}
	}
	// Opting the contact in, and forgetting the sender's opt-out, sends
	// none of them.
	if _, err := db.Exec(ctx, db.SQL, `UPDATE contacts SET opted_out_at = NULL, opt_out_how = '' WHERE id = ?`, amani); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, db.SQL, `DELETE FROM contact_optouts`); err != nil {
		t.Fatal(err)
	}
	if uuids, want := pendingUUIDs(t, ctx, db, ch), []string{"not-opted-out", "no-hash", "broadcast"}; fmt.Sprint(uuids) != fmt.Sprint(want) {
		t.Errorf("pending after the opt-in %q, want %q", uuids, want)
	}
}

// pendingUUIDs are the uuids of the messages channel ch hands its phone
// next (PendingOutgoing), oldest first.
func pendingUUIDs(t *testing.T, ctx context.Context, db *storage.DB, ch int64) []string {
	t.Helper()
	pending, err := db.PendingOutgoing(ctx, ch, 50)
	if err != nil {
		t.Fatal(err)
	}
	var uuids []string
	for _, m := range pending {
		uuids = append(uuids, m.UUID)
	}
	return uuids
}

// testReplyDeliveryLive: each change to what became of a reply's or a
// tipline answer's message moves the queue's change counter (what the
// live stream follows, alerts.Service.WatchStore), so an incident page
// open on its timeline shows it at once: taken by the phone, a result or
// receipt, a push, failed in doubt, withheld at the opt-out. A
// broadcast's message, which is on no timeline, does not move it, nor a
// receipt naming no message. Before, the counter did not move and a page
// listening to the stream showed « en file d'attente » until another
// change to the queue.
func testReplyDeliveryLive(t *testing.T, ctx context.Context, db *storage.DB) {
	as, ch := alertChannel(t, db, alerts.SMSSync, "Bunia phone", "sms-secret-1")
	cs := contacts.NewService(db, as.Keys)
	cs.Channels = db
	clock := time.Now().UTC()
	cs.Now = func() time.Time { return clock }
	as.Inbound, as.RecipientMAC = cs, cs.RecipientMAC
	const phone = "+243811000301"
	a, err := as.Receive(ctx, ch, alerts.Inbound{From: phone, Message: "Hommes armés près du marché", GatewayID: "l-1"})
	if err != nil {
		t.Fatal(err)
	}
	rex := &auth.User{Name: "rex", Role: auth.Responder}
	var r [5]alerts.Outgoing
	for i := range r {
		if r[i], err = as.Reply(ctx, rex, a.ID, fmt.Sprint("Réponse ", i)); err != nil {
			t.Fatal(err)
		}
	}
	b, err := db.InsertID(ctx, db.SQL, `INSERT INTO broadcasts (channel_id, actor, messages, fallback, scheduled_at, created) VALUES (?, 'ana', '{}', 'fr', ?, ?)`, ch.ID, "2026-12-07T09:00:00Z", "2026-12-07T09:00:00Z")
	if err != nil {
		t.Fatal(err)
	}
	bm, err := db.InsertID(ctx, db.SQL, `INSERT INTO alert_outbox (channel_id, broadcast_id, uuid, message, to_sealed, created) VALUES (?, ?, 'bcast-1', 'x', ?, ?)`, ch.ID, b, []byte("to"), "2026-12-07T09:00:00Z")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []struct {
		name  string
		do    func() error
		moves bool
	}{
		{"reply taken by the phone", func() error { _, err := db.MarkOutgoingSent(ctx, ch.ID, []string{r[0].UUID}, clock); return err }, true},
		{"reply reported delivered", func() error {
			_, err := cs.RecordResults(ctx, ch, []alerts.MessageResult{{UUID: r[0].UUID, SentCode: -1, SentMessage: "SMS sent", DeliveredCode: -1, DeliveredMessage: "SMS delivered"}})
			return err
		}, true},
		{"reply pushed", func() error { return db.RecordPush(ctx, r[1].ID, contacts.PushResult{Sent: true, Ref: "SM1"}, clock) }, true},
		{"reply to try again", func() error {
			return db.RecordPush(ctx, r[2].ID, contacts.PushResult{NextAt: clock.Add(time.Minute), Error: "busy", Code: "server-error:503"}, clock)
		}, true},
		{"reply failed in doubt", func() error {
			if ok, err := db.ClaimPush(ctx, r[3].ID, clock.Add(-time.Hour), clock.Add(-2*time.Hour)); !ok || err != nil {
				return fmt.Errorf("claim: %v %v", ok, err)
			}
			_, err := db.FailInDoubt(ctx, ch.ID, clock.Add(-time.Minute), clock, "no answer")
			return err
		}, true},
		{"reply withheld at the opt-out", func() error {
			_, err := as.Receive(ctx, ch, alerts.Inbound{From: phone, Message: "STOP", GatewayID: "l-2"})
			return err
		}, true},
		{"broadcast message taken by the phone", func() error { _, err := db.MarkOutgoingSent(ctx, ch.ID, []string{"bcast-1"}, clock); return err }, false},
		{"broadcast message pushed", func() error { return db.RecordPush(ctx, bm, contacts.PushResult{Sent: true, Ref: "SM2"}, clock) }, false},
		{"broadcast message reported", func() error {
			_, err := cs.RecordResults(ctx, ch, []alerts.MessageResult{{UUID: "bcast-1", SentCode: -1, DeliveredCode: -1}})
			return err
		}, false},
		{"result naming no message", func() error {
			_, err := cs.RecordResults(ctx, ch, []alerts.MessageResult{{UUID: "nobody", SentCode: -1}})
			return err
		}, false},
	} {
		before, err := db.QueueVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		after, err := db.QueueVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if moved := after > before; moved != s.moves {
			t.Errorf("%s: queue counter %d → %d, want moved %v", s.name, before, after, s.moves)
		}
	}
	tl, err := db.Timeline(ctx, a.IncidentID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range tl {
		if l.Delivery != nil {
			got = append(got, l.Delivery.State)
		}
	}
	// The reply to try again was unsent at the opt-out: withheld too.
	if want := []string{"delivered", "sent", "withheld", "failed", "withheld"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("reply deliveries %q, want %q", got, want)
	}
}

// testReplyWithheldOptInRace: a reply queued while the reporter's number
// is opted out stays withheld when the contact is opted in at the same
// moment. The opt-in is made while the reply's transaction has written
// its row and not yet checked it against the opt-out (storage.DB's
// QueueHook): on PostgreSQL the opt-in did not see the uncommitted row
// (so did not withhold it) and committed first, then the reply's check
// found the number opted in and left the reply queued: sent, though it
// was queued while the number was opted out and its line said so before
// the opt-in. Now the two are serialised on the number (the opt-in waits
// for the queueing, found waiting in pg_stat_activity, then withholds
// what it queued). SQLite begins every write transaction IMMEDIATE: the
// opt-in there cannot begin before the reply commits.
func testReplyWithheldOptInRace(t *testing.T, ctx context.Context, db *storage.DB) {
	as, ch := alertChannel(t, db, alerts.SMSSync, "Bunia phone", "sms-secret-1")
	cs := contacts.NewService(db, as.Keys)
	cs.Channels = db
	clock := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock } // read by the opt-in's goroutine too: set before it starts
	cs.Now, as.Now = now, now
	as.Inbound, as.RecipientMAC = cs, cs.RecipientMAC
	const phone = "+243811000401"
	amani, err := cs.Create(ctx, "ana", contacts.Input{Phone: phone, Language: "fr", ConsentHow: "verbal"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := as.Receive(ctx, ch, alerts.Inbound{From: phone, Message: "Hommes armés près du marché", GatewayID: "r-1"})
	if err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Minute)
	optedOut := clock
	if _, err := as.Receive(ctx, ch, alerts.Inbound{From: phone, Message: "STOP", GatewayID: "r-2"}); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Minute)
	var optedIn <-chan error
	db.QueueHook = func(tx *sql.Tx) {
		db.QueueHook = nil
		optedIn = interleave(t, ctx, db, tx, func() error {
			_, err := cs.Update(ctx, "ana", amani.ID, contacts.Edit{OptIn: true, ConsentHow: contacts.To("verbal, again")})
			return err
		})
	}
	rex := &auth.User{Name: "rex", Role: auth.Responder}
	during, err := as.Reply(ctx, rex, a.ID, "Patrouille en route")
	if err != nil {
		t.Fatal(err)
	}
	if optedIn == nil {
		t.Fatal("the reply's queueing ran no hook")
	}
	if err := <-optedIn; err != nil {
		t.Fatalf("the opt-in: %v", err)
	}
	clock = clock.Add(time.Minute)
	after, err := as.Reply(ctx, rex, a.ID, "Merci")
	if err != nil {
		t.Fatal(err)
	}
	if uuids, want := pendingUUIDs(t, ctx, db, ch.ID), []string{after.UUID}; !slices.Equal(uuids, want) {
		t.Errorf("pending after the opt-in %q, want %q (the reply queued with it: %s)", uuids, want, during.UUID)
	}
	if got, want := replyLines(t, ctx, db, a.IncidentID), []string{"withheld/opted-out " + optedOut.Format(time.TimeOnly), "queued/"}; !slices.Equal(got, want) {
		t.Errorf("reply lines %q, want %q", got, want)
	}
}

// replyLines are what became of the replies on an incident's timeline,
// oldest first: "state/code", and the opt-out's time when withheld.
func replyLines(t *testing.T, ctx context.Context, db *storage.DB, incident int64) []string {
	t.Helper()
	tl, err := db.Timeline(ctx, incident)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range tl {
		if l.Kind == "reply" && l.Delivery != nil {
			s := l.Delivery.State + "/" + l.Delivery.Code
			if l.Delivery.OptedOutAt != nil {
				s += " " + l.Delivery.OptedOutAt.UTC().Format(time.TimeOnly)
			}
			got = append(got, s)
		}
	}
	return got
}

// interleave runs run in a goroutine while tx is open and returns once
// run has ended or, on PostgreSQL, waits for tx (found waiting in
// pg_stat_activity); run's error comes on the channel. On SQLite, where
// every write transaction begins IMMEDIATE, run's writes wait for tx to
// end: it returns at once.
func interleave(t *testing.T, ctx context.Context, db *storage.DB, tx *sql.Tx, run func() error) <-chan error {
	done := make(chan error, 1)
	go func() { done <- run() }()
	if db.Dialect != storage.Postgres {
		return done
	}
	var pid int
	if err := tx.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		t.Error(err)
		return done
	}
	for {
		select {
		case err := <-done:
			done <- err
			return done
		default:
		}
		var waiting int
		if err := db.SQL.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`, pid).Scan(&waiting); err != nil {
			t.Error(err)
			return done
		}
		if waiting > 0 {
			return done
		}
	}
}

// testReplyWithheldOptOutRace: a reply queued at the moment its
// reporter's number opts out (STOP) is withheld, never sent. The reply
// is queued while the opt-out's transaction has withheld the number's
// unsent messages and not yet committed (storage.DB's OptOutHook): on
// PostgreSQL the reply's own check did not see the uncommitted opt-out
// and the opt-out had not seen the reply's row, so the reply stayed
// queued, its line « en file d'attente » for good after the STOP (the
// gateways' reads passed it over: nothing pending). Now the opt-out takes
// the number's lock before it withholds (as the queueing and an opt-in
// do, lockNumbers): the queueing waits for it, then withholds its own
// message. A broadcast queued at that moment to the contact's group is
// never handed to a gateway either: nothing is left pending. SQLite
// begins every write transaction IMMEDIATE: there the reply cannot be
// written before the opt-out commits.
func testReplyWithheldOptOutRace(t *testing.T, ctx context.Context, db *storage.DB) {
	as, ch := alertChannel(t, db, alerts.SMSSync, "Bunia phone", "sms-secret-1")
	cs := contacts.NewService(db, as.Keys)
	cs.Channels = db
	clock := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock } // read by the reply's goroutine too: set before it starts
	cs.Now, as.Now = now, now
	as.Inbound, as.RecipientMAC = cs, cs.RecipientMAC
	const phone = "+243811000402"
	if _, err := cs.Create(ctx, "ana", contacts.Input{Phone: phone, Language: "fr", Groups: []string{"marche"}, ConsentHow: "verbal"}); err != nil {
		t.Fatal(err)
	}
	a, err := as.Receive(ctx, ch, alerts.Inbound{From: phone, Message: "Hommes armés près du marché", GatewayID: "o-1"})
	if err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Minute)
	rex := &auth.User{Name: "rex", Role: auth.Responder}
	var replied <-chan error
	var during alerts.Outgoing
	db.OptOutHook = func(tx *sql.Tx) {
		db.OptOutHook = nil
		replied = interleave(t, ctx, db, tx, func() error {
			m, err := as.Reply(ctx, rex, a.ID, "Patrouille en route")
			during = m
			if err != nil {
				return err
			}
			// A broadcast to the contact's group: refused when the
			// opt-out is seen (all opted out), else queued and never sent.
			_, err = cs.Send(ctx, "ana", contacts.BroadcastRequest{ChannelID: ch.ID, Audience: contacts.Audience{Group: "marche"}, Messages: map[string]string{"fr": "Réunion demain"}})
			if isUnprocessable(err) {
				err = nil
			}
			return err
		})
	}
	if _, err := as.Receive(ctx, ch, alerts.Inbound{From: phone, Message: "STOP", GatewayID: "o-2"}); err != nil {
		t.Fatal(err)
	}
	if replied == nil {
		t.Fatal("the opt-out ran no hook")
	}
	if err := <-replied; err != nil {
		t.Fatalf("the reply: %v", err)
	}
	if uuids := pendingUUIDs(t, ctx, db, ch.ID); len(uuids) != 0 {
		t.Errorf("pending after the opt-out %q, want none (the reply: %s)", uuids, during.UUID)
	}
	if got, want := replyLines(t, ctx, db, a.IncidentID), []string{"withheld/opted-out " + clock.Format(time.TimeOnly)}; !slices.Equal(got, want) {
		t.Errorf("reply lines %q, want %q", got, want)
	}
}
