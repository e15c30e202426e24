package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage"
)

// testChannelTipline: an existing channel is marked a tipline and unmarked
// (PatchChannel); the change is stored, audited, and applies to the next
// message read through the intake path (s.Channel, cached), which is handed
// to Service.Tipline only while the channel is one. Bad input names the
// field; an unknown channel is not found.
func testChannelTipline(t *testing.T, ctx context.Context, db *storage.DB) {
	s, ch := alertChannel(t, db, alerts.Webhook, "WhatsApp relay", "hooksecret")
	var handed []string
	s.Tipline = func(_ context.Context, c alerts.Channel, a *alerts.Alert) error {
		handed = append(handed, fmt.Sprintf("%d:%s", c.ID, a.Message))
		return nil
	}
	receive := func(msg string) {
		t.Helper()
		c, err := s.Channel(ctx, ch.Key) // the intake path, cached
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Receive(ctx, c, alerts.Inbound{GatewayID: msg, From: "+243800000009", Message: msg}); err != nil {
			t.Fatal(err)
		}
	}
	receive("before") // an ordinary channel: an alert only
	yes, no := true, false
	for i, step := range []struct {
		set    bool
		msg    string
		handed bool
	}{
		{true, "rumour one", true},
		{true, "rumour two", true}, // marking twice keeps it a tipline
		{false, "after", false},
	} {
		v, err := s.PatchChannel(ctx, "admin", ch.ID, alerts.ChannelPatch{Tipline: &step.set})
		if err != nil || v.Tipline != step.set || v.ID != ch.ID || v.Name != "WhatsApp relay" || v.URL == "" {
			t.Fatalf("step %d: patch tipline=%v: %+v %v", i, step.set, v, err)
		}
		cs, err := db.Channels(ctx)
		if err != nil || len(cs) != 1 || cs[0].Tipline != step.set {
			t.Fatalf("step %d: stored %+v %v", i, cs, err)
		}
		n := len(handed)
		receive(step.msg)
		if got := len(handed) > n; got != step.handed {
			t.Errorf("step %d: message %q handed to the tipline %v, want %v (%v)", i, step.msg, got, step.handed, handed)
		}
	}
	if want := []string{fmt.Sprintf("%d:rumour one", ch.ID), fmt.Sprintf("%d:rumour two", ch.ID)}; fmt.Sprint(handed) != fmt.Sprint(want) {
		t.Errorf("handed %v, want %v", handed, want)
	}
	recs, err := db.AuditLog(ctx, audit.Filter{Action: "alerts.channel.tipline"})
	if err != nil || len(recs) != 3 {
		t.Fatalf("audit: %+v %v", recs, err)
	}
	details := map[string]int{}
	for _, r := range recs {
		if r.Actor != "admin" || r.Object != fmt.Sprintf("channel:%d", ch.ID) {
			t.Errorf("audit record %+v", r)
		}
		details[r.Detail]++
	}
	if details["tipline on"] != 2 || details["tipline off"] != 1 {
		t.Errorf("audit details %v", details)
	}
	patchRefused(t, ctx, s, []refusedPatch{
		{"nothing to change", ch.ID, alerts.ChannelPatch{}, apperr.KindInvalid, ""},
		{"unknown channel", ch.ID + 1000, alerts.ChannelPatch{Tipline: &yes}, apperr.KindNotFound, ""},
		{"unknown channel, off", ch.ID + 1000, alerts.ChannelPatch{Tipline: &no}, apperr.KindNotFound, ""},
	})
	if err := db.PatchChannel(ctx, "admin", ch.ID+1000, alerts.ChannelPatch{Tipline: &yes}); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("store, unknown channel: %v", err)
	}
	if recs, _ := db.AuditLog(ctx, audit.Filter{Action: "alerts.channel.tipline"}); len(recs) != 3 {
		t.Errorf("refused changes audited: %d records", len(recs))
	}
}

// refusedPatch is a channel patch PatchChannel refuses with kind, naming
// field.
type refusedPatch struct {
	name  string
	id    int64
	req   alerts.ChannelPatch
	kind  apperr.Kind
	field string
}

// patchRefused checks that s refuses each patch as it says.
func patchRefused(t *testing.T, ctx context.Context, s *alerts.Service, cases []refusedPatch) {
	t.Helper()
	for _, c := range cases {
		_, err := s.PatchChannel(ctx, "admin", c.id, c.req)
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Kind != c.kind || ae.Field != c.field {
			t.Errorf("%s: %v, want %s naming %q", c.name, err, c.kind, c.field)
		}
	}
}
