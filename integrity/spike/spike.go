// Package spike flags a daily count series (a narrative's, a term's or a
// place's volume) on the days it jumps above its own trailing baseline.
//
// The rule, for day t with count x: the baseline is the trailing window of
// the Window days before t (t-Window … t-1); its mean m and variance v give
// the expected count λ = max(m, MinRate). The day is flagged when at least
// MinHistory days of history exist, x ≥ MinCount, x > λ, and the upper tail
// P(X ≥ x) < Alpha under a negative binomial with mean λ and the window's
// overdispersion (size r = λ²/(v−m) when v > m), or under a Poisson with
// mean λ when the window is not overdispersed.
package spike

import "math"

// Rule is the statistical rule; the zero value takes the defaults.
type Rule struct {
	Window     int     // trailing baseline days (default 28)
	MinHistory int     // days of history needed before flagging (default 7)
	MinCount   int     // smallest count that can be a spike (default 5)
	Alpha      float64 // upper-tail probability threshold (default 0.001)
	MinRate    float64 // floor of the expected count (default 0.5)
}

func (r *Rule) defaults() {
	if r.Window <= 0 {
		r.Window = 28
	}
	if r.MinHistory <= 0 {
		r.MinHistory = 7
	}
	if r.MinCount <= 0 {
		r.MinCount = 5
	}
	if r.Alpha <= 0 {
		r.Alpha = 0.001
	}
	if r.MinRate <= 0 {
		r.MinRate = 0.5
	}
}

// Flag is one flagged day.
type Flag struct {
	Day      int     // index in the series
	Count    int     // the day's count
	Expected float64 // λ, the baseline's expected count
	PValue   float64 // P(X ≥ Count) under the baseline
}

// Scan returns the flagged days of a series, in order.
func (r Rule) Scan(counts []int) []Flag {
	r.defaults()
	var out []Flag
	var sum, sq float64
	for t, x := range counts {
		n := min(t, r.Window)
		if t > 0 {
			v := float64(counts[t-1])
			sum += v
			sq += v * v
			if t-1-r.Window >= 0 {
				o := float64(counts[t-1-r.Window])
				sum -= o
				sq -= o * o
			}
		}
		if n < r.MinHistory || x < r.MinCount {
			continue
		}
		mean := sum / float64(n)
		lambda := math.Max(mean, r.MinRate)
		if float64(x) <= lambda {
			continue
		}
		variance := 0.0
		if n > 1 {
			variance = math.Max(0, (sq-sum*sum/float64(n))/float64(n-1))
		}
		var p float64
		if variance > mean && mean > 0 {
			p = nbTail(x, lambda, lambda*lambda/(variance-mean))
		} else {
			p = poissonTail(x, lambda)
		}
		if p < r.Alpha {
			out = append(out, Flag{Day: t, Count: x, Expected: lambda, PValue: p})
		}
	}
	return out
}

// poissonTail is P(X ≥ k) for X ~ Poisson(λ), summed upwards from k.
func poissonTail(k int, lambda float64) float64 {
	lg, _ := math.Lgamma(float64(k) + 1)
	term := math.Exp(float64(k)*math.Log(lambda) - lambda - lg)
	sum := term
	for i := k + 1; i < k+10000; i++ {
		term *= lambda / float64(i)
		sum += term
		if term < sum*1e-12 {
			break
		}
	}
	return math.Min(sum, 1)
}

// nbTail is P(X ≥ k) for a negative binomial with mean μ and size r
// (variance μ + μ²/r), summed upwards from k.
func nbTail(k int, mu, r float64) float64 {
	p := r / (r + mu) // success probability
	q := 1 - p
	a, _ := math.Lgamma(float64(k) + r)
	b, _ := math.Lgamma(r)
	c, _ := math.Lgamma(float64(k) + 1)
	term := math.Exp(a - b - c + r*math.Log(p) + float64(k)*math.Log(q))
	sum := term
	for i := k; i < k+100000; i++ {
		term *= (float64(i) + r) / float64(i+1) * q
		sum += term
		if term < sum*1e-12 {
			break
		}
	}
	return math.Min(sum, 1)
}
