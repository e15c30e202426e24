package contacts_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/internal/testutil"
)

// TestSMSSyncRate: an SMSSync phone polling for messages takes at most its
// gateway's rate times the seconds since its last poll (a minute's worth
// the first time; at least one; at most 50); a channel without a rate
// takes up to 50 as before.
func TestSMSSyncRate(t *testing.T) {
	ctx := context.Background()
	db := testutil.Store(t)
	k := testutil.Keys(t, "k1")
	as := alerts.NewService(db, k)
	ch, err := as.NewChannel(ctx, "admin", alerts.SMSSync, "phone", "s", "")
	if err != nil {
		t.Fatal(err)
	}
	cs := contacts.NewService(db, k)
	cs.Channels = db
	clock := time.Now().UTC()
	cs.Now = func() time.Time { return clock }
	as.PollLimit = cs.PollLimit
	rows := make([]contacts.Row, 60)
	for i := range rows {
		rows[i] = contacts.Row{Where: "r.csv", Input: contacts.Input{Phone: fmt.Sprintf("+2438400%05d", i), Groups: []string{"g"}, ConsentHow: "verbal"}}
	}
	if _, err := cs.Import(ctx, "analyst", rows); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Send(ctx, "analyst", contacts.BroadcastRequest{ChannelID: ch.ID, Audience: contacts.Audience{Group: "g"}, Messages: map[string]string{"fr": "x"}}); err != nil {
		t.Fatal(err)
	}
	poll := func() int {
		t.Helper()
		out, err := as.SMSSyncPoll(ctx, alerts.GatewayRequest{Key: ch.Key, Query: url.Values{"task": {"send"}, "secret": {"s"}}})
		if err != nil {
			t.Fatal(err)
		}
		return len(out.(map[string]any)["payload"].(map[string]any)["messages"].([]map[string]string))
	}
	if n := poll(); n != 50 {
		t.Fatalf("no rate set: %d messages, want 50", n)
	}
	if _, err := cs.SetGateway(ctx, "admin", contacts.GatewaySettings{ChannelID: ch.ID, RatePerS: 0.1}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		after time.Duration
		want  int
	}{{0, 6}, {30 * time.Second, 3}, {time.Second, 1}, {time.Hour, 50}} {
		clock = clock.Add(c.after)
		if n := poll(); n != c.want {
			t.Errorf("poll after %v: %d messages, want %d", c.after, n, c.want)
		}
	}
}
