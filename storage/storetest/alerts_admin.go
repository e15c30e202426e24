package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/storage"
)

// testChannelAdmin: an administrator disables a channel (its gateway is
// refused through the cached intake path, nothing is stored, its alerts
// stay) and enables it again; gives it a new secret (the old one stops at
// once, the new one works, the audit never holds it); removes a channel
// that was never used (its sending settings go with it) but not one with
// alerts (a conflict saying how many, nothing removed). Each change is
// audited; unknown channels are not found and change nothing.
func testChannelAdmin(t *testing.T, ctx context.Context, db *storage.DB) {
	s := alertService(t, db)
	ch, err := s.NewChannel(ctx, "admin", alerts.SMSSync, "Goma relay", "old-secret-1", "")
	if err != nil {
		t.Fatal(err)
	}
	spare, err := s.NewChannel(ctx, "admin", alerts.Webhook, "Spare webhook", "spare-secret", "")
	if err != nil {
		t.Fatal(err)
	}
	form, err := s.NewChannel(ctx, "admin", alerts.Web, "CLA form", "", "")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	receive := func(key string) error {
		t.Helper()
		c, err := s.IntakeChannel(ctx, alerts.SMSSync, key) // the intake path, cached
		if err != nil {
			return err
		}
		n++
		_, err = s.Receive(ctx, c, alerts.Inbound{GatewayID: fmt.Sprint("m", n), From: "+243800000010", Message: "Gunfire near the market"})
		return err
	}
	stored := func() int {
		t.Helper()
		as, err := db.Alerts(ctx, alerts.AlertFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		return len(as)
	}
	if err := receive(ch.Key); err != nil {
		t.Fatal(err)
	}
	yes, no := true, false
	if v, err := s.PatchChannel(ctx, "admin", ch.ID, alerts.ChannelPatch{Disabled: &yes}); err != nil || !v.Disabled {
		t.Fatalf("disable: %+v %v", v, err)
	}
	if err := receive(ch.Key); !errors.Is(err, alerts.ErrUnknownChannel) {
		t.Fatalf("a disabled channel took a message: %v", err)
	}
	if got := stored(); got != 1 {
		t.Fatalf("%d alerts stored, want the 1 from before (kept, nothing new)", got)
	}
	if v, err := s.PatchChannel(ctx, "admin", ch.ID, alerts.ChannelPatch{Disabled: &no}); err != nil || v.Disabled {
		t.Fatalf("enable: %+v %v", v, err)
	}
	if err := receive(ch.Key); err != nil {
		t.Fatalf("enabled again: %v", err)
	}

	// A new secret: the old one stops at once, the new one works.
	secretOK := func(secret string) bool {
		t.Helper()
		c, err := s.IntakeChannel(ctx, alerts.SMSSync, ch.Key)
		if err != nil {
			t.Fatal(err)
		}
		return alerts.SecretMatches(c, secret)
	}
	if !secretOK("old-secret-1") {
		t.Fatal("the first secret does not match")
	}
	made, err := s.RotateSecret(ctx, "admin", ch.ID, alerts.SecretRequest{})
	if err != nil || len(made.Secret) < 20 || made.Channel.ID != ch.ID {
		t.Fatalf("a secret made by the server: %+v %v", made, err)
	}
	if secretOK("old-secret-1") || !secretOK(made.Secret) {
		t.Fatal("after a new secret: the old one still works, or the new one does not")
	}
	given, err := s.RotateSecret(ctx, "admin", ch.ID, alerts.SecretRequest{Secret: "typed-secret-22"})
	if err != nil || given.Secret != "typed-secret-22" || secretOK(made.Secret) || !secretOK("typed-secret-22") {
		t.Fatalf("a secret given: %+v %v", given, err)
	}
	refused := []struct {
		name  string
		id    int64
		req   alerts.SecretRequest
		kind  apperr.Kind
		field string
	}{
		{"too short", ch.ID, alerts.SecretRequest{Secret: "short"}, apperr.KindInvalid, "secret"},
		{"a web form has no secret", form.ID, alerts.SecretRequest{}, apperr.KindInvalid, ""},
		{"unknown channel", ch.ID + 1000, alerts.SecretRequest{}, apperr.KindNotFound, ""},
	}
	for _, c := range refused {
		_, err := s.RotateSecret(ctx, "admin", c.id, c.req)
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Kind != c.kind || ae.Field != c.field {
			t.Errorf("%s: %v, want %s naming %q", c.name, err, c.kind, c.field)
		}
	}
	if !secretOK("typed-secret-22") {
		t.Error("a refused new secret changed the secret")
	}

	// Removal: not a channel with alerts; a channel never used, with its
	// sending settings.
	err = s.RemoveChannel(ctx, "admin", ch.ID)
	if k, _ := apperr.KindOf(err); k != apperr.KindConflict || !strings.Contains(err.Error(), "Goma relay has been used (alerts taken: 2; replies sent: 0; broadcasts carried: 0)") {
		t.Fatalf("removing a channel with alerts: %v", err)
	}
	if _, err := db.Exec(ctx, db.SQL, `INSERT INTO broadcast_gateways (channel_id, rate_per_s, updated) VALUES (?, 1, '2026-12-06T09:00:00Z')`, spare.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveChannel(ctx, "admin", spare.ID); err != nil {
		t.Fatalf("removing a channel never used: %v", err)
	}
	if err := s.RemoveChannel(ctx, "admin", spare.ID); !errors.Is(err, apperr.ErrNotFound) {
		t.Fatalf("removing it again: %v", err)
	}
	if _, err := s.IntakeChannel(ctx, alerts.Webhook, spare.Key); !errors.Is(err, alerts.ErrUnknownChannel) {
		t.Fatalf("a removed channel's intake: %v", err)
	}
	var gws int
	if err := db.QueryRow(ctx, db.SQL, `SELECT COUNT(*) FROM broadcast_gateways WHERE channel_id = ?`, spare.ID).Scan(&gws); err != nil || gws != 0 {
		t.Fatalf("the removed channel's sending settings: %d rows (%v)", gws, err)
	}
	cs, err := db.Channels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range cs {
		names = append(names, c.Name)
	}
	if !slices.Equal(names, []string{"Goma relay", "CLA form"}) || stored() != 2 {
		t.Fatalf("channels %q, %d alerts; want Goma relay and CLA form, 2 alerts", names, stored())
	}

	// The audit: each change, never a secret.
	for _, a := range []struct{ action, object, detail string }{
		{"alerts.channel.disable", fmt.Sprintf("channel:%d", ch.ID), "disabled"},
		{"alerts.channel.enable", fmt.Sprintf("channel:%d", ch.ID), "enabled"},
		{"alerts.channel.secret", fmt.Sprintf("channel:%d", ch.ID), "secret replaced|secret replaced"},
		{"alerts.channel.remove", fmt.Sprintf("channel:%d", spare.ID), `kind webhook, name "Spare webhook"`},
	} {
		recs, err := db.AuditLog(ctx, audit.Filter{Action: a.action})
		if err != nil {
			t.Fatal(err)
		}
		var details []string
		for _, r := range recs {
			if r.Actor != "admin" || r.Object != a.object {
				t.Errorf("%s: audit %+v", a.action, r)
			}
			details = append(details, r.Detail)
		}
		if got := strings.Join(details, "|"); got != a.detail {
			t.Errorf("%s: audit details %q, want %q", a.action, got, a.detail)
		}
	}
	all, err := db.AuditLog(ctx, audit.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range all {
		if strings.Contains(r.Detail, made.Secret) || strings.Contains(r.Detail, "typed-secret-22") {
			t.Errorf("the audit holds a secret: %+v", r)
		}
	}
	if err := db.PatchChannel(ctx, "admin", ch.ID+1000, alerts.ChannelPatch{Disabled: &yes}); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("store, disable an unknown channel: %v", err)
	}
	if err := db.SetChannelSecret(ctx, "admin", ch.ID+1000, []byte("x")); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("store, a secret for an unknown channel: %v", err)
	}
}
