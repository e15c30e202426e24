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
	s, ch := alertChannel(t, db, alerts.SMSSync, "gw", "x")
	const sent = 1500
	inParallel(t, 8, func(w int) error {
		for i := w; i < sent; i += 8 {
			if _, err := s.Receive(ctx, ch, alerts.Inbound{GatewayID: fmt.Sprintf("p%d", i), Message: "m"}); err != nil {
				return err
			}
		}
		return nil
	})
	var since int64
	seen := 0
	for polls := 0; polls < sent/200+2; polls++ {
		page, err := db.Alerts(ctx, alerts.AlertFilter{SinceID: since, Ascending: true, Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, a := range page {
			if a.ID <= since {
				t.Fatalf("poll after %d answered %d (not oldest first)", since, a.ID)
			}
			since = a.ID
			seen++
		}
	}
	if seen != sent {
		t.Fatalf("the poller retrieved %d of %d alerts", seen, sent)
	}
	newest, err := db.Alerts(ctx, alerts.AlertFilter{Limit: 2})
	if err != nil || len(newest) != 2 || newest[0].ID != since || newest[1].ID >= since {
		t.Fatalf("the queue view is not newest first: %+v %v", newest, err)
	}
}
