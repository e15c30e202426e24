package estimate

import (
	"math"
	"sync"
)

// fastVar is the variance of element designs (one unit per row, a single
// stage) with at most one calibration step, computed in O(domain rows +
// strata × cells²) instead of O(rows): the calibration residual of row i is
// r_i = Σ_m p_m(i) A_m[cell_m(i)], so the stratum sums of x = z - r and x²
// need only the domain rows (where z ≠ 0) and per-stratum cross-products
// of the p_m, precomputed once per design. Same arithmetic as varTotal up
// to rounding; the R goldens run through it.
type fastVar struct {
	strat   []int32 // row → first-stage stratum
	margins []calMargin
	p       [][]float64 // per margin, per row: p_m (psw, 1 where R substitutes it)
	rake    bool
	kernel  *rakeKernel
	den     []float64 // post-stratification: Σ oldw per cell
	off     []int     // cell offset of each margin in the flat cell index
	k       int       // number of cells over all margins
	g1      [][]float64
	g2      [][]float64
}

// maxFastCells bounds strata × cells² of the precomputed products.
const maxFastCells = 4_000_000

type fastOnce struct {
	once sync.Once
	fv   *fastVar
}

// fast returns the design's fast variance structure, or nil when the design
// does not qualify.
func (d *Design) fast() *fastVar {
	if d.fastc == nil {
		return nil
	}
	d.fastc.once.Do(func() { d.fastc.fv = d.buildFast() })
	return d.fastc.fv
}

func (d *Design) buildFast() *fastVar {
	st := &d.stages[0]
	if !st.elements || (d.multistage && len(d.stages) > 1) || len(d.cal) > 1 {
		return nil
	}
	fv := &fastVar{strat: st.unitStratum}
	h := len(st.strata)
	if len(d.cal) == 1 {
		step := d.cal[0]
		fv.margins, fv.rake, fv.kernel = step.margins, step.rake, step.kernel
		for _, m := range step.margins {
			fv.off = append(fv.off, fv.k)
			fv.k += m.ncat
		}
		if h*fv.k*fv.k > maxFastCells {
			return nil
		}
		fv.p = make([][]float64, len(fv.margins))
		for m, mg := range fv.margins {
			p := append([]float64(nil), mg.psw...)
			if !step.rake {
				for i := range p {
					if p[i] == 0 && mg.oldw[i] == 0 {
						p[i] = 1
					}
				}
				fv.den = make([]float64, mg.ncat)
				for i, c := range mg.cat {
					fv.den[c] += mg.oldw[i]
				}
			}
			fv.p[m] = p
		}
		fv.g1 = make([][]float64, h)
		fv.g2 = make([][]float64, h)
		for j := range fv.g1 {
			fv.g1[j] = make([]float64, fv.k)
			fv.g2[j] = make([]float64, fv.k*fv.k)
		}
		cells := make([]int, len(fv.margins))
		for i := 0; i < d.n; i++ {
			hh := fv.strat[i]
			for m, mg := range fv.margins {
				cells[m] = fv.off[m] + int(mg.cat[i])
				fv.g1[hh][cells[m]] += fv.p[m][i]
			}
			for m := range fv.margins {
				for m2 := range fv.margins {
					fv.g2[hh][cells[m]*fv.k+cells[m2]] += fv.p[m][i] * fv.p[m2][i]
				}
			}
		}
	}
	return fv
}

// variance returns the variance of the total of z, where z is zero except
// zv[j] at row idx[j].
func (fv *fastVar) variance(d *Design, idx []int32, zv []float64) (float64, error) {
	st := &d.stages[0]
	h := len(st.strata)
	var a []float64 // flat coefficients
	if fv.k > 0 {
		a = make([]float64, fv.k)
		if fv.rake {
			s0 := make([][]float64, len(fv.margins))
			acc := make([][]float64, len(fv.margins))
			for m, mg := range fv.margins {
				s0[m] = a[fv.off[m] : fv.off[m]+mg.ncat : fv.off[m]+mg.ncat]
				acc[m] = make([]float64, mg.ncat)
			}
			for j, i := range idx {
				v := zv[j]
				if v == 0 {
					continue
				}
				for m, mg := range fv.margins {
					s0[m][mg.cat[i]] += v * fv.kernel.invp[m][i]
				}
			}
			rakeIterate(s0, acc, fv.margins, fv.kernel)
			for m := range fv.margins {
				copy(a[fv.off[m]:], acc[m])
			}
		} else {
			mg := fv.margins[0]
			for j, i := range idx {
				if p := fv.p[0][i]; p != 0 {
					a[mg.cat[i]] += zv[j] * mg.oldw[i] / p
				}
			}
			for c := range a {
				if fv.den[c] != 0 {
					a[c] /= fv.den[c]
				} else {
					a[c] = 0
				}
			}
		}
	}
	sz := make([]float64, h)
	szz := make([]float64, h)
	szr := make([]float64, h)
	for j, i := range idx {
		z := zv[j]
		hh := fv.strat[i]
		sz[hh] += z
		szz[hh] += z * z
		if fv.k > 0 && z != 0 {
			var r float64
			for m, mg := range fv.margins {
				r += fv.p[m][i] * a[fv.off[m]+int(mg.cat[i])]
			}
			szr[hh] += z * r
		}
	}
	var v float64
	for hh := 0; hh < h; hh++ {
		info := &st.strata[hh]
		sx, sxx := sz[hh], szz[hh]
		if fv.k > 0 {
			g1, g2 := fv.g1[hh], fv.g2[hh]
			var ag1, aga float64
			for c := 0; c < fv.k; c++ {
				ag1 += a[c] * g1[c]
				if a[c] == 0 {
					continue
				}
				row := g2[c*fv.k : (c+1)*fv.k]
				var s float64
				for c2, g := range row {
					s += g * a[c2]
				}
				aga += a[c] * s
			}
			sx -= ag1
			sxx += -2*szr[hh] + aga
		}
		f := 1.0
		if !math.IsInf(info.popsize, 1) {
			f = (info.popsize - info.nPSU) / info.popsize
		}
		if f < 1e-7 {
			continue
		}
		if info.nPSU > 1 {
			ss := sxx - sx*sx/info.nPSU
			if ss < 0 {
				ss = 0
			}
			v += info.mult * f * info.nPSU / (info.nPSU - 1) * ss
			continue
		}
		switch d.lonely {
		case LonelyFail:
			return math.NaN(), lonelyError{info.label, 1}
		case LonelyAdjust:
			v += info.mult * f * math.Max(sxx, 0)
		}
	}
	return v, nil
}
