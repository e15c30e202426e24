package integrity

import (
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
)

// BenchmarkScanSpikes1000x365 is the spike scan as the service runs
// it: the store's daily counts of 1,000 narratives over 365 days (a seeded
// Poisson-like background with one burst each) turned into zero-filled
// series and scanned by the rule.
func BenchmarkScanSpikes1000x365(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 3))
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	days := make([]string, 365)
	for d := range days {
		days[d] = t0.AddDate(0, 0, d).Format(time.DateOnly)
	}
	var dcs []DayCount
	for n := 0; n < 1000; n++ {
		key, rate, burst := strconv.Itoa(n+1), rng.Float64()*20, rng.IntN(365)
		for d := range days {
			c := int(rate*rng.Float64()*2 + 0.5)
			if d == burst {
				c += 40
			}
			if c > 0 {
				dcs = append(dcs, DayCount{Key: key, Day: days[d], N: c})
			}
		}
	}
	b.ResetTimer()
	for b.Loop() {
		ScanSpikes(spikeRule(), "narrative", dcs, days[0], days[364])
	}
}
