package contacts_test

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
)

// TestLoadDemo: serve --demo's contacts are fictitious (+000 numbers,
// marked demo, names saying so), get one demo broadcast, and are created
// once however often the server starts.
func TestLoadDemo(t *testing.T) {
	ctx := context.Background()
	cs, as, ch := contactsWithChannel(t, alerts.SMSSync, "demo gw")
	for run := 0; run < 2; run++ {
		n, err := cs.LoadDemo(ctx, "serve --demo", ch.ID)
		if err != nil || (run == 0 && n < 5) || (run == 1 && n != 0) {
			t.Fatalf("run %d: %d %v", run, n, err)
		}
	}
	list, err := cs.List(ctx, contacts.Filter{})
	if err != nil || len(list) < 5 {
		t.Fatalf("%d %v", len(list), err)
	}
	out, _ := as.Outbox(ctx, ch.ID)
	if len(out) != len(list) {
		t.Fatalf("demo broadcast: %d messages for %d contacts", len(out), len(list))
	}
	for _, m := range out {
		if !strings.HasPrefix(m.To, contacts.DemoPrefix) || !strings.Contains(m.Message, "DEMO") && !strings.Contains(m.Message, "DÉMO") {
			t.Fatalf("demo message to %q: %q", m.To, m.Message)
		}
	}
	for _, c := range list {
		if !c.Demo || !strings.Contains(c.NameMasked, "•") || !strings.HasPrefix(c.PhoneMasked, "+") {
			t.Fatalf("demo contact: %+v", c)
		}
	}
	bs, _ := cs.ListBroadcasts(ctx, 10)
	if len(bs) != 1 || bs[0].Reach.Queued != len(list) {
		t.Fatalf("broadcasts: %+v", bs)
	}
}
