package spike

import (
	"math"
	"math/rand/v2"
	"testing"
)

func poisson(rng *rand.Rand, lambda float64) int {
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func TestTails(t *testing.T) {
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"poisson P(X≥1|1)", poissonTail(1, 1), 1 - math.Exp(-1)},
		{"poisson P(X≥10|2)", poissonTail(10, 2), 4.649807501e-05},   // R: ppois(9, 2, lower=FALSE)
		{"nb P(X≥10|mu 2, size 1)", nbTail(10, 2, 1), 0.01734152992}, // (2/3)^10, geometric
		{"nb large size → poisson", nbTail(10, 2, 1e7), 4.649807501e-05},
	}
	for _, tc := range tests {
		if math.Abs(tc.got-tc.want) > 1e-6*math.Max(1, tc.want)+tc.want*1e-4 {
			t.Errorf("%s = %.10g, want %.10g", tc.name, tc.got, tc.want)
		}
	}
}

// Series with known spikes: a seeded Poisson background and, for some
// series, a burst on known days. Each burst must be flagged; the
// background must almost never be.
func TestKnownSpikes(t *testing.T) {
	tests := []struct {
		name   string
		rate   float64
		spikes map[int]int // day → added count
	}{
		{"quiet narrative, one burst", 0.3, map[int]int{200: 12}},
		{"busy term, doubling", 20, map[int]int{100: 30, 300: 25}},
		{"place, rising then burst", 3, map[int]int{50: 15, 51: 20}},
		{"no spike", 5, nil},
	}
	rng := rand.New(rand.NewPCG(1, 1))
	falseFlags, days := 0, 0
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := make([]int, 365)
			for i := range s {
				s[i] = poisson(rng, tc.rate) + tc.spikes[i]
			}
			flagged := map[int]bool{}
			for _, f := range (Rule{}).Scan(s) {
				flagged[f.Day] = true
				if f.PValue >= 0.001 || float64(f.Count) <= f.Expected {
					t.Errorf("flag %+v breaks the rule", f)
				}
				if tc.spikes[f.Day] == 0 {
					falseFlags++
				}
			}
			days += len(s)
			for d := range tc.spikes {
				if !flagged[d] {
					t.Errorf("day %d (count %d) not flagged", d, s[d])
				}
			}
		})
	}
	if rate := float64(falseFlags) / float64(days); rate > 0.005 {
		t.Errorf("false flags on %.2f%% of days", 100*rate)
	}
}

func TestMinimums(t *testing.T) {
	s := []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 6} // P(X ≥ 6 | λ = 0.5) ≈ 1.4e-5
	if f := (Rule{MinCount: 10}).Scan(s); len(f) != 0 {
		t.Errorf("flags %v below the minimum count", f)
	}
	if f := (Rule{}).Scan(s); len(f) != 1 || f[0].Day != 9 {
		t.Errorf("default rule: flags %v, want day 9", f)
	}
	if f := (Rule{}).Scan([]int{0, 0, 50}); len(f) != 0 {
		t.Errorf("flags %v without enough history", f)
	}
	if f := (Rule{}).Scan(nil); len(f) != 0 {
		t.Error("flags on an empty series")
	}
}

// BenchmarkScan1000x365: the spike scan, 1,000 series × 365 days.
func BenchmarkScan1000x365(b *testing.B) {
	rng := rand.New(rand.NewPCG(2, 2))
	series := make([][]int, 1000)
	for i := range series {
		s := make([]int, 365)
		rate := rng.Float64() * 20
		for d := range s {
			s[d] = poisson(rng, rate)
		}
		s[rng.IntN(365)] += 40
		series[i] = s
	}
	b.ResetTimer()
	for b.Loop() {
		for _, s := range series {
			(Rule{}).Scan(s)
		}
	}
}
