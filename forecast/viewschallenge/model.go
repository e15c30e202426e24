package viewschallenge

import (
	"context"
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"github.com/vigil-project/vigil/forecast/metrics"
	"github.com/vigil-project/vigil/internal/apperr"
)

// Challenge constants: forecasts are for months cutoff+FirstStep …
// cutoff+LastStep, with NDraws draws each.
const (
	FirstStep = 3
	LastStep  = 14
	NDraws    = 1000
)

// A Method turns a country's history (oldest first, ending at the cutoff)
// into n draws of the count at any month 3–14 ahead.
type Method struct {
	Name  string
	Draws func(hist []float64, n int, rng *rand.Rand) []float64
}

// Candidates are the methods the selection rule chooses among. They are
// deliberately few and simple, so that choosing among them on a handful of
// pseudo-windows cannot overfit much.
func Candidates() []Method {
	ms := []Method{{Name: "poisson-last", Draws: poissonLast}}
	for _, k := range []int{6, 12, 24} {
		ms = append(ms, Method{Name: fmt.Sprintf("empirical-%d", k), Draws: empirical(k)})
	}
	for _, k := range []int{12, 24} {
		ms = append(ms, Method{Name: fmt.Sprintf("negbin-%d", k), Draws: negbin(k)})
	}
	for _, hl := range []float64{2, 4} {
		ms = append(ms, Method{Name: fmt.Sprintf("ewnegbin-%g", hl), Draws: ewNegbin(hl)})
		ms = append(ms, Method{Name: fmt.Sprintf("ewempirical-%g", hl), Draws: ewEmpirical(hl)})
	}
	return ms
}

// MethodByName returns a candidate, the zero forecast ("zero") or an error.
func MethodByName(name string) (Method, error) {
	if name == "zero" {
		return Method{Name: "zero", Draws: func(_ []float64, n int, _ *rand.Rand) []float64 { return make([]float64, n) }}, nil
	}
	for _, m := range Candidates() {
		if m.Name == name {
			return m, nil
		}
	}
	names := []string{"zero"}
	for _, m := range Candidates() {
		names = append(names, m.Name)
	}
	return Method{}, fmt.Errorf("unknown method %q (want auto or one of %v)", name, names)
}

// EnsembleSize is how many of the best-validated candidates the automatic
// method mixes.
const EnsembleSize = 3

// Mixture pools the draws of several methods in equal shares: draw i comes
// from method i mod len(ms).
func Mixture(ms ...Method) Method {
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.Name
	}
	return Method{Name: "mixture(" + strings.Join(names, "+") + ")", Draws: func(hist []float64, n int, rng *rand.Rand) []float64 {
		out := make([]float64, n)
		for j, m := range ms {
			d := m.Draws(hist, n, rng)
			for i := j; i < n; i += len(ms) {
				out[i] = d[i]
			}
		}
		return out
	}}
}

func poissonLast(hist []float64, n int, rng *rand.Rand) []float64 {
	lam := hist[len(hist)-1]
	out := make([]float64, n)
	for i := range out {
		out[i] = float64(poisson(rng, lam))
	}
	return out
}

// empirical draws from the last k observed months (fewer if the history is
// shorter): each value gets ⌊n/k⌋ draws and the remainder is drawn at random.
func empirical(k int) func([]float64, int, *rand.Rand) []float64 {
	return func(hist []float64, n int, rng *rand.Rand) []float64 {
		w := hist[max(0, len(hist)-k):]
		out := make([]float64, 0, n)
		for len(out)+len(w) <= n {
			out = append(out, w...)
		}
		for len(out) < n {
			out = append(out, w[rng.IntN(len(w))])
		}
		return out
	}
}

// negbin draws from a negative binomial with the mean and variance of the
// last k months (Poisson when the variance does not exceed the mean).
func negbin(k int) func([]float64, int, *rand.Rand) []float64 {
	return func(hist []float64, n int, rng *rand.Rand) []float64 {
		w := hist[max(0, len(hist)-k):]
		mu, v := meanVar(w)
		return negbinDraws(rng, mu, v, n)
	}
}

// negbinDraws draws n counts from a negative binomial with mean mu and
// variance v (a Gamma–Poisson mixture), Poisson when v does not exceed mu.
func negbinDraws(rng *rand.Rand, mu, v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		if v <= mu*1.0001 || mu == 0 {
			out[i] = float64(poisson(rng, mu))
			continue
		}
		r := mu * mu / (v - mu)
		out[i] = float64(poisson(rng, gamma(rng, r)*mu/r))
	}
	return out
}

// weights returns exponential weights with the given half-life (months)
// over hist, the most recent month weighing 1, normalised to sum 1.
func weights(n int, halfLife float64) []float64 {
	w := make([]float64, n)
	s := 0.0
	for i := range w {
		w[i] = math.Exp2(-float64(n-1-i) / halfLife)
		s += w[i]
	}
	for i := range w {
		w[i] /= s
	}
	return w
}

// ewNegbin is negbin with exponentially weighted mean and variance over the
// last 24 months.
func ewNegbin(halfLife float64) func([]float64, int, *rand.Rand) []float64 {
	return func(hist []float64, n int, rng *rand.Rand) []float64 {
		h := hist[max(0, len(hist)-24):]
		w := weights(len(h), halfLife)
		mu := 0.0
		for i, x := range h {
			mu += w[i] * x
		}
		v := 0.0
		for i, x := range h {
			v += w[i] * (x - mu) * (x - mu)
		}
		return negbinDraws(rng, mu, v, n)
	}
}

// ewEmpirical draws past values of the last 24 months with exponentially
// decaying probabilities (a recency-weighted bootstrap), allocating draws
// to months in proportion to their weights (largest remainders).
func ewEmpirical(halfLife float64) func([]float64, int, *rand.Rand) []float64 {
	return func(hist []float64, n int, rng *rand.Rand) []float64 {
		h := hist[max(0, len(hist)-24):]
		w := weights(len(h), halfLife)
		out := make([]float64, 0, n)
		type rem struct {
			i int
			r float64
		}
		var rems []rem
		for i, x := range h {
			c := int(math.Floor(w[i] * float64(n)))
			for range c {
				out = append(out, x)
			}
			rems = append(rems, rem{i, w[i]*float64(n) - float64(c)})
		}
		sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
		for j := 0; len(out) < n; j++ {
			out = append(out, h[rems[j%len(rems)].i])
		}
		return out
	}
}

func meanVar(w []float64) (float64, float64) {
	m := 0.0
	for _, x := range w {
		m += x
	}
	m /= float64(len(w))
	v := 0.0
	for _, x := range w {
		v += (x - m) * (x - m)
	}
	if len(w) > 1 {
		v /= float64(len(w) - 1)
	}
	return m, v
}

// poisson draws a Poisson variate: Knuth's product method for small means,
// sums of Poisson(25) pieces up to 300, and the normal approximation with
// rounding beyond (indistinguishable from Poisson at 1,000 draws).
func poisson(rng *rand.Rand, lam float64) int {
	if !(lam > 0) {
		return 0
	}
	if lam >= 300 {
		return int(math.Max(0, math.Round(lam+math.Sqrt(lam)*rng.NormFloat64())))
	}
	k := 0
	for lam > 25 {
		k += knuth(rng, 25)
		lam -= 25
	}
	return k + knuth(rng, lam)
}

func knuth(rng *rand.Rand, lam float64) int {
	l := math.Exp(-lam)
	k, p := 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// gamma draws Gamma(shape, 1) (Marsaglia–Tsang).
func gamma(rng *rand.Rand, shape float64) float64 {
	if shape < 1 {
		return gamma(rng, shape+1) * math.Pow(rng.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}

// series returns a country's observed values at months ≤ upTo, oldest first,
// skipping months not observed.
func series(s map[int]float64, upTo int) []float64 {
	ms := make([]int, 0, len(s))
	for m := range s {
		if m <= upTo {
			ms = append(ms, m)
		}
	}
	sort.Ints(ms)
	out := make([]float64, len(ms))
	for i, m := range ms {
		out[i] = s[m]
	}
	return out
}

// Validation is a candidate's mean CRPS on the pseudo-windows.
type Validation struct {
	Method string  `json:"method"`
	CRPS   float64 `json:"crps"`
	N      int     `json:"n"`
}

// MinHistory is the fewest observed months a pseudo-window needs before its
// pseudo-cutoff.
const MinHistory = 3

// Validate scores every candidate on pseudo-windows built from months ≤
// cutoff only: for each pseudo-cutoff c = cutoff−LastStep … cutoff−FirstStep
// with at least MinHistory months of history, forecasts for months c+3 …
// min(c+14, cutoff) are scored against the observed values by sample CRPS.
// The result is sorted best first.
func Validate(h History, cutoff int, seed uint64) ([]Validation, error) {
	first, _ := h.Months()
	var out []Validation
	for _, m := range Candidates() {
		rng := rand.New(rand.NewPCG(seed, 7))
		sum, n := 0.0, 0
		for _, cid := range h.Countries() {
			s := h[cid]
			for c := cutoff - LastStep; c <= cutoff-FirstStep; c++ {
				if c-first+1 < MinHistory {
					continue
				}
				hist := series(s, c)
				if len(hist) < MinHistory {
					continue
				}
				d := m.Draws(hist, NDraws, rng)
				slices.Sort(d)
				for t := c + FirstStep; t <= min(c+LastStep, cutoff); t++ {
					y, ok := s[t]
					if !ok {
						continue
					}
					sc, err := metrics.CRPSSample(d, y)
					if err != nil {
						return nil, err
					}
					sum += sc
					n++
				}
			}
		}
		if n == 0 {
			return nil, fmt.Errorf("no pseudo-window fits before cutoff %d: the features need at least %d months of history before month %d", cutoff, MinHistory, cutoff-FirstStep)
		}
		out = append(out, Validation{Method: m.Name, CRPS: sum / float64(n), N: n})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].CRPS < out[j].CRPS })
	return out, nil
}

// Options configure Forecast.
type Options struct {
	Method string // "auto" (default: chosen by Validate) or a method name
	Seed   uint64
	Log    io.Writer // progress and the validation table; may be nil
}

// Row is one line of the submission.
type Row struct {
	Month, Country, Draw int
	Outcome              float64
}

// Forecast writes NDraws draws for every country in h and months cutoff+3 …
// cutoff+14 by calling emit for each row, in month, country, draw order.
// Months after the cutoff in h are ignored (never used). It returns the
// method used.
func Forecast(ctx context.Context, h History, cutoff int, opt Options, emit func(Row) error) (string, error) {
	if len(h) == 0 {
		return "", refuse("no countries in the features")
	}
	first, last := h.Months()
	if cutoff < first {
		return "", refuse("cutoff month %d is before the first month in the features (%d)", cutoff, first)
	}
	if last > cutoff && opt.Log != nil {
		fmt.Fprintf(opt.Log, "views: ignoring months %d–%d after the cutoff %d\n", cutoff+1, last, cutoff)
	}
	name := opt.Method
	var m Method
	if name == "" || name == "auto" {
		vals, err := Validate(h, cutoff, opt.Seed)
		if err != nil {
			return "", err
		}
		if opt.Log != nil {
			fmt.Fprintf(opt.Log, "views: pseudo-window validation (months ≤ %d only), mean CRPS:\n", cutoff)
			for _, v := range vals {
				fmt.Fprintf(opt.Log, "  %-14s %9.3f  (n=%d)\n", v.Method, v.CRPS, v.N)
			}
		}
		var parts []Method
		for _, v := range vals[:min(EnsembleSize, len(vals))] {
			p, _ := MethodByName(v.Method)
			parts = append(parts, p)
		}
		m = Mixture(parts...)
	} else {
		var err error
		if m, err = MethodByName(name); err != nil {
			return "", err
		}
	}
	name = m.Name
	if opt.Log != nil {
		fmt.Fprintf(opt.Log, "views: forecasting with %s\n", name)
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 11))
	countries := h.Countries()
	draws := map[int][][]float64{}
	for _, cid := range countries {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		hist := series(h[cid], cutoff)
		if len(hist) == 0 {
			return "", refuse("country %d has no months at or before the cutoff %d", cid, cutoff)
		}
		for step := FirstStep; step <= LastStep; step++ {
			draws[cid] = append(draws[cid], m.Draws(hist, NDraws, rng))
		}
	}
	for step := FirstStep; step <= LastStep; step++ {
		for _, cid := range countries {
			for i, v := range draws[cid][step-FirstStep] {
				if err := emit(Row{Month: cutoff + step, Country: cid, Draw: i, Outcome: v}); err != nil {
					return "", err
				}
			}
		}
	}
	return name, nil
}

// Scores are a forecast's challenge scores.
type Scores struct {
	CRPS      float64 `json:"crps"`
	Ignorance float64 `json:"ignorance"`
	Interval  float64 `json:"interval_score_90"`
	N         int     `json:"n"`
	Draws     int     `json:"draws"`
}

// Score scores a forecast against actuals. Every actual country-month must
// have a forecast; forecasts without an actual are an error too (a
// mismatched window is more likely a mistake than intended). Its refusals
// are catalog messages (Refusals).
func Score(fc map[Key][]float64, act map[Key]float64) (Scores, error) {
	return score(fc, act, "", "")
}

// score is Score, its refusals placed in the forecast file fcName or the
// actuals file actName (apperr.AtLine, line 0: the file as a whole) when
// they are named.
func score(fc map[Key][]float64, act map[Key]float64, fcName, actName string) (Scores, error) {
	var s Scores
	for _, k := range sortedKeys(act) {
		d, ok := fc[k]
		if !ok {
			return Scores{}, inFile(fcName, apperr.Fieldf(apperr.KindInvalid, "", "no forecast for country %d month %d in the actuals", k.Country, k.Month))
		}
		sc, err := metrics.ScoreSample(d, act[k])
		if err != nil {
			return Scores{}, inFile(fcName, apperr.Invalidf("", "country %d month %d: %v", k.Country, k.Month, err))
		}
		s.CRPS += sc.CRPS
		s.Ignorance += sc.Ignorance
		s.Interval += sc.Interval
		s.N++
		s.Draws = len(d)
	}
	for _, k := range sortedKeys(fc) {
		if _, ok := act[k]; !ok {
			return Scores{}, inFile(actName, apperr.Fieldf(apperr.KindInvalid, "", "forecast for country %d month %d has no actual", k.Country, k.Month))
		}
	}
	n := float64(s.N)
	s.CRPS /= n
	s.Ignorance /= n
	s.Interval /= n
	return s, nil
}

// sortedKeys are m's country-months by month, then country.
func sortedKeys[V any](m map[Key]V) []Key {
	keys := slices.Collect(maps.Keys(m))
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].Month != keys[j].Month {
			return keys[i].Month < keys[j].Month
		}
		return keys[i].Country < keys[j].Country
	})
	return keys
}

// inFile places err in file as a whole (line 0), when file is named.
func inFile(file string, err *apperr.Error) error {
	if file == "" {
		return err
	}
	return apperr.AtLine(file, 0, err)
}

// ScoreFiles scores the forecast file fc (month_id,country_id,draw,outcome;
// ReadForecast) against the actuals file act (month_id,country_id,ged_sb;
// ReadActuals), named fcName and actName in refusals, as `vigil views
// score` does: a refusal is invalid input naming the file, its line (0:
// the file as a whole) and column.
func ScoreFiles(fcName string, fc io.Reader, actName string, act io.Reader) (Scores, error) {
	f, err := ReadForecast(fcName, fc)
	if err != nil {
		return Scores{}, err
	}
	a, err := ReadActuals(actName, act)
	if err != nil {
		return Scores{}, err
	}
	return score(f, a, fcName, actName)
}

// WriteText writes s as `vigil views score` prints it.
func (s Scores) WriteText(w io.Writer) error {
	_, err := fmt.Fprintf(w, "country-months  %d (%d draws each)\nmean CRPS       %.3f\nignorance       %.3f\ninterval (90%%)  %.3f\n",
		s.N, s.Draws, s.CRPS, s.Ignorance, s.Interval)
	return err
}
