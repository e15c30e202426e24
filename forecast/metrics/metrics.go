// Package metrics scores forecasts of risk and of counts.
//
// It scores forecasts: binary risk (Brier score and skill, log loss, AUROC,
// average precision, calibration table, capture of events in the top-ranked
// cells) and counts (MSE on log1p, CRPS exact for Poisson and negative binomial
// and sample-based for draws, the VIEWS challenge's ignorance score on its
// fatality bins and the 90% interval score).
//
// Every function rejects inputs of different lengths, empty inputs and
// NaN/Inf with an error rather than returning NaN.
package metrics

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// ErrEmpty is returned when a metric is asked of no observations.
var ErrEmpty = errors.New("metrics: no observations")

func checkPair(p []float64, n int) error {
	if len(p) != n {
		return fmt.Errorf("metrics: %d predictions for %d observations", len(p), n)
	}
	if n == 0 {
		return ErrEmpty
	}
	for i, v := range p {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("metrics: prediction %d is %v", i, v)
		}
	}
	return nil
}

func checkProbs(p []float64, y []bool) error {
	if err := checkPair(p, len(y)); err != nil {
		return err
	}
	for i, v := range p {
		if v < 0 || v > 1 {
			return fmt.Errorf("metrics: probability %d is %v, outside 0..1", i, v)
		}
	}
	return nil
}

// Brier returns the mean squared difference between probabilities and outcomes.
func Brier(p []float64, y []bool) (float64, error) {
	if err := checkProbs(p, y); err != nil {
		return 0, err
	}
	s := 0.0
	for i := range p {
		d := p[i] - b2f(y[i])
		s += d * d
	}
	return s / float64(len(p)), nil
}

// BrierSkill returns 1 − Brier(p)/Brier(clim), the skill against a constant
// climatological probability clim (usually the base rate of the training
// data). It is 0 for climatology itself, 1 for a perfect forecast, negative
// when worse than climatology. An error is returned if climatology scores
// zero (no variation to beat).
func BrierSkill(p []float64, y []bool, clim float64) (float64, error) {
	b, err := Brier(p, y)
	if err != nil {
		return 0, err
	}
	if math.IsNaN(clim) || clim < 0 || clim > 1 {
		return 0, fmt.Errorf("metrics: climatological probability %v outside 0..1", clim)
	}
	c := make([]float64, len(y))
	for i := range c {
		c[i] = clim
	}
	bc, _ := Brier(c, y)
	if bc == 0 {
		return 0, errors.New("metrics: climatology has a Brier score of 0; skill undefined")
	}
	return 1 - b/bc, nil
}

// LogLossEps is the clipping applied to probabilities in LogLoss.
const LogLossEps = 1e-15

// LogLoss returns the mean negative natural log-likelihood of the outcomes,
// with probabilities clipped to [eps, 1−eps].
func LogLoss(p []float64, y []bool) (float64, error) {
	if err := checkProbs(p, y); err != nil {
		return 0, err
	}
	s := 0.0
	for i := range p {
		q := math.Min(math.Max(p[i], LogLossEps), 1-LogLossEps)
		if y[i] {
			s -= math.Log(q)
		} else {
			s -= math.Log(1 - q)
		}
	}
	return s / float64(len(p)), nil
}

// AUROC returns the area under the ROC curve: the probability that a random
// positive is scored above a random negative, ties counting one half
// (Mann–Whitney U with mid-ranks). It needs at least one positive and one
// negative.
func AUROC(score []float64, y []bool) (float64, error) {
	if err := checkPair(score, len(y)); err != nil {
		return 0, err
	}
	idx := order(score, false)
	var npos, nneg float64
	for _, v := range y {
		if v {
			npos++
		} else {
			nneg++
		}
	}
	if npos == 0 || nneg == 0 {
		return 0, errors.New("metrics: AUROC needs both positive and negative outcomes")
	}
	// Sum of mid-ranks of positives.
	rankSum := 0.0
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && score[idx[j]] == score[idx[i]] {
			j++
		}
		mid := float64(i+j+1) / 2 // ranks i+1..j
		for k := i; k < j; k++ {
			if y[idx[k]] {
				rankSum += mid
			}
		}
		i = j
	}
	u := rankSum - npos*(npos+1)/2
	return u / (npos * nneg), nil
}

// AUPR returns the average precision: Σ (Rₙ − Rₙ₋₁)·Pₙ over decreasing
// score thresholds, tied scores forming one threshold (as scikit-learn's
// average_precision_score). It needs at least one positive.
func AUPR(score []float64, y []bool) (float64, error) {
	if err := checkPair(score, len(y)); err != nil {
		return 0, err
	}
	idx := order(score, true)
	var npos float64
	for _, v := range y {
		if v {
			npos++
		}
	}
	if npos == 0 {
		return 0, errors.New("metrics: AUPR needs at least one positive outcome")
	}
	var tp, fp, ap, prevR float64
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && score[idx[j]] == score[idx[i]] {
			if y[idx[j]] {
				tp++
			} else {
				fp++
			}
			j++
		}
		r := tp / npos
		ap += (r - prevR) * tp / (tp + fp)
		prevR = r
		i = j
	}
	return ap, nil
}

// MSELog1p returns the mean of (log1p(pred) − log1p(actual))². Predictions
// and actuals must be ≥ 0.
func MSELog1p(pred, actual []float64) (float64, error) {
	if err := checkPair(pred, len(actual)); err != nil {
		return 0, err
	}
	if err := checkPair(actual, len(actual)); err != nil {
		return 0, err
	}
	s := 0.0
	for i := range pred {
		if pred[i] < 0 || actual[i] < 0 {
			return 0, fmt.Errorf("metrics: negative count at %d", i)
		}
		d := math.Log1p(pred[i]) - math.Log1p(actual[i])
		s += d * d
	}
	return s / float64(len(pred)), nil
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// order returns indices sorting score ascending (or descending), stable.
func order(score []float64, desc bool) []int {
	idx := make([]int, len(score))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		if desc {
			return score[idx[a]] > score[idx[b]]
		}
		return score[idx[a]] < score[idx[b]]
	})
	return idx
}

// CalibrationBin is one row of a calibration table.
type CalibrationBin struct {
	Lo            float64 `json:"lo"`
	Hi            float64 `json:"hi"`
	N             int     `json:"n"`
	MeanPredicted float64 `json:"mean_predicted"`
	Observed      float64 `json:"observed"` // share of positives
}

// Calibration groups probabilities into nbins equal-width bins on [0,1]
// (the last bin includes 1) and returns, for each non-empty bin, the number
// of forecasts, their mean probability and the observed frequency.
func Calibration(p []float64, y []bool, nbins int) ([]CalibrationBin, error) {
	if err := checkProbs(p, y); err != nil {
		return nil, err
	}
	if nbins < 1 {
		return nil, fmt.Errorf("metrics: %d calibration bins", nbins)
	}
	sum := make([]float64, nbins)
	pos := make([]float64, nbins)
	n := make([]int, nbins)
	for i, v := range p {
		b := min(int(v*float64(nbins)), nbins-1)
		sum[b] += v
		pos[b] += b2f(y[i])
		n[b]++
	}
	var out []CalibrationBin
	for b := range nbins {
		if n[b] == 0 {
			continue
		}
		out = append(out, CalibrationBin{
			Lo: float64(b) / float64(nbins), Hi: float64(b+1) / float64(nbins),
			N: n[b], MeanPredicted: sum[b] / float64(n[b]), Observed: pos[b] / float64(n[b]),
		})
	}
	return out, nil
}

// Capture returns the share of all events (weights, e.g. next month's event
// counts per cell) that fall in the top frac of cells ranked by risk. The top
// set has frac·n cells (fractional); cells tied at the boundary share the
// remaining slots pro rata, which is the expectation under random
// tie-breaking, so a constant forecast captures exactly frac.
func Capture(risk, events []float64, frac float64) (float64, error) {
	c, err := CaptureCurve(risk, events, []float64{frac})
	if err != nil {
		return 0, err
	}
	return c[0], nil
}

// CaptureCurve is Capture for several fractions with one sort.
func CaptureCurve(risk, events []float64, fracs []float64) ([]float64, error) {
	if err := checkPair(risk, len(events)); err != nil {
		return nil, err
	}
	if err := checkPair(events, len(events)); err != nil {
		return nil, err
	}
	for _, frac := range fracs {
		if !(frac > 0 && frac <= 1) {
			return nil, fmt.Errorf("metrics: capture fraction %v outside (0,1]", frac)
		}
	}
	total := 0.0
	for _, e := range events {
		if e < 0 {
			return nil, errors.New("metrics: negative event count")
		}
		total += e
	}
	if total == 0 {
		return nil, errors.New("metrics: no events to capture")
	}
	idx := order(risk, true)
	// tie groups: size and events, in rank order
	type group struct{ size, ev float64 }
	var gs []group
	for i := 0; i < len(idx); {
		j := i
		g := group{}
		for j < len(idx) && risk[idx[j]] == risk[idx[i]] {
			g.ev += events[idx[j]]
			j++
		}
		g.size = float64(j - i)
		gs = append(gs, g)
		i = j
	}
	out := make([]float64, len(fracs))
	for k, frac := range fracs {
		slots := frac * float64(len(risk))
		got := 0.0
		for _, g := range gs {
			if slots <= 0 {
				break
			}
			take := math.Min(slots, g.size)
			got += g.ev * take / g.size
			slots -= take
		}
		out[k] = got / total
	}
	return out, nil
}
