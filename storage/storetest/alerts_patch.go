package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage"
)

// testChannelPatchOneChange: a channel patch naming its tipline, language
// and disabled state is one change. When the database fails part-way (here
// it refuses the disable's audit entry, written after the others), nothing
// of it is stored or audited; once the database takes it, all of it is,
// with one audit entry per setting. The store refuses an unknown channel
// and writes nothing.
func testChannelPatchOneChange(t *testing.T, ctx context.Context, db *storage.DB) {
	s, ch := alertChannel(t, db, alerts.SMSSync, "Kiwanja relay", "relay-secret-1")
	yes, fr := true, "fr"
	patch := alerts.ChannelPatch{Tipline: &yes, Lang: &fr, Disabled: &yes}
	stored := func() alerts.Channel {
		t.Helper()
		c, err := db.ChannelByKey(ctx, ch.Key)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	audited := func() string {
		t.Helper()
		recs, err := db.AuditLog(ctx, audit.Filter{Action: "alerts.channel."})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range recs {
			if r.Action != "alerts.channel.create" {
				out = append(out, r.Action+" "+r.Detail)
			}
		}
		return strings.Join(out, "|")
	}

	undo := refuseAudit(t, ctx, db, "alerts.channel.disable")
	if _, err := s.PatchChannel(ctx, "admin", ch.ID, patch); err == nil {
		t.Fatal("the database refused the change, yet the patch succeeded")
	}
	undo()
	if c := stored(); c.Tipline || c.Lang != "" || c.Disabled {
		t.Errorf("a failed patch left part of its change: tipline %v, lang %q, disabled %v", c.Tipline, c.Lang, c.Disabled)
	}
	if got := audited(); got != "" {
		t.Errorf("a failed patch was audited: %s", got)
	}

	v, err := s.PatchChannel(ctx, "admin", ch.ID, patch)
	if err != nil || !v.Tipline || v.Lang != "fr" || !v.Disabled {
		t.Fatalf("the patch again: %+v %v", v, err)
	}
	if c := stored(); !c.Tipline || c.Lang != "fr" || !c.Disabled {
		t.Errorf("stored tipline %v, lang %q, disabled %v; want all three changed", c.Tipline, c.Lang, c.Disabled)
	}
	// AuditLog is newest first; the three are written in one transaction.
	want := map[string]bool{"alerts.channel.tipline tipline on": true, "alerts.channel.lang lang fr": true, "alerts.channel.disable disabled": true}
	got := strings.Split(audited(), "|")
	if len(got) != len(want) {
		t.Fatalf("audit %q, want one entry for each of %v", got, want)
	}
	for _, g := range got {
		if !want[g] {
			t.Errorf("audit %q, want one entry for each of %v", got, want)
		}
	}

	// The store itself: an unknown channel is not found, nothing audited.
	before := audited()
	if err := db.PatchChannel(ctx, "admin", ch.ID+1000, patch); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("store, unknown channel: %v", err)
	}
	if after := audited(); after != before {
		t.Errorf("a patch of an unknown channel was audited: %s", after)
	}
}

// refuseAudit makes db refuse, until undo is called, every audit entry of
// action: the database failing part-way through a change that writes it.
func refuseAudit(t *testing.T, ctx context.Context, db *storage.DB, action string) (undo func()) {
	t.Helper()
	do := []string{fmt.Sprintf(`CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_log
		WHEN NEW.action = '%s' BEGIN SELECT RAISE(ABORT, 'audit refused (test)'); END`, action)}
	undoQ := []string{`DROP TRIGGER test_refuse_audit`}
	if db.Dialect == storage.Postgres {
		do = []string{
			`CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused (test)'; END $$`,
			fmt.Sprintf(`CREATE TRIGGER test_refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW
				WHEN (NEW.action = '%s') EXECUTE PROCEDURE test_refuse_audit()`, action),
		}
		undoQ = []string{`DROP TRIGGER test_refuse_audit ON audit_log`, `DROP FUNCTION test_refuse_audit()`}
	}
	for _, q := range do {
		if _, err := db.SQL.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	return func() {
		t.Helper()
		for _, q := range undoQ {
			if _, err := db.SQL.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// testChannelUseCounted: the admin page's stats (ChannelStats) count
// every use that makes the store refuse a channel's removal, as the
// refusal says them: its alerts, the replies sent through it and the
// broadcasts it carried (one each, however many messages it queued), so
// the page offers to remove only what the server would: a channel that
// only sent shows it, and is refused; one never used shows nothing, and
// is removed. A broadcast scheduled for later counts before it queued any
// message: removing its channel would leave it nothing to go through.
// Before, a broadcast counted as itself plus its messages, one sum of
// "outgoing messages" that was neither.
func testChannelUseCounted(t *testing.T, ctx context.Context, db *storage.DB) {
	as := alertService(t, db)
	cs := contacts.NewService(db, as.Keys)
	form, err := as.NewChannel(ctx, "admin", alerts.Web, "Bunia form", "", "")
	if err != nil {
		t.Fatal(err)
	}
	replies, err := as.NewChannel(ctx, "admin", alerts.SMSSync, "Bunia phone", "relay-secret-1", "")
	if err != nil {
		t.Fatal(err)
	}
	casts, err := as.NewChannel(ctx, "admin", alerts.Webhook, "Broadcast relay", "relay-secret-2", "")
	if err != nil {
		t.Fatal(err)
	}
	spare, err := as.NewChannel(ctx, "admin", alerts.Webhook, "Spare webhook", "relay-secret-3", "")
	if err != nil {
		t.Fatal(err)
	}
	later, err := as.NewChannel(ctx, "admin", alerts.Webhook, "Evening relay", "relay-secret-4", "")
	if err != nil {
		t.Fatal(err)
	}
	a, err := as.Receive(ctx, form, alerts.Inbound{From: "+243811000009", Message: "Gunfire near the market"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := as.Reply(ctx, &auth.User{Name: "responder"}, a.ID, "A patrol is on its way"); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Import(ctx, "analyst", []contacts.Row{{Where: "c.csv:2", Input: contacts.Input{Phone: "+243810000001", Language: "fr", Groups: []string{"can"}, ConsentHow: "verbal"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Send(ctx, "analyst", contacts.BroadcastRequest{ChannelID: casts.ID, Audience: contacts.Audience{Group: "can"}, Messages: map[string]string{"fr": "Réunion demain"}}); err != nil {
		t.Fatal(err)
	}
	b, err := cs.Send(ctx, "analyst", contacts.BroadcastRequest{ChannelID: later.ID, Audience: contacts.Audience{Group: "can"},
		Messages: map[string]string{"fr": "Réunion ce soir"}, At: time.Now().Add(24 * time.Hour)})
	if err != nil || b.QueuedAt != nil {
		t.Fatalf("scheduled broadcast %+v %v, want it stored, not queued", b, err)
	}
	if out, err := db.PendingOutgoing(ctx, later.ID, 10); err != nil || len(out) != 0 {
		t.Fatalf("the scheduled broadcast queued %d messages (%v), want none yet", len(out), err)
	}
	stats, err := as.ChannelStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		ch                          alerts.Channel
		alerts, replies, broadcasts int
	}{
		{form, 1, 0, 0},
		{replies, 0, 1, 0}, // the reply queued
		{casts, 0, 0, 1},   // the broadcast (its one message not counted again)
		{later, 0, 0, 1},   // the scheduled broadcast, no message queued yet
		{spare, 0, 0, 0},
	} {
		var st *alerts.ChannelStats
		for _, s := range stats {
			if s.Channel == c.ch.ID {
				st = s
			}
		}
		if st == nil || st.Messages+st.Phone != c.alerts || st.Replies != c.replies || st.Broadcasts != c.broadcasts {
			t.Errorf("%s: stats %+v, want %d alerts, %d replies and %d broadcasts", c.ch.Name, st, c.alerts, c.replies, c.broadcasts)
			continue
		}
		err := as.RemoveChannel(ctx, "admin", c.ch.ID)
		used := c.alerts+c.replies+c.broadcasts > 0
		if used != errors.Is(err, apperr.ErrConflict) || (!used && err != nil) {
			t.Errorf("%s: removal %v; its stats say used %v", c.ch.Name, err, used)
		}
		if used && !strings.Contains(err.Error(), fmt.Sprintf("(alerts taken: %d; replies sent: %d; broadcasts carried: %d)", c.alerts, c.replies, c.broadcasts)) {
			t.Errorf("%s: refusal %q does not say the stats' counts", c.ch.Name, err)
		}
	}
}
