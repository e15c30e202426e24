package forecast

import (
	"errors"
	"fmt"
	"gonum.org/v1/gonum/stat/distuv"
	"io"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/vigil-project/vigil/forecast/gbt"
	"github.com/vigil-project/vigil/grid"
)

// Config controls training and backtests.
type Config struct {
	Target      int        // SB, NS or OS
	Horizon     int        // months ahead (1–6 by default; VIEWS uses 3–14)
	TrainMonths int        // origins per training window (0: DefaultTrainMonths)
	QuietKeep   float64    // share of "quiet" negative rows kept (weighted back); 0: DefaultQuietKeep
	Params      gbt.Params // classifier settings (zero: gbt.DefaultParams)
	Seed        uint64
	Progress    io.Writer // progress lines (nil: none)
	// NoStack turns off stacking: by default the trees' score is calibrated
	// together with the exponential-decay baseline on the held-out months
	// (a two-input logistic regression). Chosen on the 2013–2015
	// development window, where it raised AUPR for every target and
	// horizon tried (docs/benchmarks/forecast.md).
	NoStack bool
	// Members is the number of classifiers (each stacked and calibrated as
	// above) trained with different seeds on the same rows; a cell's
	// probability is the one whose log-odds is their mean. 0:
	// DefaultMembers. More members cost proportionally more training time.
	Members int
	member  bool // training one extra member: no hurdle regression
}

// DefaultMembers is Config.Members when 0: 4 for state-based and non-state
// violence on cell grids, 1 otherwise. Chosen on the 2013–2015 development
// window, horizon 3, where a single model's AUPR moved by up to 0.015
// (state-based) and 0.039 (non-state) with the seed alone and four members
// raised it for both (docs/benchmarks/forecast.md §2, "Second attempt");
// one-sided violence and the country grid are left as they were.
func DefaultMembers(target int, countryGrid bool) int {
	if (target == SB || target == NS) && !countryGrid {
		return 4
	}
	return 1
}

const (
	DefaultTrainMonths = 120
	DefaultQuietKeep   = 0.1
	// MinHistory is the number of months of data a training origin needs
	// before it (its longest feature window).
	MinHistory = 12
	// ValidMonths is the number of most recent training origins held out
	// for early stopping and probability calibration.
	ValidMonths = 12
	MaxHorizon  = 36
)

func (c *Config) fill() error {
	if c.Horizon < 1 || c.Horizon > MaxHorizon {
		return fmt.Errorf("horizon %d: must be 1…%d months", c.Horizon, MaxHorizon)
	}
	if c.Target < 0 || c.Target >= NTypes {
		return fmt.Errorf("target %d unknown", c.Target)
	}
	if c.TrainMonths <= 0 {
		c.TrainMonths = DefaultTrainMonths
	}
	if !(c.QuietKeep > 0 && c.QuietKeep <= 1) {
		c.QuietKeep = DefaultQuietKeep
	}
	if c.Params.Trees == 0 {
		c.Params = gbt.DefaultParams(gbt.Logistic)
		c.Params.Seed = c.Seed + 1
	}
	return nil
}

// Prediction is a forecast for one cell and target month.
type Prediction struct {
	Cell     int     `json:"cell"`
	Prob     float64 `json:"probability"`         // P(any event of the target type)
	Expected float64 `json:"expected_fatalities"` // mean fatalities
	Lo, Hi   float64 // central 90% interval of fatalities
	// hurdle parameters: fatalities are 0 with probability 1−Prob, else
	// expm1 of Normal(Mu, Sigma) (rounded, at least 0).
	Mu, Sigma float64
	poisson   bool // baselines: fatalities ~ Poisson(Expected)
}

// Quantile returns the q-quantile of the predicted fatalities.
func (p Prediction) Quantile(q float64) float64 {
	if p.poisson {
		return poissonQuantile(p.Expected, q)
	}
	if q <= 1-p.Prob || p.Prob <= 0 {
		return 0
	}
	u := (q - (1 - p.Prob)) / p.Prob
	u = math.Min(math.Max(u, 1e-9), 1-1e-9)
	return math.Max(0, math.Round(math.Expm1(p.Mu+p.Sigma*distuv.UnitNormal.Quantile(u))))
}

func poissonQuantile(lam, q float64) float64 {
	if lam <= 0 {
		return 0
	}
	cdf, pk := 0.0, math.Exp(-lam)
	if pk == 0 { // large mean: normal approximation
		return math.Max(0, math.Round(lam+math.Sqrt(lam)*distuv.UnitNormal.Quantile(q)))
	}
	for k := 0; ; k++ {
		if k > 0 {
			pk *= lam / float64(k)
		}
		cdf += pk
		if cdf >= q || k > 100000 {
			return float64(k)
		}
	}
}

// Draws returns n stratified draws (quantiles at (k+½)/n) of the
// predicted fatalities, for sample CRPS.
func (p Prediction) Draws(n int) []float64 {
	out := make([]float64, n)
	for k := range out {
		out[k] = p.Quantile((float64(k) + 0.5) / float64(n))
	}
	return out
}

// Model names.
const (
	ModelGBT     = "gbt"
	ModelZero    = "zero"
	ModelNoChg   = "no-change"
	ModelHistory = "historical-rate"
	ModelDecay   = "exp-decay"
)

// Baselines are the baseline model names, in report order.
var Baselines = []string{ModelZero, ModelNoChg, ModelHistory, ModelDecay}

// Baseline predicts with a named baseline for cell index i at origin t.
func (f *Features) Baseline(name string, i int, t grid.Month) (Prediction, error) {
	p := f.P
	m := int(t - p.First)
	nm := p.NMonths
	base := i * nm
	c, d := f.cumC[f.Target], f.cumD[f.Target]
	pr := Prediction{Cell: p.Cells[i], poisson: true}
	switch name {
	case ModelZero:
	case ModelNoChg:
		if roll(c, base, m, 1) > 0 {
			pr.Prob = 1
		}
		pr.Expected = roll(d, base, m, 1)
	case ModelHistory:
		pr.Prob = float64(f.anyCum(i, m)) / float64(m+1)
		pr.Expected = float64(d[base+m]) / float64(m+1)
	case ModelDecay:
		pr.Prob = DecayMean(m, func(k int) float64 { return b2f(p.Counts[f.Target][base+m-k] > 0) })
		pr.Expected = DecayMean(m, func(k int) float64 { return float64(p.Deaths[f.Target][base+m-k]) })
	default:
		return Prediction{}, fmt.Errorf("unknown baseline %q", name)
	}
	pr.Lo, pr.Hi = pr.Quantile(0.05), pr.Quantile(0.95)
	return pr, nil
}

// DecayMean is the exponential-decay baseline's weighted mean of x over
// the 36 months up to month offset m of the data (x(k): the value k months
// before; weight 2^(−k/DecayHalfLife); months before the data start are
// left out). With x an "any event" indicator it is the baseline's
// probability of an event the next month, from data up to m only.
func DecayMean(m int, x func(k int) float64) float64 {
	var sw, s float64
	for k := 0; k < 36 && m-k >= 0; k++ {
		w := math.Exp2(-float64(k) / DecayHalfLife)
		sw += w
		s += w * x(k)
	}
	return s / sw
}

// anyCum returns the number of months ≤ m with an event of the target type.
func (f *Features) anyCum(i, m int) int {
	if f.anyC == nil {
		nm := f.P.NMonths
		f.anyC = make([]int32, len(f.P.Cells)*nm)
		for ci := range f.P.Cells {
			var s int32
			for mm := range nm {
				if f.P.Counts[f.Target][ci*nm+mm] > 0 {
					s++
				}
				f.anyC[ci*nm+mm] = s
			}
		}
	}
	return int(f.anyC[i*f.P.NMonths+m])
}

// Learned is the trained gradient-boosted model for one target and horizon:
// a calibrated classifier for any event and a regression of log1p
// fatalities given an event (the hurdle's positive part).
type Learned struct {
	F       *Features
	Horizon int
	Origin  grid.Month // the latest origin whose target was known at training
	Clf     *gbt.Model
	Platt   gbt.Platt
	// Stacking (unless Config.NoStack): p = σ(Platt.A·raw + StackC·logit(decay) + Platt.B)
	// where decay is the exponential-decay baseline's probability.
	StackC   float64
	Reg      *gbt.Model // nil if too few events to fit
	RegMean  float64    // mean log1p fatalities given an event (fallback)
	Sigma    float64    // residual sd of log1p fatalities given an event
	BaseRate float64    // training base rate (climatology)
	Rows     int        // training rows (after subsampling)
	Timing   Timing
	// Ens are the other members (Config.Members − 1), each with its own
	// classifier, calibration and stacking weight; nil for one model.
	Ens []*Learned
}

// Timing splits the time spent.
type Timing struct {
	Features, Fit, Predict time.Duration
}

// Add accumulates.
func (t *Timing) Add(o Timing) {
	t.Features += o.Features
	t.Fit += o.Fit
	t.Predict += o.Predict
}

// ErrNoTraining is returned when a window has no training data.
var ErrNoTraining = errors.New("no training data")

// Train fits the learned model at "now" = origin now: training rows are
// origins o with o+h ≤ now (their targets are observed), o within the last
// TrainMonths, and at least MinHistory months after the panel's start. It
// never reads a month after now.
func Train(f *Features, now grid.Month, cfg Config) (*Learned, error) {
	if err := cfg.fill(); err != nil {
		return nil, err
	}
	p := f.P
	h := cfg.Horizon
	if now > p.Last() {
		return nil, fmt.Errorf("training month %s is beyond the data (last month %s)", now, p.Last())
	}
	lastO := now - grid.Month(h)
	firstO := max(p.First+MinHistory, lastO-grid.Month(cfg.TrainMonths)+1)
	if lastO < firstO+ValidMonths {
		return nil, fmt.Errorf("%w before %s: the panel starts %s; a forecast %d months ahead needs at least %d months of data (%d of history, %d+1 of training origins, the horizon)",
			ErrNoTraining, now+1, p.First, h, MinHistory+ValidMonths+1+h, MinHistory, ValidMonths)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 17))
	nf := len(f.Names())
	row := make([]float64, nf)
	var tr, va gbt.Data
	tr.F, va.F = nf, nf
	var trD, vaD []float64 // log1p deaths of positive rows
	var trX, vaX []float64
	var vaDecay []float64 // exp-decay baseline on validation rows (stacking)
	start := time.Now()
	pos, tot := 0.0, 0.0
	for o := firstO; o <= lastO; o++ {
		valid := o > lastO-ValidMonths
		for i := range p.Cells {
			if o+grid.Month(h) > now {
				return nil, fmt.Errorf("internal error: training row %s targets %s after %s", o, o+grid.Month(h), now)
			}
			y, deaths := f.TargetAt(i, o+grid.Month(h))
			w := 1.0
			if !y && f.quietAt(i, int(o-p.First)) {
				if rng.Float64() >= cfg.QuietKeep {
					continue
				}
				w = 1 / cfg.QuietKeep
			}
			if err := f.Row(i, o, h, row); err != nil {
				return nil, err
			}
			d := &tr
			if valid {
				d = &va
				if !cfg.NoStack {
					bp, _ := f.Baseline(ModelDecay, i, o)
					vaDecay = append(vaDecay, bp.Prob)
				}
			}
			d.X = append(d.X, row...)
			d.Y = append(d.Y, b2f(y))
			d.W = append(d.W, w)
			tot += w
			if y {
				pos += w
				if valid {
					vaX = append(vaX, row...)
					vaD = append(vaD, math.Log1p(deaths))
				} else {
					trX = append(trX, row...)
					trD = append(trD, math.Log1p(deaths))
				}
			}
		}
	}
	L := &Learned{F: f, Horizon: h, Origin: now, Rows: tr.N() + va.N()}
	L.Timing.Features = time.Since(start)
	if pos == 0 {
		return nil, fmt.Errorf("%w: no %s events in the training window %s…%s", ErrNoTraining, TypeNames[f.Target], firstO+grid.Month(h), now)
	}
	L.BaseRate = pos / tot
	start = time.Now()
	clf, err := gbt.Fit(&tr, &va, cfg.Params)
	if err != nil {
		return nil, err
	}
	L.Clf = clf
	// calibrate on the held-out months
	raw := make([]float64, va.N())
	yv := make([]bool, va.N())
	for i := range raw {
		raw[i] = clf.Raw(va.X[i*nf : (i+1)*nf])
		yv[i] = va.Y[i] == 1
	}
	L.Platt = gbt.FitPlatt(raw, yv, va.W)
	if !cfg.NoStack {
		x := make([][]float64, va.N())
		for i := range x {
			x[i] = []float64{raw[i], logitClip(vaDecay[i])}
		}
		if b := gbt.FitLogistic(x, yv, va.W); b != nil {
			L.Platt = gbt.Platt{A: b[1], B: b[0]}
			L.StackC = b[2]
		}
	}
	// hurdle: log1p fatalities given an event
	all := append(append([]float64{}, trD...), vaD...)
	L.RegMean = mean(all)
	L.Sigma = sd(all, L.RegMean)
	if len(trD) >= 50 && len(vaD) >= 10 && !cfg.member {
		rp := gbt.DefaultParams(gbt.Squared)
		rp.MaxDepth, rp.MinHess, rp.Seed = 3, 10, cfg.Seed+2
		reg, err := gbt.Fit(&gbt.Data{X: trX, F: nf, Y: trD}, &gbt.Data{X: vaX, F: nf, Y: vaD}, rp)
		if err != nil {
			return nil, err
		}
		L.Reg = reg
		s := 0.0
		for i := range vaD {
			e := reg.Predict(vaX[i*nf:(i+1)*nf]) - vaD[i]
			s += e * e
		}
		L.Sigma = math.Sqrt(s / float64(len(vaD)))
	}
	L.Sigma = math.Max(L.Sigma, 0.1)
	L.Timing.Fit = time.Since(start)
	members := cfg.Members
	if members == 0 {
		members = DefaultMembers(f.Target, p.Grid.Country)
	}
	for e := 1; e < members && !cfg.member; e++ {
		c := cfg
		c.member = true
		c.Seed = cfg.Seed + uint64(e)*1000
		c.Params.Seed = cfg.Params.Seed + uint64(e)*1000
		m, err := Train(f, now, c)
		if err != nil {
			return nil, err
		}
		L.Ens = append(L.Ens, m)
		L.Timing.Add(m.Timing)
	}
	return L, nil
}

// quietAt reports whether cell i has had no event of any type for 36
// months up to month offset m and its first ring none for 12 (the rows
// that are subsampled in training).
func (f *Features) quietAt(i, m int) bool {
	nm := f.P.NMonths
	for t := range NTypes {
		if roll(f.cumC[t], i*nm, m, 36) != 0 {
			return false
		}
		for _, nb := range f.P.ring[1][i] {
			if roll(f.cumC[t], int(nb)*nm, m, 12) != 0 {
				return false
			}
		}
	}
	return true
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func mean(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

func sd(x []float64, m float64) float64 {
	if len(x) < 2 {
		return 1
	}
	s := 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return math.Sqrt(s / float64(len(x)-1))
}

// Predict forecasts cell index i for month origin+Horizon from data up to
// origin. row is scratch space of len(Names()) (nil: allocated).
func (L *Learned) Predict(i int, origin grid.Month, row []float64) (Prediction, error) {
	if row == nil {
		row = make([]float64, len(L.F.Names()))
	}
	if err := L.F.Row(i, origin, L.Horizon, row); err != nil {
		return Prediction{}, err
	}
	pr := Prediction{Cell: L.F.P.Cells[i]}
	lo, err := L.logOdds(i, origin, row)
	if err != nil {
		return Prediction{}, err
	}
	for _, m := range L.Ens {
		v, err := m.logOdds(i, origin, row)
		if err != nil {
			return Prediction{}, err
		}
		lo += v
	}
	pr.Prob = sigmoid(lo / float64(1+len(L.Ens)))
	pr.Mu = L.RegMean
	if L.Reg != nil {
		pr.Mu = math.Max(0, L.Reg.Predict(row))
	}
	pr.Sigma = L.Sigma
	pr.Expected = pr.Prob * math.Max(0, math.Exp(pr.Mu+pr.Sigma*pr.Sigma/2)-1)
	pr.Lo, pr.Hi = pr.Quantile(0.05), pr.Quantile(0.95)
	if bad(pr.Prob) || bad(pr.Expected) || bad(pr.Lo) || bad(pr.Hi) {
		return Prediction{}, fmt.Errorf("cell %d: non-finite prediction", pr.Cell)
	}
	return pr, nil
}

// logOdds is one member's calibrated (and stacked) log-odds of an event for
// the features in row.
func (L *Learned) logOdds(i int, origin grid.Month, row []float64) (float64, error) {
	if L.StackC == 0 {
		return L.Platt.A*L.Clf.Raw(row) + L.Platt.B, nil
	}
	bp, err := L.F.Baseline(ModelDecay, i, origin)
	if err != nil {
		return 0, err
	}
	// (the same order of operations as before members existed)
	return L.Platt.A*L.Clf.Raw(row) + L.StackC*logitClip(bp.Prob) + L.Platt.B, nil
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// logitClip is the log-odds of p clipped to [1e-4, 1−1e-4].
func logitClip(p float64) float64 {
	p = math.Min(math.Max(p, 1e-4), 1-1e-4)
	return math.Log(p / (1 - p))
}

func bad(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }

// Driver is one feature's contribution to a cell's risk.
type Driver struct {
	Feature      string  `json:"feature"`
	Value        float64 `json:"value"`
	Contribution float64 `json:"contribution"` // to the log-odds of any event
}

// Explain returns the top k features by absolute contribution to the
// log-odds of cell index i's risk, and the bias (the log-odds before any
// feature). With several members both are the members' means, so they
// still add up to the log-odds of the predicted probability.
func (L *Learned) Explain(i int, origin grid.Month, k int) (bias float64, top []Driver, err error) {
	row := make([]float64, len(L.F.Names()))
	if err := L.F.Row(i, origin, L.Horizon, row); err != nil {
		return 0, nil, err
	}
	names := L.F.Names()
	rate := TypeNames[L.F.Target] + "_recent_rate"
	sum := make([]float64, len(names)+1) // the last: the stacked baseline
	var rateV float64
	n := float64(1 + len(L.Ens))
	for _, m := range append([]*Learned{L}, L.Ens...) {
		b, c := m.Clf.Contributions(row)
		bias += (b*m.Platt.A + m.Platt.B) / n
		for j, v := range c {
			sum[j] += v * m.Platt.A / n
		}
		if m.StackC != 0 {
			bp, err := L.F.Baseline(ModelDecay, i, origin)
			if err != nil {
				return 0, nil, err
			}
			rateV = bp.Prob
			sum[len(names)] += m.StackC * logitClip(bp.Prob) / n
		}
	}
	for j, v := range sum {
		switch {
		case v == 0:
		case j == len(names):
			top = append(top, Driver{Feature: rate, Value: rateV, Contribution: v})
		default:
			top = append(top, Driver{Feature: names[j], Value: row[j], Contribution: v})
		}
	}
	sort.Slice(top, func(a, b int) bool { return math.Abs(top[a].Contribution) > math.Abs(top[b].Contribution) })
	if len(top) > k {
		top = top[:k]
	}
	return bias, top, nil
}
