package performance

import (
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// Exact Poisson (Garwood) 95% intervals from the published tables (e.g.
// Ulm 1990; R poisson.test(k)$conf.int).
func TestPoissonCI(t *testing.T) {
	cases := []struct{ k, lo, hi float64 }{
		{0, 0, 3.688879},
		{1, 0.025318, 5.571643},
		{5, 1.623486, 11.668332},
		{10, 4.795389, 18.390356},
	}
	for _, c := range cases {
		lo, hi := PoissonCI(c.k, 0.95)
		if !near(lo, c.lo, 1e-5) || !near(hi, c.hi, 1e-5) {
			t.Errorf("k=%v: [%v, %v], want [%v, %v]", c.k, lo, hi, c.lo, c.hi)
		}
	}
}

// Clopper–Pearson intervals (R binom.test(x, n)$conf.int).
func TestClopperPearson(t *testing.T) {
	cases := []struct {
		x, n   int
		lo, hi float64
	}{
		{0, 10, 0, 0.3084971},
		{5, 10, 0.1870860, 0.8129140},
		{10, 10, 0.6915029, 1},
	}
	for _, c := range cases {
		lo, hi := ClopperPearson(c.x, c.n, 0.95)
		if !near(lo, c.lo, 1e-6) || !near(hi, c.hi, 1e-6) {
			t.Errorf("%d/%d: [%v, %v], want [%v, %v]", c.x, c.n, lo, hi, c.lo, c.hi)
		}
	}
}

// The order-statistic interval for a median: n = 10, Binomial(10, ½):
// P(B ≤ 1) = 11/1024 ≈ 0.0107 ≤ 0.025 < P(B ≤ 2) = 56/1024, so j = 2 and
// by symmetry k = 9: the interval is [x(2), x(9)] (coverage 1 − 2·0.0107
// = 0.979). With n = 5, P(B = 0) = 1/32 > 0.025: no order statistic
// bounds it.
func TestQuantileCI(t *testing.T) {
	xs := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	lo, hi, lok, hok := QuantileCI(xs, 0.5, 0.95)
	if !lok || !hok || lo != 2 || hi != 9 {
		t.Errorf("n=10 median: [%v, %v] %v %v, want [2, 9]", lo, hi, lok, hok)
	}
	_, _, lok, hok = QuantileCI(xs[:5], 0.5, 0.95)
	if lok || hok {
		t.Errorf("n=5 median should be unbounded on both sides")
	}
	if q := SampleQuantile([]float64{4, 1, 3, 2}, 0.9); !near(q, 3.7, 1e-12) {
		t.Errorf("type-7 q90 of 1..4 = %v, want 3.7", q)
	}
}

func count(best, low, high float64) Value {
	l, _ := PoissonCI(low, 0.95)
	_, h := PoissonCI(high, 0.95)
	return Value{Value: num(best), Low: num(low), High: num(high), CILow: num(l), CIHigh: num(h), Uncertainty: Count, Coverage: Coverage{Months: 12}}
}

func share(v, lo, hi float64) Value {
	return Value{Value: num(v), Low: num(lo), High: num(hi), CILow: num(lo), CIHigh: num(hi), Uncertainty: Estimate, Coverage: Coverage{Months: 12}}
}

func TestAssess(t *testing.T) {
	b := func(x float64) *float64 { return &x }
	cases := []struct {
		name     string
		v        Value
		target   float64
		baseline *float64
		dir      Direction
		want     Status
	}{
		// 10 deaths: interval [4.795, 18.390]; target 20 (lower is better)
		// is above the whole interval.
		{"count well below target", count(10, 10, 10), 20, nil, LowerIsBetter, OnTrack},
		// target 15 is inside [4.795, 18.390].
		{"count near target", count(10, 10, 10), 15, nil, LowerIsBetter, CannotTell},
		// target 3 is below 4.795: missed; baseline 30 is above 18.39, so
		// part of the interval is better than baseline → at risk.
		{"count misses target, better than baseline", count(10, 10, 10), 3, b(30), LowerIsBetter, AtRisk},
		// baseline 4 is below the interval too: no better than baseline.
		{"count misses target and baseline", count(10, 10, 10), 3, b(4), LowerIsBetter, OffTrack},
		{"count misses target, no baseline", count(10, 10, 10), 3, nil, LowerIsBetter, OffTrack},
		// UCDP range widens the interval: best 10, low 8, high 25 →
		// [PoissonLo(8)=3.454, PoissonHi(25)=36.9]: 20 is inside.
		{"UCDP range makes it uncertain", count(10, 8, 25), 20, nil, LowerIsBetter, CannotTell},
		// survey share 0.62 [0.55, 0.69]; target 0.5 (higher is better).
		{"share above target", share(0.62, 0.55, 0.69), 0.5, nil, HigherIsBetter, OnTrack},
		{"share straddles target", share(0.62, 0.55, 0.69), 0.6, nil, HigherIsBetter, CannotTell},
		{"share below target", share(0.42, 0.35, 0.49), 0.6, b(0.45), HigherIsBetter, AtRisk},
		{"share below target and baseline", share(0.42, 0.35, 0.49), 0.6, b(0.5), HigherIsBetter, OffTrack},
		{"exact value equal to target", Value{Value: num(0.5), CILow: num(0.5), CIHigh: num(0.5), Uncertainty: Exact}, 0.5, nil, HigherIsBetter, OnTrack},
		{"no data", Value{NoData: true, Reason: "no events"}, 1, nil, LowerIsBetter, NoDataYet},
		{"unbounded above", Value{Value: num(3), CILow: num(1), Uncertainty: Quantile}, 5, nil, LowerIsBetter, CannotTell},
	}
	for _, c := range cases {
		got := Assess(c.v, c.target, c.baseline, c.dir)
		if got.Status != c.want || got.Reason == "" {
			t.Errorf("%s: %s (%s), want %s", c.name, got.Status, got.Reason, c.want)
		}
	}
}

func TestTrend(t *testing.T) {
	cases := []struct {
		name      string
		prev, cur Value
		dir       Direction
		want      Status
	}{
		// 30 → 10 events over 12 months each: given 40, 10 ~ Bin(40, ½):
		// P(X ≤ 10) ≈ 0.00111, two-sided p ≈ 0.0022 < 0.05.
		{"clear fall of a count", count(30, 30, 30), count(10, 10, 10), LowerIsBetter, Improving},
		// 12 → 8: P(X ≤ 8 | 20) = 0.2517, p = 0.503.
		{"small fall of a count", count(12, 12, 12), count(8, 8, 8), LowerIsBetter, CannotTell},
		{"clear rise of a count", count(10, 10, 10), count(30, 30, 30), LowerIsBetter, Worsening},
		// ranges overlap: earlier low 9 below now's high 12.
		{"UCDP ranges overlap", count(30, 9, 40), count(10, 8, 12), LowerIsBetter, CannotTell},
		// shares: 0.40 ±0.05 → 0.55 ±0.05: se 0.0255 each, 1.96·√2·se = 0.0707 < 0.15.
		{"share rises", share(0.40, 0.35, 0.45), share(0.55, 0.50, 0.60), HigherIsBetter, Improving},
		{"share moves within noise", share(0.40, 0.35, 0.45), share(0.44, 0.39, 0.49), HigherIsBetter, CannotTell},
		{"no earlier value", Value{NoData: true, Reason: "outside the data"}, count(1, 1, 1), LowerIsBetter, CannotTell},
	}
	for _, c := range cases {
		got := Trend(c.prev, c.cur, c.dir)
		if got.Status != c.want {
			t.Errorf("%s: %s (%s), want %s", c.name, got.Status, got.Reason, c.want)
		}
	}
	if p := PoissonRatioP(30, 12, 10, 12); !near(p, 0.00222, 2e-4) {
		t.Errorf("p(30 vs 10) = %v", p)
	}
}

func TestLibraryDocumented(t *testing.T) {
	lib := Library()
	if !sort.SliceIsSorted(lib, func(i, j int) bool { return lib[i].ID < lib[j].ID }) || len(lib) < 3 {
		t.Fatalf("library %v", lib)
	}
	for i, d := range lib {
		if i > 0 && lib[i-1].ID == d.ID {
			t.Errorf("indicator %q is listed twice", d.ID)
		}
		if d.compute == nil {
			t.Errorf("%s: no compute function", d.ID)
		}
		if d.Name == "" || d.NameFR == "" || d.Unit == "" || d.Doc == "" || !strings.Contains("higher lower", string(d.Direction)) || len(d.Sources) == 0 {
			t.Errorf("%s: incomplete definition %+v", d.ID, d)
		}
	}
}

func TestNearestRank(t *testing.T) {
	ten := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	cases := []struct {
		name   string
		sorted []time.Duration
		q      float64
		want   time.Duration
	}{
		{"none", nil, 0.5, 0},
		{"one", []time.Duration{7}, 0.99, 7},
		{"median of ten", ten, 0.5, 5},
		{"p90 of ten", ten, 0.9, 9},
		{"p99 of ten rounds up", ten, 0.99, 10},
		{"max", ten, 1, 10},
		{"q 0 clamps to first", ten, 0, 1},
		{"p25 of four rounds half up", []time.Duration{10, 20, 30, 40}, 0.25, 10},
		{"p30 of five", []time.Duration{10, 20, 30, 40, 50}, 0.3, 20},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := NearestRank(tc.sorted, tc.q); got != tc.want {
				t.Errorf("NearestRank(%v, %v) = %v, want %v", tc.sorted, tc.q, got, tc.want)
			}
		})
	}
}

// TestPoissonUpper: P(X ≥ k) agrees with 1 − CDF(k − 1) where that is
// exact enough, and keeps a tail 1 − CDF rounds to 0 (the audit log said
// "p = 0" for a withdrawal with 40 events against 0.5 expected).
func TestPoissonUpper(t *testing.T) {
	for _, c := range []struct{ k, lambda float64 }{{1, 0.5}, {3, 0.5}, {5, 2}, {12, 10}, {2.5, 1}} {
		want := 1 - distuv.Poisson{Lambda: c.lambda}.CDF(math.Ceil(c.k)-1)
		if got := poissonUpper(c.k, c.lambda); !near(got, want, 1e-12) {
			t.Errorf("P(X ≥ %g | %g) = %g, want %g", c.k, c.lambda, got, want)
		}
	}
	if got := poissonUpper(0, 3); got != 1 {
		t.Errorf("P(X ≥ 0) = %g, want 1", got)
	}
	// P(X ≥ 40 | 0.5) = e^-0.5 Σ_{x≥40} 0.5^x/x! ≈ 0.5^40/40! e^-0.5 (the first term dominates).
	tail := math.Exp(-0.5 + 40*math.Log(0.5) - lgamma(41))
	if got := poissonUpper(40, 0.5); got <= 0 || !near(got/tail, 1, 0.02) {
		t.Errorf("P(X ≥ 40 | 0.5) = %g, want about %g", got, tail)
	}
	for _, c := range []struct {
		p    float64
		want string
	}{{0, "<0.001"}, {1e-20, "<0.001"}, {0.000999, "<0.001"}, {0.001, "0.001"}, {0.0123, "0.0123"}, {0.5, "0.5"}, {1, "1"}} {
		if got := PText(c.p); got != c.want {
			t.Errorf("PText(%g) = %q, want %q", c.p, got, c.want)
		}
	}
}

func lgamma(x float64) float64 { v, _ := math.Lgamma(x); return v }
