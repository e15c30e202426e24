// Package gbt is a histogram gradient-boosted regression tree learner.
//
// It is a histogram gradient-boosted regression tree learner for Vigil's
// forecasts: features are bucketed into at most 255 quantile bins, trees grow
// depth-wise with the histogram-subtraction trick, and the loss is logistic
// (probability of any event) or squared (e.g. log fatalities). Early stopping
// watches an optional validation set. Predictions can be decomposed into
// per-feature contributions (Saabas path attribution) to explain a forecast.
package gbt

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
)

// Loss is a training objective.
type Loss int

const (
	Logistic Loss = iota // y ∈ {0,1}; predictions are probabilities
	Squared              // y real; predictions are means
)

// Params are the learner's settings.
type Params struct {
	Loss         Loss
	Trees        int     // maximum number of trees
	MaxDepth     int     // depth of each tree
	LearningRate float64 // shrinkage
	Lambda       float64 // L2 penalty on leaf values
	MinHess      float64 // minimum hessian (weighted) in a leaf
	Bins         int     // histogram bins per feature (≤ 255)
	Subsample    float64 // share of rows per tree (0 or 1: all)
	EarlyStop    int     // stop after this many trees without validation gain (0: off)
	Seed         uint64
}

// DefaultParams are sensible settings for cell-month risk.
func DefaultParams(l Loss) Params {
	return Params{Loss: l, Trees: 200, MaxDepth: 4, LearningRate: 0.1, Lambda: 1, MinHess: 1, Bins: 64, Subsample: 0.7, EarlyStop: 15, Seed: 1}
}

// Data is a row-major feature matrix with targets and weights.
type Data struct {
	X []float64 // N×F row-major
	F int
	Y []float64
	W []float64 // nil: all 1
}

// N returns the number of rows.
func (d *Data) N() int { return len(d.Y) }

func (d *Data) check() error {
	if d.F <= 0 || len(d.X) != d.N()*d.F {
		return fmt.Errorf("gbt: %d values for %d rows × %d features", len(d.X), d.N(), d.F)
	}
	if d.W != nil && len(d.W) != d.N() {
		return fmt.Errorf("gbt: %d weights for %d rows", len(d.W), d.N())
	}
	for i, v := range d.X {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("gbt: row %d feature %d is %v", i/d.F, i%d.F, v)
		}
	}
	for i, v := range d.Y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("gbt: target %d is %v", i, v)
		}
	}
	for i, v := range d.W {
		if math.IsNaN(v) || v < 0 || math.IsInf(v, 0) {
			return fmt.Errorf("gbt: weight %d is %v", i, v)
		}
	}
	return nil
}

func (d *Data) w(i int) float64 {
	if d.W == nil {
		return 1
	}
	return d.W[i]
}

type node struct {
	Feat        int32   // split feature, −1 for a leaf
	Thr         float64 // go left if x ≤ Thr
	Bin         uint8   // the same split in training bins: left if bin ≤ Bin
	Left, Right int32
	Value       float64 // −G/(H+λ) of the rows reaching this node
}

type tree []node

// Model is a trained ensemble.
type Model struct {
	Loss  Loss
	Base  float64 // initial raw score
	LR    float64
	Trees []tree
	F     int
	// Validation loss per tree count (if a validation set was given).
	ValidLoss []float64
}

// binner maps raw values to bins by quantile thresholds.
type binner struct{ thr [][]float64 }

func newBinner(d *Data, nbins int, rng *rand.Rand) binner {
	n := d.N()
	sample := n
	if sample > 50000 {
		sample = 50000
	}
	idx := make([]int, sample)
	for i := range idx {
		if sample == n {
			idx[i] = i
		} else {
			idx[i] = rng.IntN(n)
		}
	}
	b := binner{thr: make([][]float64, d.F)}
	vals := make([]float64, sample)
	for f := range d.F {
		for j, i := range idx {
			vals[j] = d.X[i*d.F+f]
		}
		slices.Sort(vals)
		u := slices.Compact(slices.Clone(vals))
		var th []float64
		if len(u) <= nbins {
			for k := 0; k+1 < len(u); k++ {
				th = append(th, (u[k]+u[k+1])/2)
			}
		} else {
			for q := 1; q < nbins; q++ {
				v := vals[q*len(vals)/nbins]
				// threshold between v and the next distinct value
				k := sort.SearchFloat64s(u, v)
				if k+1 < len(u) {
					t := (u[k] + u[k+1]) / 2
					if len(th) == 0 || t > th[len(th)-1] {
						th = append(th, t)
					}
				}
			}
		}
		b.thr[f] = th
	}
	return b
}

func (b binner) bin(f int, v float64) uint8 {
	return uint8(sort.SearchFloat64s(b.thr[f], v)) // first threshold ≥ v
}

type hist struct{ g, h []float64 } // [f*256 + bin]

// Fit trains a model on train, watching valid (may be nil) for early
// stopping. Rows with zero weight are ignored.
func Fit(train, valid *Data, p Params) (*Model, error) {
	if err := train.check(); err != nil {
		return nil, err
	}
	if train.N() == 0 {
		return nil, errors.New("gbt: no training rows")
	}
	if valid != nil {
		if err := valid.check(); err != nil {
			return nil, fmt.Errorf("validation: %w", err)
		}
		if valid.F != train.F {
			return nil, errors.New("gbt: validation data has a different number of features")
		}
	}
	if p.Bins < 2 || p.Bins > 255 {
		p.Bins = 64
	}
	if p.MaxDepth < 1 {
		p.MaxDepth = 1
	}
	if p.Loss == Logistic {
		for i, y := range train.Y {
			if y != 0 && y != 1 {
				return nil, fmt.Errorf("gbt: logistic target %d is %v, want 0 or 1", i, y)
			}
		}
	}
	rng := rand.New(rand.NewPCG(p.Seed, 3))
	n, F := train.N(), train.F
	bn := newBinner(train, p.Bins, rng)
	bins := make([]uint8, n*F) // column-major
	for i := range n {
		for f := range F {
			bins[f*n+i] = bn.bin(f, train.X[i*F+f])
		}
	}
	m := &Model{Loss: p.Loss, LR: p.LearningRate, F: F}
	// base score
	sw, sy := 0.0, 0.0
	for i := range n {
		sw += train.w(i)
		sy += train.w(i) * train.Y[i]
	}
	if sw == 0 {
		return nil, errors.New("gbt: all training weights are zero")
	}
	mean := sy / sw
	if p.Loss == Logistic {
		mean = math.Min(math.Max(mean, 1e-6), 1-1e-6)
		m.Base = math.Log(mean / (1 - mean))
	} else {
		m.Base = mean
	}
	raw := make([]float64, n)
	for i := range raw {
		raw[i] = m.Base
	}
	var vraw []float64
	if valid != nil {
		vraw = make([]float64, valid.N())
		for i := range vraw {
			vraw[i] = m.Base
		}
	}
	g := make([]float64, n)
	h := make([]float64, n)
	best, bestAt := math.Inf(1), 0
	rows := make([]int32, 0, n)
	for it := 0; it < p.Trees; it++ {
		for i := range n {
			w := train.w(i)
			if p.Loss == Logistic {
				pr := sigmoid(raw[i])
				g[i] = w * (pr - train.Y[i])
				h[i] = w * math.Max(pr*(1-pr), 1e-6)
			} else {
				g[i] = w * (raw[i] - train.Y[i])
				h[i] = w
			}
		}
		rows = rows[:0]
		for i := range n {
			if train.w(i) == 0 {
				continue
			}
			if p.Subsample > 0 && p.Subsample < 1 && rng.Float64() >= p.Subsample {
				continue
			}
			rows = append(rows, int32(i))
		}
		if len(rows) == 0 {
			break
		}
		t := grow(bins, n, F, bn, g, h, rows, p)
		m.Trees = append(m.Trees, t)
		for i := range n {
			raw[i] += p.LearningRate * t.leafBinned(bins, n, i)
		}
		if valid != nil {
			for i := range vraw {
				vraw[i] += p.LearningRate * t.value(valid.X[i*F:(i+1)*F])
			}
			l := loss(p.Loss, vraw, valid)
			m.ValidLoss = append(m.ValidLoss, l)
			if l < best-1e-12 {
				best, bestAt = l, len(m.Trees)
			} else if p.EarlyStop > 0 && len(m.Trees)-bestAt >= p.EarlyStop {
				break
			}
		}
	}
	if valid != nil && bestAt > 0 {
		m.Trees = m.Trees[:bestAt]
	}
	return m, nil
}

func loss(l Loss, raw []float64, d *Data) float64 {
	s, sw := 0.0, 0.0
	for i, r := range raw {
		w := d.w(i)
		if l == Logistic {
			pr := math.Min(math.Max(sigmoid(r), 1e-15), 1-1e-15)
			if d.Y[i] == 1 {
				s -= w * math.Log(pr)
			} else {
				s -= w * math.Log(1-pr)
			}
		} else {
			e := r - d.Y[i]
			s += w * e * e
		}
		sw += w
	}
	return s / sw
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

type growNode struct {
	rows  []int32
	depth int
	id    int32
	hist  *hist
	G, H  float64
}

func buildHist(bins []uint8, n, F int, g, h []float64, rows []int32) *hist {
	hs := &hist{g: make([]float64, F*256), h: make([]float64, F*256)}
	work := func(f0, f1 int) {
		for f := f0; f < f1; f++ {
			col := bins[f*n : (f+1)*n]
			hg := hs.g[f*256 : (f+1)*256]
			hh := hs.h[f*256 : (f+1)*256]
			for _, r := range rows {
				b := col[r]
				hg[b] += g[r]
				hh[b] += h[r]
			}
		}
	}
	if len(rows) < 20000 || F < 4 {
		work(0, F)
		return hs
	}
	var wg sync.WaitGroup
	half := F / 2
	wg.Add(1)
	go func() { defer wg.Done(); work(0, half) }()
	work(half, F)
	wg.Wait()
	return hs
}

func grow(bins []uint8, n, F int, bn binner, g, h []float64, rows []int32, p Params) tree {
	var t tree
	G, H := 0.0, 0.0
	for _, r := range rows {
		G += g[r]
		H += h[r]
	}
	t = append(t, node{Feat: -1, Value: -G / (H + p.Lambda)})
	queue := []growNode{{rows: rows, depth: 0, id: 0, hist: buildHist(bins, n, F, g, h, rows), G: G, H: H}}
	for len(queue) > 0 {
		nd := queue[0]
		queue = queue[1:]
		if nd.depth >= p.MaxDepth || nd.H < 2*p.MinHess {
			continue
		}
		parentScore := nd.G * nd.G / (nd.H + p.Lambda)
		bestGain, bestF, bestB := 1e-9, -1, 0
		for f := range F {
			nb := len(bn.thr[f]) + 1
			hg := nd.hist.g[f*256 : f*256+nb]
			hh := nd.hist.h[f*256 : f*256+nb]
			gl, hl := 0.0, 0.0
			for b := 0; b < nb-1; b++ {
				gl += hg[b]
				hl += hh[b]
				gr, hr := nd.G-gl, nd.H-hl
				if hl < p.MinHess || hr < p.MinHess {
					continue
				}
				gain := gl*gl/(hl+p.Lambda) + gr*gr/(hr+p.Lambda) - parentScore
				if gain > bestGain {
					bestGain, bestF, bestB = gain, f, b
				}
			}
		}
		if bestF < 0 {
			continue
		}
		col := bins[bestF*n : (bestF+1)*n]
		var lr, rr []int32
		for _, r := range nd.rows {
			if int(col[r]) <= bestB {
				lr = append(lr, r)
			} else {
				rr = append(rr, r)
			}
		}
		var lG, lH float64
		for _, r := range lr {
			lG += g[r]
			lH += h[r]
		}
		rG, rH := nd.G-lG, nd.H-lH
		li, ri := int32(len(t)), int32(len(t)+1)
		t[nd.id].Feat = int32(bestF)
		t[nd.id].Thr = bn.thr[bestF][bestB]
		t[nd.id].Bin = uint8(bestB)
		t[nd.id].Left, t[nd.id].Right = li, ri
		t = append(t, node{Feat: -1, Value: -lG / (lH + p.Lambda)}, node{Feat: -1, Value: -rG / (rH + p.Lambda)})
		if nd.depth+1 < p.MaxDepth {
			// histogram subtraction: build the smaller child, derive the other
			small := lr
			if len(rr) < len(lr) {
				small = rr
			}
			hs := buildHist(bins, n, F, g, h, small)
			hb := &hist{g: make([]float64, F*256), h: make([]float64, F*256)}
			for k := range hb.g {
				hb.g[k] = nd.hist.g[k] - hs.g[k]
				hb.h[k] = nd.hist.h[k] - hs.h[k]
			}
			lh, rh := hs, hb
			if len(rr) < len(lr) {
				lh, rh = hb, hs
			}
			queue = append(queue, growNode{rows: lr, depth: nd.depth + 1, id: li, hist: lh, G: lG, H: lH},
				growNode{rows: rr, depth: nd.depth + 1, id: ri, hist: rh, G: rG, H: rH})
		}
	}
	return t
}

// leafBinned walks the tree on a training row by its bins.
func (t tree) leafBinned(bins []uint8, n, i int) float64 {
	k := int32(0)
	for t[k].Feat >= 0 {
		nd := &t[k]
		// bins are "index of the first threshold ≥ v", so v ≤ Thr iff
		// bin ≤ Bin.
		if bins[int(nd.Feat)*n+i] <= nd.Bin {
			k = nd.Left
		} else {
			k = nd.Right
		}
	}
	return t[k].Value
}

func (t tree) value(x []float64) float64 {
	k := int32(0)
	for t[k].Feat >= 0 {
		if x[t[k].Feat] <= t[k].Thr {
			k = t[k].Left
		} else {
			k = t[k].Right
		}
	}
	return t[k].Value
}

// Raw returns the model's raw score (log-odds or mean) for one row.
func (m *Model) Raw(x []float64) float64 {
	s := m.Base
	for _, t := range m.Trees {
		s += m.LR * t.value(x)
	}
	return s
}

// Predict returns the probability (logistic) or mean (squared) for a row.
func (m *Model) Predict(x []float64) float64 {
	r := m.Raw(x)
	if m.Loss == Logistic {
		return sigmoid(r)
	}
	return r
}

// Contributions returns the bias and the per-feature contributions to the
// raw score of x (Saabas attribution along each tree's path); bias +
// Σ contributions = Raw(x).
func (m *Model) Contributions(x []float64) (bias float64, contrib []float64) {
	contrib = make([]float64, m.F)
	bias = m.Base
	for _, t := range m.Trees {
		bias += m.LR * t[0].Value
		k := int32(0)
		for t[k].Feat >= 0 {
			nx := t[k].Right
			if x[t[k].Feat] <= t[k].Thr {
				nx = t[k].Left
			}
			contrib[t[k].Feat] += m.LR * (t[nx].Value - t[k].Value)
			k = nx
		}
	}
	return bias, contrib
}

// Platt is a logistic recalibration p = σ(A·raw + B), fitted on held-out
// rows so that probabilities match observed frequencies.
type Platt struct{ A, B float64 }

// FitPlatt fits A and B by Newton's method on (raw score, outcome) pairs
// with weights w (nil: 1). With no variation in y it returns the identity.
func FitPlatt(raw []float64, y []bool, w []float64) Platt {
	pl := Platt{A: 1, B: 0}
	var pos, neg bool
	for _, v := range y {
		pos = pos || v
		neg = neg || !v
	}
	if !pos || !neg || len(raw) != len(y) {
		return pl
	}
	for it := 0; it < 50; it++ {
		var ga, gb, haa, hab, hbb float64
		for i, r := range raw {
			wi := 1.0
			if w != nil {
				wi = w[i]
			}
			p := sigmoid(pl.A*r + pl.B)
			t := 0.0
			if y[i] {
				t = 1
			}
			d := wi * (p - t)
			ga += d * r
			gb += d
			q := wi * math.Max(p*(1-p), 1e-12)
			haa += q * r * r
			hab += q * r
			hbb += q
		}
		haa += 1e-9
		hbb += 1e-9
		det := haa*hbb - hab*hab
		if det <= 0 {
			break
		}
		da := (hbb*ga - hab*gb) / det
		db := (haa*gb - hab*ga) / det
		pl.A -= da
		pl.B -= db
		if math.Abs(da) < 1e-9 && math.Abs(db) < 1e-9 {
			break
		}
	}
	if math.IsNaN(pl.A) || math.IsNaN(pl.B) || math.IsInf(pl.A, 0) || math.IsInf(pl.B, 0) {
		return Platt{A: 1}
	}
	return pl
}

// Prob applies the calibration to a raw score.
func (pl Platt) Prob(raw float64) float64 { return sigmoid(pl.A*raw + pl.B) }

// FitLogistic fits a small logistic regression p = σ(b₀ + Σ bⱼ·xⱼ) by
// Newton's method (with a tiny ridge for stability) and returns b (len k+1,
// intercept first). It is used to stack a model's raw score with other
// signals on held-out rows.
func FitLogistic(x [][]float64, y []bool, w []float64) []float64 {
	if len(x) == 0 {
		return nil
	}
	k := len(x[0]) + 1
	b := make([]float64, k)
	row := make([]float64, k)
	for it := 0; it < 50; it++ {
		g := make([]float64, k)
		H := make([][]float64, k)
		for a := range H {
			H[a] = make([]float64, k)
			H[a][a] = 1e-6
		}
		for i, xi := range x {
			row[0] = 1
			copy(row[1:], xi)
			z := 0.0
			for a := range k {
				z += b[a] * row[a]
			}
			p := sigmoid(z)
			wi := 1.0
			if w != nil {
				wi = w[i]
			}
			t := 0.0
			if y[i] {
				t = 1
			}
			q := wi * math.Max(p*(1-p), 1e-12)
			for a := range k {
				g[a] += wi * (p - t) * row[a]
				for c := range k {
					H[a][c] += q * row[a] * row[c]
				}
			}
		}
		d, ok := solve(H, g)
		if !ok {
			break
		}
		maxd := 0.0
		for a := range k {
			b[a] -= d[a]
			maxd = math.Max(maxd, math.Abs(d[a]))
		}
		if maxd < 1e-9 {
			break
		}
	}
	for _, v := range b {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
	}
	return b
}

// solve solves A·x = b by Gaussian elimination with partial pivoting.
func solve(A [][]float64, b []float64) ([]float64, bool) {
	n := len(b)
	M := make([][]float64, n)
	for i := range M {
		M[i] = append(append([]float64{}, A[i]...), b[i])
	}
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(M[r][c]) > math.Abs(M[p][c]) {
				p = r
			}
		}
		if math.Abs(M[p][c]) < 1e-300 {
			return nil, false
		}
		M[c], M[p] = M[p], M[c]
		for r := c + 1; r < n; r++ {
			f := M[r][c] / M[c][c]
			for k := c; k <= n; k++ {
				M[r][k] -= f * M[c][k]
			}
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		s := M[r][n]
		for k := r + 1; k < n; k++ {
			s -= M[r][k] * x[k]
		}
		x[r] = s / M[r][r]
	}
	return x, true
}
