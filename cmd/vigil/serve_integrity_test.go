package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/testutil"
)

// TestWatchSpikes: vigil serve sends a new spike flag (here a place and a
// narrative bursting on one day; no lexicon, so no term) to the escalation
// webhook, once, with no item text in the notice.
func TestWatchSpikes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, keys := openTestStoreKeys(t, t.TempDir())
	s := integrity.NewService(db, keys)
	now := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { return now }
	var items []*integrity.Item
	for d := 1; d <= 20; d++ {
		items = append(items, &integrity.Item{Source: "s", SourceID: fmt.Sprint("q", d), Via: integrity.ViaImport,
			Text: fmt.Sprintf("Weekly market report %d: maize and beans prices stable", d*7919), Time: now.AddDate(0, 0, d-31)})
	}
	for i := 0; i < 9; i++ {
		items = append(items, &integrity.Item{Source: "s", SourceID: fmt.Sprint("b", i), Via: integrity.ViaImport, Place: "Bunia",
			Text: "They are poisoning the wells of Bunia tonight, share before it is deleted", Time: now.AddDate(0, 0, -1)})
	}
	testutil.AddItems(t, s, "test", items...)

	got := make(chan map[string]any, 10)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]any
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &m); err != nil {
			t.Errorf("webhook body %s: %v", b, err)
		}
		got <- m
	}))
	defer hook.Close()
	al := alerts.NewService(db, keys)
	al.EscalationURL = hook.URL + "/secret"
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	done := make(chan struct{})
	go func() { watchSpikes(ctx, s, db, al, "https://vigil.example/", 0, time.Hour, log); close(done) }()
	seen := map[string]bool{}
	for len(seen) < 2 {
		select {
		case m := <-got:
			if m["type"] != "vigil.integrity.spike" || m["day"] != "2026-03-30" || m["count"] != 9.0 || m["url"] != "https://vigil.example/#/integrity?tab=narratives" {
				t.Errorf("notice %v", m)
			}
			seen[fmt.Sprint(m["series"], ":", m["label"])] = true
		case <-time.After(20 * time.Second):
			t.Fatalf("notices after 20 s: %v", seen)
		}
	}
	if !seen["place:Bunia"] || !seen["narrative:narrative 2"] {
		t.Errorf("notices %v: want the narrative and the place", seen)
	}
	// A second pass (another server, a restart) sends nothing again.
	n, err := s.NotifySpikes(ctx, db, func(context.Context, integrity.SpikeFlag, string) { t.Error("sent twice") })
	if err != nil || n != 0 {
		t.Errorf("second pass %d %v", n, err)
	}
	// Each post is recorded (sent) by the alerts service's background pass
	// after the webhook answered, so after this test had both notices: it
	// wrote to the store after the store was closed ("sql: database is
	// closed" at every run) while its directory was being removed. vigil
	// serve drains at its stop; so does the test.
	if err := al.Drain(ctx); err != nil {
		t.Errorf("drain: %v", err)
	}
	if ns, err := db.UnsentNotices(ctx, time.Now(), 10); err != nil || len(ns) != 0 {
		t.Errorf("notices not recorded as sent: %d %v", len(ns), err)
	}
	cancel()
	<-done
}
