package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/storage"
)

// testAlertAddLog: AddLog writes its lines to their incidents' timelines,
// after what is there, as given, and moves the live queue's counter on
// (alerts.Service.AnswerLines makes the tipline answers' lines).
func testAlertAddLog(t *testing.T, ctx context.Context, db *storage.DB) {
	s, ch := alertChannel(t, db, alerts.SMSSync, "Bunia tipline", "secret-1")
	a, err := s.Receive(ctx, ch, alerts.Inbound{From: "+243811000001", Message: "Le pont saute ce soir", GatewayID: "1"})
	if err != nil {
		t.Fatal(err)
	}
	v0, err := db.QueueVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	line := alerts.LogEntry{IncidentID: a.IncidentID, At: at, Actor: "ana", Kind: "answer", Text: "fact-check answer for narrative 7 sent to 1 tipline sender through Bunia tipline"}
	if err := db.AddLog(ctx, []alerts.LogEntry{line}); err != nil {
		t.Fatal(err)
	}
	tl, err := db.Timeline(ctx, a.IncidentID)
	if err != nil || len(tl) != 2 {
		t.Fatalf("timeline %+v %v", tl, err)
	}
	got := tl[1]
	if got.Actor != line.Actor || got.Kind != line.Kind || got.Text != line.Text || !got.At.Equal(at) {
		t.Errorf("line %+v, want %+v", got, line)
	}
	if v, err := db.QueueVersion(ctx); err != nil || v <= v0 {
		t.Errorf("queue version %d → %d (%v)", v0, v, err)
	}
}

// testAlertReplyLog: QueueOutgoing writes a responder's reply line (the
// one alerts.Service.Reply gives it: no number, no text) on the alert's
// incident's timeline in the transaction that queues the SMS, moving the
// live queue's counter on; a queueing refused (the same uuid again) writes
// no line; without a line, none.
func testAlertReplyLog(t *testing.T, ctx context.Context, db *storage.DB) {
	s, ch := alertChannel(t, db, alerts.SMSSync, "Bunia gateway", "secret-1")
	a, err := s.Receive(ctx, ch, alerts.Inbound{From: "+243811000001", Message: "Armed men near the market", GatewayID: "1"})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	line := func(n int) *alerts.LogEntry {
		return &alerts.LogEntry{IncidentID: a.IncidentID, At: at, Actor: "rex", Kind: "reply", Text: fmt.Sprintf("reply %d to the reporter of alert %d sent by SMS through Bunia gateway", n, a.ID)}
	}
	for _, c := range []struct {
		name, uuid string
		line       *alerts.LogEntry
		ok         bool
		lines      int // timeline lines after
	}{
		{"reply", "u-1", line(1), true, 2},
		{"same uuid refused", "u-1", line(2), false, 2},
		{"no line", "u-2", nil, true, 2},
	} {
		v0, err := db.QueueVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		m := alerts.Outgoing{ChannelID: ch.ID, AlertID: a.ID, UUID: c.uuid, Message: "Patrol on its way", ToSealed: []byte("sealed"), Created: at}
		if err := db.QueueOutgoing(ctx, "rex", &m, c.line); (err == nil) != c.ok {
			t.Fatalf("%s: %v", c.name, err)
		}
		tl, err := db.Timeline(ctx, a.IncidentID)
		if err != nil || len(tl) != c.lines {
			t.Fatalf("%s: timeline %+v %v", c.name, tl, err)
		}
		if got := tl[len(tl)-1]; got.Kind != "reply" || got.Text != line(1).Text || got.Actor != "rex" || !got.At.Equal(at) {
			t.Errorf("%s: last line %+v, want %+v", c.name, got, line(1))
		}
		if v, err := db.QueueVersion(ctx); err != nil || (c.line != nil && c.ok && v <= v0) {
			t.Errorf("%s: queue version %d → %d (%v)", c.name, v0, v, err)
		}
	}
}
