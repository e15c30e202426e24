package estimate

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/vigil-project/vigil/internal/apperr"
)

// calStep records a calibration for the variance: the residuals of the
// influence functions are taken within post-strata (R's postStrata list).
type calStep struct {
	rake bool
	// post-stratification (rake == false): one margin with old weights.
	// raking: the margins of the last iteration, in order.
	margins []calMargin
	kernel  *rakeKernel
}

type calMargin struct {
	cat  []int32   // per row: cell
	ncat int       // number of cells
	cnt  []float64 // rows per cell
	psw  []float64 // weights after this step
	oldw []float64 // weights before this step (post-stratification only)
}

// Margin is one population margin for post-stratification or raking: the
// cell of each row and the population count of each cell.
type Margin struct {
	// Name labels the margin in error messages (e.g. "sex").
	Name string
	// Cell is each row's cell (level) of the margin.
	Cell []string
	// Pop is the population count of each cell.
	Pop map[string]float64
}

// poststratify applies one post-stratification step to w in place and
// returns the margin record.
func poststratify(w []float64, m Margin, partial bool) (calMargin, error) {
	n := len(w)
	if len(m.Cell) != n {
		return calMargin{}, fmt.Errorf("margin %q: %d cells for %d rows", m.Name, len(m.Cell), n)
	}
	var cells codes
	cat := make([]int32, n)
	for i, c := range m.Cell {
		if c == "" {
			return calMargin{}, fmt.Errorf("margin %q: row %d has no value", m.Name, i+1)
		}
		cat[i] = cells.of(c)
	}
	labels := cells.labels
	sampleTot := make([]float64, len(labels))
	cnt := make([]float64, len(labels))
	for i, c := range cat {
		sampleTot[c] += w[i]
		cnt[c]++
	}
	ratio := make([]float64, len(labels))
	for c, l := range labels {
		p, ok := m.Pop[l]
		if !ok || math.IsNaN(p) {
			return calMargin{}, apperr.Textf("margin %q: cell %q is in the sample but not in the population margins", m.Name, l)
		}
		if p < 0 {
			return calMargin{}, fmt.Errorf("margin %q: cell %q has a negative population %v", m.Name, l, p)
		}
		if sampleTot[c] == 0 {
			if p == 0 {
				ratio[c] = 1
				continue
			}
			return calMargin{}, apperr.Textf("margin %q: cell %q has population %v but zero total weight in the sample", m.Name, l, p)
		}
		ratio[c] = p / sampleTot[c]
	}
	if !partial {
		var missing []string
		for l, p := range m.Pop {
			if _, ok := cells.id[l]; !ok && p > 0 {
				missing = append(missing, l)
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			return calMargin{}, fmt.Errorf("margin %q: population cells with no respondents: %s", m.Name, strings.Join(missing, ", "))
		}
	}
	cm := calMargin{cat: cat, ncat: len(labels), cnt: cnt, oldw: append([]float64(nil), w...)}
	for i, c := range cat {
		w[i] *= ratio[c]
	}
	cm.psw = append([]float64(nil), w...)
	return cm, nil
}

// PostStratify returns the design post-stratified to m: the weights of each
// cell are scaled to sum to its population (R's postStratify). Every cell
// of the population with a positive count must hold respondents.
func (d *Design) PostStratify(m Margin) (*Design, error) {
	c := d.clone()
	cm, err := poststratify(c.w, m, false)
	if err != nil {
		return nil, err
	}
	c.cal = append(c.cal, calStep{margins: []calMargin{cm}})
	return c, nil
}

// RakeOptions control raking (R's rake control list).
type RakeOptions struct {
	// MaxIter is the maximum number of iterations (default 10).
	MaxIter int
	// Epsilon is the convergence tolerance on the largest change of a
	// weighted cell count between iterations; below 1 it is a fraction of
	// the total weight (default 1, as R).
	Epsilon float64
}

// RakeInfo reports how raking went.
type RakeInfo struct {
	Iterations int  `json:"iterations"`
	Converged  bool `json:"converged"`
}

// Rake returns the design raked (iterative proportional fitting) to the
// margins, with R's stopping rule: the joint weighted table of all margin
// variables changes by less than Epsilon between iterations.
func (d *Design) Rake(margins []Margin, opt RakeOptions) (*Design, RakeInfo, error) {
	if len(margins) == 0 {
		return nil, RakeInfo{}, fmt.Errorf("rake: no margins")
	}
	if opt.MaxIter <= 0 {
		opt.MaxIter = 10
	}
	if opt.Epsilon <= 0 {
		opt.Epsilon = 1
	}
	c := d.clone()
	eps := opt.Epsilon
	if eps < 1 {
		var sw float64
		for _, w := range c.w {
			sw += w
		}
		eps *= sw
	}
	// Joint cells of all margins.
	joint := make([]int32, d.n)
	{
		var cells codes
		var b strings.Builder
		for i := 0; i < d.n; i++ {
			b.Reset()
			for _, m := range margins {
				if len(m.Cell) != d.n {
					return nil, RakeInfo{}, fmt.Errorf("margin %q: %d cells for %d rows", m.Name, len(m.Cell), d.n)
				}
				b.WriteString(m.Cell[i])
				b.WriteByte(0)
			}
			joint[i] = cells.of(b.String())
		}
	}
	table := func() []float64 {
		t := make([]float64, 0, 16)
		for i, j := range joint {
			for int(j) >= len(t) {
				t = append(t, 0)
			}
			t[j] += c.w[i]
		}
		return t
	}
	old := table()
	var info RakeInfo
	var last []calMargin
	for info.Iterations < opt.MaxIter {
		last = last[:0:0]
		for _, m := range margins {
			cm, err := poststratify(c.w, m, false)
			if err != nil {
				return nil, RakeInfo{}, err
			}
			last = append(last, cm)
		}
		nt := table()
		delta := 0.0
		for j := range nt {
			delta = math.Max(delta, math.Abs(nt[j]-old[j]))
		}
		if delta < eps {
			info.Converged = true
			break
		}
		old = nt
		info.Iterations++
	}
	for i := range last {
		last[i].oldw = nil
	}
	c.cal = append(c.cal, calStep{rake: true, margins: last, kernel: newRakeKernel(last)})
	return c, info, nil
}

// TrimAroundMean is TrimWeights (strict) to [m/ratio, m·ratio], m the mean
// weight.
func (d *Design) TrimAroundMean(ratio float64) (*Design, error) {
	var sum float64
	for _, x := range d.w {
		sum += x
	}
	m := sum / float64(len(d.w))
	return d.TrimWeights(m/ratio, m*ratio, true)
}

// TrimWeights returns the design with weights outside [lower, upper] set to
// the bound and the trimmed amount shared equally among the other rows (R's
// trimWeights); with strict the trimming is repeated until no weight is
// outside the bounds. Calibration is kept for the variance, as in R.
func (d *Design) TrimWeights(lower, upper float64, strict bool) (*Design, error) {
	if lower > upper {
		return nil, fmt.Errorf("trim: lower bound %v above upper bound %v", lower, upper)
	}
	c := d.clone()
	for iter := 0; iter < 1000; iter++ {
		var trimmed float64
		inside := 0
		outside := make([]bool, c.n)
		anyOut := false
		for i, w := range c.w {
			if w < lower || w > upper {
				outside[i] = true
				anyOut = true
				nw := math.Max(lower, math.Min(w, upper))
				trimmed += w - nw
				c.w[i] = nw
			} else {
				inside++
			}
		}
		if !anyOut {
			break
		}
		if inside == 0 {
			return nil, fmt.Errorf("trim: every weight is outside [%v, %v]", lower, upper)
		}
		share := trimmed / float64(inside)
		for i := range c.w {
			if !outside[i] {
				c.w[i] += share
			}
		}
		if !strict {
			break
		}
	}
	return c, nil
}

// residualize returns the influence values z with the calibration steps
// applied, as R's svyrecvar does before the variance of the total.
func (d *Design) residualize(z []float64) []float64 {
	x := getBuf(len(z))
	copy(x, z)
	for _, step := range d.cal {
		if !step.rake {
			m := step.margins[0]
			num := make([]float64, m.ncat)
			den := make([]float64, m.ncat)
			for i, c := range m.cat {
				psw := m.psw[i]
				if psw == 0 && m.oldw[i] == 0 {
					psw = 1
				}
				if psw != 0 {
					num[c] += x[i] * m.oldw[i] / psw
				}
				den[c] += m.oldw[i]
			}
			for i, c := range m.cat {
				psw := m.psw[i]
				if psw == 0 && m.oldw[i] == 0 {
					psw = 1
				}
				if den[c] != 0 {
					x[i] -= num[c] / den[c] * psw
				}
			}
			continue
		}
		x = rakeResidual(x, step.margins, step.kernel)
	}
	return x
}

// rakeKernel holds what the raking residualisation needs in the space of
// margin cells, so that each variance costs a few passes over the rows
// instead of R's 10 sweeps × margins × 2 passes.
type rakeKernel struct {
	invp [][]float64     // per margin, per row: 1/psw (0 when psw = 0)
	k    [][][][]float64 // k[m][m2][c][c2] = Σ_{i in c of m, c2 of m2} psw_m2(i)/psw_m(i)
}

func newRakeKernel(margins []calMargin) *rakeKernel {
	rk := &rakeKernel{invp: make([][]float64, len(margins)), k: make([][][][]float64, len(margins))}
	for m, mg := range margins {
		inv := make([]float64, len(mg.psw))
		for i, p := range mg.psw {
			if p != 0 {
				inv[i] = 1 / p
			}
		}
		rk.invp[m] = inv
	}
	for m, mg := range margins {
		rk.k[m] = make([][][]float64, len(margins))
		for m2, mg2 := range margins {
			mat := make([][]float64, mg.ncat)
			for c := range mat {
				mat[c] = make([]float64, mg2.ncat)
			}
			for i, c := range mg.cat {
				mat[c][mg2.cat[i]] += mg2.psw[i] * rk.invp[m][i]
			}
			rk.k[m][m2] = mat
		}
	}
	return rk
}

// rakeResidual applies R's raking residualisation, 10 sweeps of
// x <- x - psw * ave(x/psw, margin) over the margins in order, computed in
// the space of margin cells: x = x0 - Σ_m psw_m ∘ A_m[cell_m].
func rakeResidual(x []float64, margins []calMargin, rk *rakeKernel) []float64 {
	if rk == nil {
		rk = newRakeKernel(margins)
	}
	s0 := make([][]float64, len(margins))
	acc := make([][]float64, len(margins))
	for m, mg := range margins {
		s0[m] = make([]float64, mg.ncat)
		acc[m] = make([]float64, mg.ncat)
	}
	for i, v := range x {
		if v == 0 {
			continue
		}
		for m, mg := range margins {
			s0[m][mg.cat[i]] += v * rk.invp[m][i]
		}
	}
	rakeIterate(s0, acc, margins, rk)
	switch len(margins) {
	case 2:
		c0, c1, p0, p1, a0, a1 := margins[0].cat, margins[1].cat, margins[0].psw, margins[1].psw, acc[0], acc[1]
		for i := range x {
			x[i] -= p0[i]*a0[c0[i]] + p1[i]*a1[c1[i]]
		}
	case 3:
		c0, c1, c2 := margins[0].cat, margins[1].cat, margins[2].cat
		p0, p1, p2 := margins[0].psw, margins[1].psw, margins[2].psw
		a0, a1, a2 := acc[0], acc[1], acc[2]
		for i := range x {
			x[i] -= p0[i]*a0[c0[i]] + p1[i]*a1[c1[i]] + p2[i]*a2[c2[i]]
		}
	default:
		for m, mg := range margins {
			a := acc[m]
			for i, c := range mg.cat {
				x[i] -= mg.psw[i] * a[c]
			}
		}
	}
	return x
}

// rakeIterate runs R's 10 raking sweeps in the space of margin cells: s0
// holds, per margin and cell, Σ x/psw of the influence values; acc
// receives the accumulated coefficients A (x = x0 - Σ_m psw_m A_m[cell]).
func rakeIterate(s0, acc [][]float64, margins []calMargin, rk *rakeKernel) {
	for it := 0; it < 10; it++ {
		for m, mg := range margins {
			for c := 0; c < mg.ncat; c++ {
				sum := s0[m][c]
				for m2 := range margins {
					row := rk.k[m][m2][c]
					a2 := acc[m2]
					for c2, kv := range row {
						sum -= kv * a2[c2]
					}
				}
				acc[m][c] += sum / mg.cnt[c]
			}
		}
	}
}
