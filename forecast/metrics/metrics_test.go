package metrics

import (
	"math"
	"testing"
)

const tol = 1e-6

func near(a, b float64) bool { return math.Abs(a-b) < tol }

// scoreCase is a score computed by fn and the value it must have.
type scoreCase struct {
	name string
	fn   func() (float64, error)
	want float64
}

func checkScores(t *testing.T, cases []scoreCase) {
	t.Helper()
	for _, c := range cases {
		got, err := c.fn()
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !near(got, c.want) {
			t.Errorf("%s = %.9g, want %.9g", c.name, got, c.want)
		}
	}
}

func TestBinary(t *testing.T) {
	p := []float64{0.9, 0.2, 0.6}
	y := []bool{true, false, false}
	cases := []scoreCase{
		// (0.1² + 0.2² + 0.6²)/3
		{"brier", func() (float64, error) { return Brier(p, y) }, 0.41 / 3},
		// climatology 1/3 scores (4/9+1/9+1/9)/3 = 6/27
		{"brier skill", func() (float64, error) { return BrierSkill(p, y, 1.0/3) }, 0.385},
		{"brier skill of climatology", func() (float64, error) { return BrierSkill([]float64{1. / 3, 1. / 3, 1. / 3}, y, 1.0/3) }, 0},
		// −(ln .9 + ln .8 + ln .4)/3
		{"log loss", func() (float64, error) { return LogLoss(p, y) }, 0.414931599615397},
		{"log loss clipped", func() (float64, error) { return LogLoss([]float64{0}, []bool{true}) }, -math.Log(LogLossEps)},
		// scikit-learn's documented example
		{"auroc", func() (float64, error) {
			return AUROC([]float64{0.1, 0.4, 0.35, 0.8}, []bool{false, false, true, true})
		}, 0.75},
		// one tie between the positive and a negative counts one half
		{"auroc ties", func() (float64, error) {
			return AUROC([]float64{0.5, 0.5, 0.2}, []bool{true, false, false})
		}, 0.75},
		{"auroc perfect", func() (float64, error) { return AUROC([]float64{3, 2, 1}, []bool{true, false, false}) }, 1},
		{"auroc inverted", func() (float64, error) { return AUROC([]float64{1, 2, 3}, []bool{true, false, false}) }, 0},
		// scikit-learn's documented example: 0.8333
		{"aupr", func() (float64, error) {
			return AUPR([]float64{0.1, 0.4, 0.35, 0.8}, []bool{false, false, true, true})
		}, 5.0 / 6},
		// a tied threshold: recall 1 at precision 1/2
		{"aupr ties", func() (float64, error) { return AUPR([]float64{0.5, 0.5, 0.2}, []bool{true, false, false}) }, 0.5},
		{"aupr constant", func() (float64, error) { return AUPR([]float64{1, 1, 1, 1}, []bool{true, false, false, false}) }, 0.25},
		// (0 + (log(e))²)/2
		{"mse log1p", func() (float64, error) { return MSELog1p([]float64{0, math.E - 1}, []float64{0, 0}) }, 0.5},
	}
	checkScores(t, cases)
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		name string
		fn   func() (float64, error)
	}{
		{"length mismatch", func() (float64, error) { return Brier([]float64{0.1}, []bool{true, false}) }},
		{"empty", func() (float64, error) { return Brier(nil, nil) }},
		{"nan", func() (float64, error) { return LogLoss([]float64{math.NaN()}, []bool{true}) }},
		{"out of range", func() (float64, error) { return Brier([]float64{1.5}, []bool{true}) }},
		{"auroc one class", func() (float64, error) { return AUROC([]float64{1, 2}, []bool{true, true}) }},
		{"aupr no positive", func() (float64, error) { return AUPR([]float64{1, 2}, []bool{false, false}) }},
		{"skill zero climatology", func() (float64, error) { return BrierSkill([]float64{0}, []bool{false}, 0) }},
		{"capture no events", func() (float64, error) { return Capture([]float64{1, 2}, []float64{0, 0}, 0.5) }},
		{"capture bad frac", func() (float64, error) { return Capture([]float64{1, 2}, []float64{1, 0}, 0) }},
		{"crps negative mean", func() (float64, error) { return CRPSPoisson(-1, 0) }},
		{"crps nb size", func() (float64, error) { return CRPSNegBin(1, 0, 0) }},
		{"crps nan obs", func() (float64, error) { return CRPSPoisson(1, math.NaN()) }},
		{"crps no draws", func() (float64, error) { return CRPSSample(nil, 0) }},
		{"crps inf draw", func() (float64, error) { return CRPSSample([]float64{math.Inf(1)}, 0) }},
		{"ignorance negative", func() (float64, error) { return Ignorance([]float64{1}, -1) }},
		{"interval alpha", func() (float64, error) { return IntervalScore(0, 1, 0, 1) }},
		{"interval reversed", func() (float64, error) { return IntervalScore(2, 1, 0, 0.1) }},
	}
	for _, c := range cases {
		if v, err := c.fn(); err == nil {
			t.Errorf("%s: no error (got %v)", c.name, v)
		}
	}
}

func TestCalibration(t *testing.T) {
	got, err := Calibration([]float64{0.05, 0.15, 0.12, 0.95, 1}, []bool{false, true, false, true, true}, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []CalibrationBin{
		{Lo: 0, Hi: 0.1, N: 1, MeanPredicted: 0.05, Observed: 0},
		{Lo: 0.1, Hi: 0.2, N: 2, MeanPredicted: 0.135, Observed: 0.5},
		{Lo: 0.9, Hi: 1, N: 2, MeanPredicted: 0.975, Observed: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d bins %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if !near(g.Lo, w.Lo) || !near(g.Hi, w.Hi) || g.N != w.N || !near(g.MeanPredicted, w.MeanPredicted) || !near(g.Observed, w.Observed) {
			t.Errorf("bin %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestCapture(t *testing.T) {
	cases := []struct {
		name         string
		risk, events []float64
		frac, want   float64
	}{
		{"top quarter", []float64{4, 3, 2, 1}, []float64{1, 0, 2, 1}, 0.25, 0.25},
		{"top half", []float64{4, 3, 2, 1}, []float64{1, 0, 2, 1}, 0.5, 0.25},
		{"top three quarters", []float64{4, 3, 2, 1}, []float64{1, 0, 2, 1}, 0.75, 0.75},
		{"all", []float64{4, 3, 2, 1}, []float64{1, 0, 2, 1}, 1, 1},
		// a constant forecast captures exactly the fraction
		{"constant", []float64{1, 1, 1, 1}, []float64{1, 0, 2, 1}, 0.5, 0.5},
		// one slot shared by two tied cells holding 2 events: 1 expected
		{"boundary tie", []float64{2, 1, 1, 0}, []float64{0, 2, 0, 2}, 0.5, 0.25},
		// 5% of 10 cells is half a cell
		{"fractional", []float64{9, 8, 7, 6, 5, 4, 3, 2, 1, 0}, []float64{4, 0, 0, 0, 0, 0, 0, 0, 0, 4}, 0.05, 0.25},
	}
	var scores []scoreCase
	for _, c := range cases {
		scores = append(scores, scoreCase{c.name, func() (float64, error) { return Capture(c.risk, c.events, c.frac) }, c.want})
	}
	checkScores(t, scores)
}

func TestCounts(t *testing.T) {
	cases := []scoreCase{
		// Σ_k (1−F(k))² for Poisson(1): .632121²+.264241²+.080301²+… ; equals
		// the closed form (y−λ)(2F(y)−1)+2λf(y)−λe^{−2λ}(I0(2λ)+I1(2λ)).
		{"poisson 1, y=0", func() (float64, error) { return CRPSPoisson(1, 0) }, 0.476223},
		{"poisson 1, y=2", func() (float64, error) { return CRPSPoisson(1, 2) }, 0.683499},
		{"poisson 0 is absolute error", func() (float64, error) { return CRPSPoisson(0, 7) }, 7},
		// NB(mu=1, r=1) is geometric: F(k)=1−2^−(k+1); y=0: Σ 4^−(k+1) = 1/3
		{"negbin geometric y=0", func() (float64, error) { return CRPSNegBin(1, 1, 0) }, 1.0 / 3},
		// y=1: F(0)² + Σ_{k≥1} 4^−(k+1) = 1/4 + 1/12
		{"negbin geometric y=1", func() (float64, error) { return CRPSNegBin(1, 1, 1) }, 1.0 / 3},
		{"negbin huge size is poisson", func() (float64, error) { return CRPSNegBin(1, 1e9, 2) }, 0.683499},
		{"negbin infinite size", func() (float64, error) { return CRPSNegBin(1, math.Inf(1), 0) }, 0.476223},
		// mean|X−1| = 1, mean|X−X′| = 1
		{"sample two", func() (float64, error) { return CRPSSample([]float64{2, 0}, 1) }, 0.5},
		{"sample point", func() (float64, error) { return CRPSSample([]float64{3}, 1) }, 2},
		// 10/3 − ½·40/9
		{"sample three", func() (float64, error) { return CRPSSample([]float64{0, 10, 0}, 0) }, 10.0/3 - 20.0/9},
		// 1,000 zero draws: bin 0 holds 1000+1 of 1000+11
		{"ignorance hit", func() (float64, error) { return Ignorance(make([]float64, 1000), 0) }, 0.014341023067021081},
		{"ignorance miss", func() (float64, error) { return Ignorance(make([]float64, 1000), 3) }, 9.981567281903015},
		// draws 1 and 2 share the bin 1–2; 3 is in 3–5
		{"ignorance bins", func() (float64, error) { return Ignorance([]float64{1, 2, 3}, 2) }, -math.Log2(3.0 / 14)},
		{"ignorance top bin", func() (float64, error) { return Ignorance([]float64{5000}, 1001) }, -math.Log2(2.0 / 12)},
		{"interval inside", func() (float64, error) { return IntervalScore(5, 95, 50, 0.1) }, 90},
		{"interval above", func() (float64, error) { return IntervalScore(5, 95, 100, 0.1) }, 190},
		{"interval below", func() (float64, error) { return IntervalScore(5, 95, 0, 0.1) }, 190},
		// draws 0..100: 5% and 95% quantiles are 5 and 95
		{"interval sample", func() (float64, error) { return IntervalScoreSample(seq(101), 100) }, 190},
	}
	checkScores(t, cases)
}

func TestQuantile(t *testing.T) {
	s := []float64{1, 2, 3, 4}
	for _, c := range []struct{ q, want float64 }{{0, 1}, {1, 4}, {0.5, 2.5}, {0.05, 1.15}, {0.95, 3.85}} {
		if got := Quantile(s, c.q); !near(got, c.want) {
			t.Errorf("Quantile(%v) = %v, want %v", c.q, got, c.want)
		}
	}
}

func TestScoreSampleAgrees(t *testing.T) {
	d := []float64{0, 3, 7, 1, 12, 0, 0, 4}
	for _, y := range []float64{0, 2, 30} {
		s, err := ScoreSample(d, y)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := CRPSSample(d, y)
		i, _ := Ignorance(d, y)
		is, _ := IntervalScoreSample(d, y)
		if !near(s.CRPS, c) || !near(s.Ignorance, i) || !near(s.Interval, is) {
			t.Errorf("y=%v: ScoreSample %+v vs %v %v %v", y, s, c, i, is)
		}
	}
}

// The sample CRPS of many Poisson draws approaches the exact CRPS.
func TestSampleApproachesExact(t *testing.T) {
	// draws at the Poisson(3) quantiles (i+0.5)/n: a deterministic sample
	n := 20000
	d := make([]float64, n)
	cdf, k, pk := 0.0, 0, math.Exp(-3)
	cdf = pk
	for i := range n {
		u := (float64(i) + 0.5) / float64(n)
		for cdf < u {
			k++
			pk *= 3 / float64(k)
			cdf += pk
		}
		d[i] = float64(k)
	}
	for _, y := range []float64{0, 3, 9} {
		s, _ := CRPSSample(d, y)
		e, _ := CRPSPoisson(3, y)
		if math.Abs(s-e) > 1e-3 {
			t.Errorf("y=%v: sample %v exact %v", y, s, e)
		}
	}
}

func seq(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = float64(i)
	}
	return s
}
