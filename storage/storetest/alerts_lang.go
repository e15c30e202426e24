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

// testChannelLang: a channel created with a language keeps it; an existing
// channel's language is set, changed and cleared (PatchChannel), stored,
// audited, and decides the language of the answer to the next reporter
// read through the intake path (s.Channel, cached), whatever their
// message's language; a patch naming nothing, an unknown language or an
// unknown channel is refused and changes nothing.
func testChannelLang(t *testing.T, ctx context.Context, db *storage.DB) {
	s := alertService(t, db)
	fr, err := s.NewChannel(ctx, "admin", alerts.Twilio, "Bunia SMS", "tok-secret", "", alerts.InLang("fr"))
	if err != nil {
		t.Fatal(err)
	}
	ch, err := s.NewChannel(ctx, "admin", alerts.SMSSync, "Djugu phone", "s3cret-gw", "")
	if err != nil {
		t.Fatal(err)
	}
	stored := func(id int64) string {
		t.Helper()
		cs, err := db.Channels(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.ID == id {
				return c.Lang
			}
		}
		t.Fatalf("channel %d not listed", id)
		return ""
	}
	if got := stored(fr.ID); got != "fr" {
		t.Fatalf("created in French: stored %q", got)
	}
	answer := func(msg string) string {
		t.Helper()
		c, err := s.Channel(ctx, ch.Key) // the intake path, cached
		if err != nil {
			t.Fatal(err)
		}
		a, err := s.Receive(ctx, c, alerts.Inbound{GatewayID: msg, From: "+243800000009", Message: msg})
		if err != nil {
			t.Fatal(err)
		}
		return s.ReporterReply(c, a)
	}
	const english, french = "Gunfire near the school this morning", "Des hommes armés ont attaqué le village ce matin"
	if got := answer(english); got != alerts.ReporterTexts["en"].Received {
		t.Fatalf("no channel language, an English message: %q", got)
	}
	for i, step := range []struct{ lang, msg, want string }{
		{"fr", english, alerts.ReporterTexts["fr"].Received},
		{"en", french + ".", alerts.ReporterTexts["en"].Received},
		{"", french + "!", alerts.ReporterTexts["fr"].Received}, // none: the message's own
	} {
		v, err := s.PatchChannel(ctx, "admin", ch.ID, alerts.ChannelPatch{Lang: &step.lang})
		if err != nil || v.Lang != step.lang || v.ID != ch.ID || v.Tipline || v.URL == "" {
			t.Fatalf("step %d: patch lang=%q: %+v %v", i, step.lang, v, err)
		}
		if got := stored(ch.ID); got != step.lang {
			t.Fatalf("step %d: stored %q, want %q", i, got, step.lang)
		}
		if got := answer(step.msg); got != step.want {
			t.Errorf("step %d: channel %q, message %q: answer %q, want %q", i, step.lang, step.msg, got, step.want)
		}
	}
	recs, err := db.AuditLog(ctx, audit.Filter{Action: "alerts.channel.lang"})
	if err != nil || len(recs) != 3 {
		t.Fatalf("audit: %+v %v", recs, err)
	}
	var details []string
	for _, r := range recs {
		if r.Actor != "admin" || r.Object != fmt.Sprintf("channel:%d", ch.ID) {
			t.Errorf("audit record %+v", r)
		}
		details = append(details, r.Detail)
	}
	if got := fmt.Sprint(details); got != "[lang fr lang en lang none]" && got != "[lang none lang en lang fr]" {
		t.Errorf("audit details %v", details)
	}
	de, fr2 := "de", "fr"
	patchRefused(t, ctx, s, []refusedPatch{
		{"nothing to change", ch.ID, alerts.ChannelPatch{}, apperr.KindInvalid, ""},
		{"unknown language", ch.ID, alerts.ChannelPatch{Lang: &de}, apperr.KindInvalid, "lang"},
		{"unknown channel", ch.ID + 1000, alerts.ChannelPatch{Lang: &fr2}, apperr.KindNotFound, ""},
	})
	if _, err := s.NewChannel(ctx, "admin", alerts.Web, "Form", "", "", alerts.InLang("de")); apperr.FieldOf(err) != "lang" {
		t.Errorf("new channel in an unknown language: %v", err)
	}
	if err := db.PatchChannel(ctx, "admin", ch.ID+1000, alerts.ChannelPatch{Lang: &fr2}); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("store, unknown channel: %v", err)
	}
	if got := stored(ch.ID); got != "" {
		t.Errorf("refused changes stored %q", got)
	}
	if recs, _ := db.AuditLog(ctx, audit.Filter{Action: "alerts.channel.lang"}); len(recs) != 3 {
		t.Errorf("refused changes audited: %d records", len(recs))
	}
}
