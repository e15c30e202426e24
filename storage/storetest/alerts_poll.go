package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/storage"
)

// testAlertPoll: a client polling with SinceID and a page of 200 walks all
// of 1,500 alerts that arrived while it was away, oldest first.
func testAlertPoll(t *testing.T, ctx context.Context, db *storage.DB) {
	s, ch := alertChannel(t, db, alerts.SMSSync, "gw", "x-secret")
	const sent = 1500
	inParallel(t, 8, func(w int) error {
		for i := w; i < sent; i += 8 {
			if _, err := s.Receive(ctx, ch, alerts.Inbound{GatewayID: fmt.Sprintf("p%d", i), Message: "m"}); err != nil {
				return err
			}
		}
		return nil
	})
	polled := walkPages(t, sent/200+2, func(since int64) ([]alerts.Alert, error) {
		return db.Alerts(ctx, alerts.AlertFilter{SinceID: since, Ascending: true, Limit: 200})
	}, func(a alerts.Alert) int64 { return a.ID })
	if seen := len(polled); seen != sent {
		t.Fatalf("the poller retrieved %d of %d alerts", seen, sent)
	}
	since := polled[len(polled)-1].ID
	newest, err := db.Alerts(ctx, alerts.AlertFilter{Limit: 2})
	if err != nil || len(newest) != 2 || newest[0].ID != since || newest[1].ID >= since {
		t.Fatalf("the queue view is not newest first: %+v %v", newest, err)
	}
}
