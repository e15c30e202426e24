package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/storage"
)

// testIntakeThrottle: refused web-form posts are counted per channel, and
// counts added by several servers at once all land.
func testIntakeThrottle(t *testing.T, ctx context.Context, db *storage.DB) {
	a := &alerts.Channel{Key: "web-a", Kind: alerts.Web, Name: "A", Created: time.Now()}
	b := &alerts.Channel{Key: "web-b", Kind: alerts.Web, Name: "B", Created: time.Now()}
	for _, c := range []*alerts.Channel{a, b} {
		if err := db.CreateChannel(ctx, "test", c); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.ChannelsThrottled(ctx)
	if err != nil || got[a.ID] != 0 || got[b.ID] != 0 || len(got) != 2 {
		t.Fatalf("fresh channels: %v (%v)", got, err)
	}
	inParallel(t, 8, func(int) error { return db.AddChannelThrottled(ctx, a.ID, 5) })
	if err := db.AddChannelThrottled(ctx, 9999, 3); err != nil { // unknown: ignored
		t.Fatal(err)
	}
	got, err = db.ChannelsThrottled(ctx)
	if err != nil || got[a.ID] != 40 || got[b.ID] != 0 || len(got) != 2 {
		t.Fatalf("after 8×5 on A: %v (%v)", got, err)
	}
}
