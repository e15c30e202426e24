package performance

import (
	"fmt"
	"math"
	"strconv"
)

// Direction says which way an indicator improves.
type Direction string

const (
	HigherIsBetter Direction = "higher"
	LowerIsBetter  Direction = "lower"
)

// ParseDirection accepts higher/lower (and up/down, increase/decrease).
func ParseDirection(s string) (Direction, error) {
	switch s {
	case "higher", "up", "increase", "higher-is-better":
		return HigherIsBetter, nil
	case "lower", "down", "decrease", "lower-is-better":
		return LowerIsBetter, nil
	}
	return "", refuse("err.direction", "direction", fmt.Sprintf("%q", s))
}

// Status is a value's standing against its target.
type Status string

const (
	OnTrack    Status = "on track"
	AtRisk     Status = "at risk"
	OffTrack   Status = "off track"
	CannotTell Status = "cannot tell yet"
	NoDataYet  Status = "no data"
)

// Trend statuses.
const (
	Improving Status = "improving"
	Worsening Status = "worsening"
)

// Assessment is a status with its reason.
type Assessment struct {
	Status Status `json:"status"`
	// Reason is the English text of Msg.
	Reason string `json:"reason"`
	Msg    Msg    `json:"msg"`
}

// interval is the value's 95% interval; hi = +Inf when unbounded.
func interval(v Value) (lo, hi float64) {
	lo = deref(v.CILow, deref(v.Value, math.NaN()))
	hi = deref(v.CIHigh, math.Inf(1))
	return lo, hi
}

func f(x float64) string {
	if math.IsInf(x, 1) {
		return "∞"
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// Assess places v against target (and baseline, when given) for an
// indicator improving in direction dir. With [lo, hi] the value's 95%
// interval (CILow–CIHigh):
//   - on track: the whole interval meets the target;
//   - off track: the whole interval misses the target and is no better
//     than the baseline (or there is no baseline);
//   - at risk: the whole interval misses the target but not all of it is
//     as bad as the baseline;
//   - cannot tell yet: the target lies inside the interval — the
//     difference is not larger than the value's uncertainty.
func Assess(v Value, target float64, baseline *float64, dir Direction) Assessment {
	if v.NoData || v.Value == nil {
		return assessment(NoDataYet, msg("status.no-value", "why", why(v)))
	}
	if v.Uncertainty == Unknown {
		return assessment(CannotTell, msg("status.no-interval"))
	}
	lo, hi := interval(v)
	// Express everything so that "more is better".
	better := func(a, b float64) bool { // a strictly better than b
		if dir == LowerIsBetter {
			return a < b
		}
		return a > b
	}
	worst, best := lo, hi
	if dir == LowerIsBetter {
		worst, best = hi, lo
	}
	iv := []any{"lo", lo, "hi", hi, "target", target}
	if v.Unit == "share" {
		iv = append(iv, "scale", "percent")
	}
	// An exact value (complete data) is said as a value, not as an
	// interval of no width ("the value 49.13% misses the target 70%").
	code := func(c string) string {
		if v.Uncertainty == Exact {
			return c + ".exact"
		}
		return c
	}
	if !better(target, worst) {
		return assessment(OnTrack, msg(code("status.on-track"), iv...))
	}
	if better(target, best) {
		if baseline != nil && better(best, *baseline) {
			return assessment(AtRisk, msg(code("status.at-risk"), append(iv, "baseline", *baseline)...))
		}
		if baseline != nil {
			return assessment(OffTrack, msg(code("status.off-baseline"), append(iv, "baseline", *baseline)...))
		}
		return assessment(OffTrack, msg(code("status.off-track"), iv...))
	}
	return assessment(CannotTell, msg("status.inside", iv...))
}

// TrendLevel is the confidence level of trend tests.
const TrendLevel = 0.95

// Trend says whether cur is better or worse than prev (the same
// indicator, area and disaggregation in an earlier period) by more than
// their uncertainty:
//   - counts: the conditional Poisson test of equal monthly rates at 5%,
//     made on the least favourable ends of the source ranges (prev's high
//     against cur's low for a fall, and the reverse for a rise);
//   - estimates and quantiles: the 95% intervals do not overlap, or for
//     estimates, |difference| > 1.96 × √(se₁² + se₂²) with each se taken
//     from its interval's half-width;
//   - exact values: any difference.
func Trend(prev, cur Value, dir Direction) Assessment {
	if prev.NoData || prev.Value == nil {
		return assessment(CannotTell, msg("trend.no-earlier", "why", why(prev)))
	}
	if cur.NoData || cur.Value == nil {
		return assessment(CannotTell, msg("trend.no-value", "why", why(cur)))
	}
	if prev.Uncertainty == Unknown || cur.Uncertainty == Unknown {
		return assessment(CannotTell, msg("trend.no-intervals"))
	}
	a, b := *prev.Value, *cur.Value
	up := b > a
	var clear bool
	var how Msg
	switch cur.Uncertainty {
	case Count:
		t1, t2 := float64(max(prev.Coverage.Months, 1)), float64(max(cur.Coverage.Months, 1))
		var k1, k2 float64
		if up {
			k1, k2 = deref(prev.High, a), deref(cur.Low, b)
			if k2/t2 <= k1/t1 {
				how = msg("trend.overlap-up", "k1", k1, "k2", k2)
				break
			}
		} else {
			k1, k2 = deref(prev.Low, a), deref(cur.High, b)
			if k2/t2 >= k1/t1 {
				how = msg("trend.overlap-down", "k1", k1, "k2", k2)
				break
			}
		}
		p := PoissonRatioP(k1, t1, k2, t2)
		clear = p < 1-TrendLevel
		if p < 0.001 {
			// "p < 0.001", not 4.99e-47: a p-value this small is written
			// as its bound, for people.
			how = msg("trend.poisson-tiny", "k1", k1, "k2", k2, "t1", t1, "t2", t2)
		} else {
			how = msg("trend.poisson", "k1", k1, "k2", k2, "t1", t1, "t2", t2, "p", fmt.Sprintf("%.3g", p))
		}
	case Exact:
		clear = a != b
		how = msg("trend.exact", "v1", a, "v2", b) // the two values: "worsening" alone does not say by how much
	case Estimate:
		l1, h1 := interval(prev)
		l2, h2 := interval(cur)
		se1, se2 := (h1-l1)/(2*1.959964), (h2-l2)/(2*1.959964)
		z := 1.959964 * math.Sqrt(se1*se1+se2*se2)
		clear = math.Abs(b-a) > z
		how = msg("trend.estimate", "change", b-a, "z", fmt.Sprintf("%.4g", z))
	default:
		l1, h1 := interval(prev)
		l2, h2 := interval(cur)
		clear = h1 < l2 || h2 < l1
		how = msg("trend.intervals", "l1", l1, "h1", h1, "l2", l2, "h2", h2)
	}
	if a == b {
		return assessment(CannotTell, msg("trend.no-change"))
	}
	if cur.Unit == "share" && how.Args != nil {
		how.Args["scale"] = "percent"
	}
	if !clear {
		return assessment(CannotTell, msg("trend.not-clear", "how", how))
	}
	if up == (dir == HigherIsBetter) {
		return assessment(Improving, how)
	}
	return assessment(Worsening, how)
}
