package metrics

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

func checkObs(y float64) error {
	if math.IsNaN(y) || math.IsInf(y, 0) || y < 0 {
		return fmt.Errorf("metrics: observation %v: must be a finite count ≥ 0", y)
	}
	return nil
}

// crpsDiscrete integrates (F(x) − 1{x ≥ y})² for a distribution on the
// non-negative integers given its pmf, summing until the remaining mass is
// negligible beyond y.
func crpsDiscrete(pmf func(k int) float64, y float64) float64 {
	s := 0.0
	cdf := 0.0
	for k := 0; ; k++ {
		cdf += pmf(k)
		if cdf > 1 {
			cdf = 1
		}
		// On [k, k+1) the CDF is cdf; the indicator is 0 below y, 1 from y.
		lo, hi := float64(k), float64(k+1)
		below := math.Max(0, math.Min(hi, y)-lo) // length with indicator 0
		above := (hi - lo) - below
		s += cdf*cdf*below + (1-cdf)*(1-cdf)*above
		if float64(k) > y && 1-cdf < 1e-12 {
			break
		}
		if k > 50_000_000 { // a safety stop; unreachable for sane parameters
			break
		}
	}
	return s
}

// CRPSPoisson returns the exact CRPS of a Poisson(lambda) forecast for
// observation y (the sum over k of (F(k) − 1{y ≤ k})², to 1e-12).
func CRPSPoisson(lambda, y float64) (float64, error) {
	if math.IsNaN(lambda) || math.IsInf(lambda, 0) || lambda < 0 {
		return 0, fmt.Errorf("metrics: Poisson mean %v: must be finite and ≥ 0", lambda)
	}
	if err := checkObs(y); err != nil {
		return 0, err
	}
	if lambda == 0 {
		return y, nil
	}
	ll := math.Log(lambda)
	return crpsDiscrete(func(k int) float64 {
		lg, _ := math.Lgamma(float64(k) + 1)
		return math.Exp(float64(k)*ll - lambda - lg)
	}, y), nil
}

// CRPSNegBin returns the exact CRPS of a negative binomial forecast with
// mean mu and size r (variance mu + mu²/r) for observation y.
func CRPSNegBin(mu, r, y float64) (float64, error) {
	if math.IsNaN(mu) || math.IsInf(mu, 0) || mu < 0 {
		return 0, fmt.Errorf("metrics: negative binomial mean %v: must be finite and ≥ 0", mu)
	}
	if math.IsNaN(r) || !(r > 0) {
		return 0, fmt.Errorf("metrics: negative binomial size %v: must be > 0", r)
	}
	if err := checkObs(y); err != nil {
		return 0, err
	}
	if mu == 0 {
		return y, nil
	}
	if math.IsInf(r, 1) {
		return CRPSPoisson(mu, y)
	}
	lr, _ := math.Lgamma(r)
	a := r * math.Log(r/(r+mu))
	b := math.Log(mu / (r + mu))
	return crpsDiscrete(func(k int) float64 {
		fk := float64(k)
		l1, _ := math.Lgamma(fk + r)
		l2, _ := math.Lgamma(fk + 1)
		return math.Exp(l1 - lr - l2 + a + fk*b)
	}, y), nil
}

func checkDraws(d []float64) error {
	if len(d) == 0 {
		return errors.New("metrics: no draws")
	}
	for i, v := range d {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("metrics: draw %d is %v", i, v)
		}
	}
	return nil
}

// CRPSSample returns the sample-based CRPS of draws for observation y:
// mean|X − y| − ½·mean|X − X′| over all n² pairs (the estimator of
// properscoring.crps_ensemble used by the VIEWS challenge). draws is not
// modified.
func CRPSSample(draws []float64, y float64) (float64, error) {
	if err := checkDraws(draws); err != nil {
		return 0, err
	}
	if math.IsNaN(y) || math.IsInf(y, 0) {
		return 0, fmt.Errorf("metrics: observation %v", y)
	}
	s := slices.Clone(draws)
	slices.Sort(s)
	return crpsSorted(s, y), nil
}

// crpsSorted is CRPSSample for sorted draws.
func crpsSorted(s []float64, y float64) float64 {
	n := float64(len(s))
	a, b := 0.0, 0.0
	for i, x := range s {
		a += math.Abs(x - y)
		// Σ_{i,j}|xi−xj| = 2 Σ_i (2i − n + 1)·x_(i) with 0-based i.
		b += (2*float64(i) - n + 1) * x
	}
	return a/n - b/(n*n)
}

// IgnoranceBins are the lower edges of the VIEWS challenge's fatality bins:
// 0, 1–2, 3–5, 6–10, 11–25, 26–50, 51–100, 101–250, 251–500, 501–1000, >1000
// (edges at 0.5, 2.5, … 1000.5).
var IgnoranceBins = []float64{0, 0.5, 2.5, 5.5, 10.5, 25.5, 50.5, 100.5, 250.5, 500.5, 1000.5}

func ignBin(v float64) int {
	b := 0
	for i, e := range IgnoranceBins {
		if v >= e {
			b = i
		}
	}
	return b
}

// Ignorance returns the VIEWS challenge's ensemble ignorance score:
// −log₂ of the share of draws in the observation's bin, after adding one
// pseudo-draw to every bin (so no bin has probability zero).
func Ignorance(draws []float64, y float64) (float64, error) {
	if err := checkDraws(draws); err != nil {
		return 0, err
	}
	if err := checkObs(y); err != nil {
		return 0, err
	}
	yb := ignBin(y)
	c := 1.0
	for _, d := range draws {
		if d < 0 {
			return 0, fmt.Errorf("metrics: negative draw %v", d)
		}
		if ignBin(d) == yb {
			c++
		}
	}
	return -math.Log2(c / float64(len(draws)+len(IgnoranceBins))), nil
}

// Quantile returns the q-quantile of sorted values with linear interpolation
// between order statistics (numpy's default, R type 7).
func Quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 1 {
		return sorted[0]
	}
	h := float64(len(sorted)-1) * q
	lo := int(math.Floor(h))
	if lo >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// IntervalScore returns the interval score of the central (1−alpha)
// prediction interval [l, u] for observation y:
// (u − l) + (2/alpha)(l − y)·1{y < l} + (2/alpha)(y − u)·1{y > u}.
func IntervalScore(l, u, y, alpha float64) (float64, error) {
	if !(alpha > 0 && alpha < 1) {
		return 0, fmt.Errorf("metrics: interval alpha %v outside (0,1)", alpha)
	}
	if math.IsNaN(l) || math.IsNaN(u) || math.IsNaN(y) || u < l {
		return 0, fmt.Errorf("metrics: interval [%v, %v] with observation %v", l, u, y)
	}
	s := u - l
	if y < l {
		s += 2 / alpha * (l - y)
	}
	if y > u {
		s += 2 / alpha * (y - u)
	}
	return s, nil
}

// IntervalScoreSample returns the 90% interval score of draws (alpha 0.1,
// bounds the 5% and 95% sample quantiles).
func IntervalScoreSample(draws []float64, y float64) (float64, error) {
	if err := checkDraws(draws); err != nil {
		return 0, err
	}
	s := slices.Clone(draws)
	slices.Sort(s)
	return IntervalScore(Quantile(s, 0.05), Quantile(s, 0.95), y, 0.1)
}

// SampleScores holds the three VIEWS challenge scores of one forecast.
type SampleScores struct {
	CRPS, Ignorance, Interval float64
}

// ScoreSample computes CRPS, ignorance and 90% interval score of draws for
// y, sorting a copy of the draws once.
func ScoreSample(draws []float64, y float64) (SampleScores, error) {
	if err := checkDraws(draws); err != nil {
		return SampleScores{}, err
	}
	if err := checkObs(y); err != nil {
		return SampleScores{}, err
	}
	s := slices.Clone(draws)
	slices.Sort(s)
	ign, err := Ignorance(s, y)
	if err != nil {
		return SampleScores{}, err
	}
	is, err := IntervalScore(Quantile(s, 0.05), Quantile(s, 0.95), y, 0.1)
	if err != nil {
		return SampleScores{}, err
	}
	return SampleScores{CRPS: crpsSorted(s, y), Ignorance: ign, Interval: is}, nil
}
