package contacts_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/internal/testutil"
)

// BenchmarkBroadcast10k queues one broadcast to 10,000 contacts (two
// languages) into the SQLite outbox: open every number, seal it for the
// outbox, write the rows and the audit entry in one transaction.
func BenchmarkBroadcast10k(b *testing.B) {
	ctx := context.Background()
	db := testutil.Store(b)
	k := testutil.Keys(b, "k1")
	as := alerts.NewService(db, k)
	ch, err := as.NewChannel(ctx, "admin", alerts.SMSSync, "gw", "s", "")
	if err != nil {
		b.Fatal(err)
	}
	cs := contacts.NewService(db, k)
	rows := make([]contacts.Row, 10000)
	for i := range rows {
		la, lo := 1.5+float64(i%100)/1000, 30.2+float64(i/100)/1000
		lang := "fr"
		if i%3 == 0 {
			lang = "sw"
		}
		rows[i] = contacts.Row{Where: fmt.Sprintf("b.csv:%d", i+2), Input: contacts.Input{Phone: fmt.Sprintf("+2438%08d", i), Language: lang,
			Groups: []string{"can"}, Lat: &la, Lon: &lo, ConsentHow: "verbal"}}
	}
	if _, err := cs.Import(ctx, "bench", rows); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := cs.Send(ctx, "bench", contacts.BroadcastRequest{ChannelID: ch.ID, Group: "can",
			Messages: map[string]string{"fr": "Réunion demain à 10 h", "sw": "Mkutano kesho saa nne"}})
		if err != nil || r.Reach.Queued != 10000 {
			b.Fatalf("%+v %v", r.Reach, err)
		}
	}
}
