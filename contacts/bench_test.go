package contacts_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
)

// BenchmarkBroadcast10k queues one broadcast to 10,000 contacts (two
// languages) into the SQLite outbox: open every number, seal it for the
// outbox, write the rows and the audit entry in one transaction.
func BenchmarkBroadcast10k(b *testing.B) {
	ctx := context.Background()
	cs, _, ch := contactsWithChannel(b, alerts.SMSSync, "gw")
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
		r, err := cs.Send(ctx, "bench", contacts.BroadcastRequest{ChannelID: ch.ID, Audience: contacts.Audience{Group: "can"},
			Messages: map[string]string{"fr": "Réunion demain à 10 h", "sw": "Mkutano kesho saa nne"}})
		if err != nil || r.Reach.Queued != 10000 {
			b.Fatalf("%+v %v", r.Reach, err)
		}
	}
}

// BenchmarkDrain pushes one broadcast of 1,000 messages to a local webhook
// gateway through Service.Drain (claim, open the number, POST, record, per
// message) at a configured rate, and reports the rate achieved: at
// 100/s (the highest a gateway may be set to) it should be the configured
// rate; "unpaced" (1e6/s) shows what the machinery itself can do.
func BenchmarkDrain(b *testing.B) {
	for _, c := range []struct {
		name string
		rate float64
	}{{"rate100", 100}, {"unpaced", 1e6}} {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				w.WriteHeader(http.StatusAccepted)
			}))
			defer gw.Close()
			cs, _, ch := contactsWithChannel(b, alerts.Webhook, "gw")
			set := contacts.GatewaySettings{ChannelID: ch.ID, RatePerS: 100, SendURL: gw.URL}
			if _, err := cs.SetGateway(ctx, "admin", set); err != nil {
				b.Fatal(err)
			}
			set.RatePerS = c.rate
			importGroup(b, cs, 1000, 0, "can")
			b.ResetTimer()
			total := 0
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				if _, err := cs.Send(ctx, "bench", contacts.BroadcastRequest{ChannelID: ch.ID, Audience: contacts.Audience{Group: "can"}, Messages: map[string]string{"fr": "Réunion"}}); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				n, err := cs.Drain(ctx, ch, set)
				if err != nil || n != 1000 {
					b.Fatalf("%d %v", n, err)
				}
				total += n
			}
			b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
