package web

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/contacts"
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/internal/testutil"
)

// BenchmarkDecodeJSON is decodeJSON, the request body decoder of every
// JSON route, on a typical body (an alert typed into the web app, 365
// bytes, POST /api/v1/alerts), a large one (a population layer of 10,000
// PRIO-GRID cells × 30 years, 300,000 CSV rows in one JSON string,
// 5,870,484 bytes, POST /api/v1/coverage/population, whose limit is 64 MB)
// and a typical body with a date-time field, whose type makes decodeJSON
// keep what it reads (a broadcast, 250 bytes, POST /api/v1/broadcasts).
func BenchmarkDecodeJSON(b *testing.B) {
	alert := []byte(`{"channel": "web", "id": "7f1c2a9e-4b1d-4c8e-9a57-3e2b1f0d6c44", ` +
		`"message": "Armed men seen entering Kiwanja market from the north road this morning, people are leaving towards the MONUSCO base. About 30 of them, some in uniform.", ` +
		`"from": "+243990000001", "name": "Community alert network, Kiwanja", "location": "Kiwanja, Rutshuru", "lat": -1.2386, "lon": 29.4487}`)
	var csv bytes.Buffer
	csv.WriteString("gid,year,population\n")
	for c := 0; c < 10000; c++ {
		for y := 1990; y < 2020; y++ {
			fmt.Fprintf(&csv, "%d,%d,%d\n", 110000+c*7, y, 1000+(c*7919+y*104729)%250000)
		}
	}
	broadcast := []byte(`{"channel_id": 3, "near_place": "Kiwanja", "radius_km": 15, "fallback": "fr", ` +
		`"messages": {"fr": "Réunion de sécurité au bureau local demain à 10 h.", "en": "Security meeting at the local office tomorrow at 10:00."}, ` +
		`"at": "2026-12-07T08:00:00Z"}`)
	pop := fmt.Appendf(nil, `{"name": "population-prio-grid-1990-2019.csv", "data": %q}`, csv.String())
	cases := []struct {
		name string
		body []byte
		max  int64
		into func() any
	}{
		{"typical", alert, alerts.MaxBodyBytes, func() any { return new(alerts.AlertRequest) }},
		{"large", pop, 64 << 20, func() any { return new(coverage.PopulationUpload) }},
		{"typical-datetime", broadcast, 1 << 16, func() any { return new(contacts.BroadcastRequest) }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			cpu0 := testutil.CPUTime()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r := httptest.NewRequest("POST", "/", bytes.NewReader(c.body))
				r.Header.Set("Content-Type", "application/json")
				if err := decodeJSON(httptest.NewRecorder(), r, c.max, c.into()); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64((testutil.CPUTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}
