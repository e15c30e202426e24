package performance

import (
	"math"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/vigil-project/vigil/alerts"
)

// PoissonCI is the exact (Garwood) two-sided interval for the mean of a
// Poisson count k at the given level: [χ²(α/2; 2k)/2, χ²(1−α/2; 2k+2)/2],
// with 0 as the lower bound for k = 0.
func PoissonCI(k float64, level float64) (lo, hi float64) {
	a := 1 - level
	if k > 0 {
		lo = distuv.ChiSquared{K: 2 * k}.Quantile(a/2) / 2
	}
	hi = distuv.ChiSquared{K: 2*k + 2}.Quantile(1-a/2) / 2
	return lo, hi
}

// ClopperPearson is the exact binomial interval for x successes of n.
func ClopperPearson(x, n int, level float64) (lo, hi float64) {
	a := 1 - level
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	if x > 0 {
		lo = distuv.Beta{Alpha: float64(x), Beta: float64(n - x + 1)}.Quantile(a / 2)
	}
	hi = 1
	if x < n {
		hi = distuv.Beta{Alpha: float64(x + 1), Beta: float64(n - x)}.Quantile(1 - a/2)
	}
	return lo, hi
}

// QuantileCI is the distribution-free interval for the q-quantile of a
// sample (sorted ascending): the order statistics x(j), x(k) (1-based)
// with j the largest and k the smallest rank such that
// P(j ≤ B < k) ≥ level for B ~ Binomial(n, q). hiOK is false when no
// order statistic bounds it above (the upper end is unbounded); loOK the
// same below.
func QuantileCI(sorted []float64, q, level float64) (lo, hi float64, loOK, hiOK bool) {
	n := len(sorted)
	if n == 0 {
		return 0, 0, false, false
	}
	b := distuv.Binomial{N: float64(n), P: q}
	a := (1 - level) / 2
	// j: largest rank with P(B < j) ≤ a; k: smallest rank with P(B ≥ k) ≤ a.
	j := 0
	for r := 1; r <= n; r++ {
		if b.CDF(float64(r-1)) <= a {
			j = r
		} else {
			break
		}
	}
	k := n + 1
	for r := n; r >= 1; r-- {
		if 1-b.CDF(float64(r-1)) <= a {
			k = r
		} else {
			break
		}
	}
	if j >= 1 {
		lo, loOK = sorted[j-1], true
	}
	if k <= n {
		hi, hiOK = sorted[k-1], true
	}
	return lo, hi, loOK, hiOK
}

// SampleQuantile is the type-7 (linear interpolation, R's default)
// sample quantile of xs, alerts.Quantile's (the alerts dashboard's); NaN
// for none.
func SampleQuantile(xs []float64, q float64) float64 {
	if v := alerts.Quantile(xs, q); v != nil {
		return *v
	}
	return math.NaN()
}

// NearestRank is the nearest-rank q-percentile of durations sorted
// ascending: the element at rank round(q·n), clamped to the first and last;
// 0 for none. Load tests (vigil-loadgen, the OpenRosa load benchmark)
// report their latency percentiles with it.
func NearestRank(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(sorted) {
		i = len(sorted) - 1
	}
	return sorted[i]
}

// PoissonRatioP is the two-sided p-value of the conditional (binomial)
// test that two Poisson counts k1 over exposure t1 and k2 over t2 have
// the same rate: given n = k1+k2, k2 ~ Binomial(n, t2/(t1+t2)).
func PoissonRatioP(k1, t1, k2, t2 float64) float64 {
	n := math.Round(k1 + k2)
	if n == 0 {
		return 1
	}
	b := distuv.Binomial{N: n, P: t2 / (t1 + t2)}
	x := math.Round(k2)
	lower := b.CDF(x)
	upper := 1 - b.CDF(x-1)
	return math.Min(1, 2*math.Min(lower, upper))
}
