package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/storage"
)

// testAlertAddLog: AddLog writes its lines to their incidents' timelines,
// after what is there, as given, and moves the live queue's counter on
// (alerts.Service.NoteAnswers writes the tipline answers with it).
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
