package estimate

import (
	"errors"
	"fmt"
	"math"
)

// LonelyPSU says what to do with a stratum that holds a single sampled unit
// (R's options(survey.lonely.psu)).
type LonelyPSU int

const (
	// LonelyFail refuses to estimate a variance (R's default "fail").
	LonelyFail LonelyPSU = iota
	// LonelyRemove drops the stratum's contribution to the variance.
	LonelyRemove
	// LonelyCertainty treats the unit as sampled with certainty (no
	// variance contribution at that stage).
	LonelyCertainty
	// LonelyAdjust measures the unit's deviation from zero (R "adjust"),
	// a conservative choice.
	LonelyAdjust
)

// ParseLonelyPSU reads "fail", "remove", "certainty" or "adjust".
func ParseLonelyPSU(s string) (LonelyPSU, error) {
	switch s {
	case "", "fail":
		return LonelyFail, nil
	case "remove":
		return LonelyRemove, nil
	case "certainty":
		return LonelyCertainty, nil
	case "adjust":
		return LonelyAdjust, nil
	}
	return 0, fmt.Errorf("lonely PSU rule %q: want fail, remove, certainty or adjust", s)
}

// Spec describes a sample design over n rows. Every non-nil slice has one
// entry per row.
type Spec struct {
	// Weights are the sampling weights (inverse inclusion probabilities).
	// Nil: computed from FPC population sizes as R does, or all 1.
	Weights []float64
	// Strata is the first-stage stratum of each row. Nil: one stratum.
	Strata []string
	// Clusters holds the sampling unit of each row at each stage, outermost
	// first (Clusters[0] the primary sampling units). Nil: every row is its
	// own unit (element sampling). Units are nested within strata and within
	// the unit of the stage above, whatever their labels.
	Clusters [][]string
	// FPC holds, per stage, the population size of the row's stratum (a
	// number above 1: count of units in the population) or the sampling
	// fraction (all values at most 1). Nil: sampling with replacement (no
	// finite population correction). With more than one cluster stage,
	// give one FPC per stage.
	FPC [][]float64
	// LonelyPSU is the single-unit stratum rule (default LonelyFail).
	LonelyPSU LonelyPSU
}

type stratumInfo struct {
	nPSU    float64 // sampled units in the stratum at this stage
	popsize float64 // population units (+Inf: no fpc)
	mult    float64 // product of n/N of the enclosing units at earlier stages
	label   string
}

type stage struct {
	elements    bool    // unit i is row i
	unit        []int32 // per row: dense unit id at this stage
	unitStratum []int32 // per unit: dense stratum id
	strata      []stratumInfo
}

// Design is a sample design with its (possibly calibrated) weights. Designs
// are immutable: calibration and trimming return a new Design.
type Design struct {
	n          int
	w          []float64
	stages     []stage
	multistage bool // later stages contribute variance (fpc given)
	lonely     LonelyPSU
	cal        []calStep
	fastc      *fastOnce
	// Level is the confidence level of intervals (default 0.95).
	Level float64
}

// N returns the number of rows of the design.
func (d *Design) N() int { return d.n }

// Weights returns a copy of the current weights.
func (d *Design) Weights() []float64 { return append([]float64(nil), d.w...) }

// NewDesign builds the design of n rows described by spec.
func NewDesign(n int, spec Spec) (*Design, error) {
	if n < 1 {
		return nil, errors.New("design: no rows")
	}
	check := func(name string, l int) error {
		if l != n {
			return fmt.Errorf("design: %s has %d values for %d rows", name, l, n)
		}
		return nil
	}
	if spec.Weights != nil {
		if err := check("weights", len(spec.Weights)); err != nil {
			return nil, err
		}
		for i, w := range spec.Weights {
			if math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
				return nil, fmt.Errorf("design: row %d: weight %v is not a non-negative number", i+1, w)
			}
		}
	}
	if spec.Strata != nil {
		if err := check("strata", len(spec.Strata)); err != nil {
			return nil, err
		}
	}
	for s, c := range spec.Clusters {
		if err := check(fmt.Sprintf("cluster stage %d", s+1), len(c)); err != nil {
			return nil, err
		}
	}
	for s, f := range spec.FPC {
		if err := check(fmt.Sprintf("fpc stage %d", s+1), len(f)); err != nil {
			return nil, err
		}
	}
	nst := len(spec.Clusters)
	if nst == 0 {
		nst = 1
	}
	if spec.FPC != nil && len(spec.FPC) != nst {
		return nil, fmt.Errorf("design: %d fpc columns for %d sampling stages (give one per stage)", len(spec.FPC), nst)
	}
	d := &Design{n: n, lonely: spec.LonelyPSU, multistage: spec.FPC != nil && nst > 1, Level: 0.95, fastc: &fastOnce{}}

	// Stage-0 strata.
	stratumLabel := func(i int) string {
		if spec.Strata == nil {
			return "1"
		}
		return spec.Strata[i]
	}
	// parent[i] is the dense id of the row's stratum at the current stage.
	parent := make([]int32, n)
	var strata codes
	for i := 0; i < n; i++ {
		parent[i] = strata.of(stratumLabel(i))
	}
	parentLabels := strata.labels
	// Decide whether FPCs are population sizes or fractions (R: all >= 1
	// or all <= 1).
	popsizes := false
	if spec.FPC != nil {
		anyBig, allGE1 := false, true
		for s, col := range spec.FPC {
			for i, v := range col {
				if math.IsNaN(v) || v <= 0 {
					return nil, fmt.Errorf("design: row %d: fpc (stage %d) %v must be a positive number", i+1, s+1, v)
				}
				if v > 1 {
					anyBig = true
				}
				if v < 1 {
					allGE1 = false
				}
			}
		}
		if anyBig && !allGE1 {
			return nil, errors.New("design: fpc mixes population sizes (> 1) and sampling fractions (< 1)")
		}
		popsizes = anyBig || allGE1
	}
	for s := 0; s < nst; s++ {
		st := stage{unit: make([]int32, n)}
		st.strata = make([]stratumInfo, len(parentLabels))
		for h := range st.strata {
			st.strata[h].label = parentLabels[h]
		}
		type key struct {
			p int32
			u string
		}
		idx := map[key]int32{}
		var unitLabels []string
		for i := 0; i < n; i++ {
			u := fmt.Sprint(i)
			if spec.Clusters != nil {
				u = spec.Clusters[s][i]
			}
			k := key{parent[i], u}
			id, ok := idx[k]
			if !ok {
				id = int32(len(st.unitStratum))
				idx[k] = id
				st.unitStratum = append(st.unitStratum, parent[i])
				unitLabels = append(unitLabels, parentLabels[parent[i]]+"/"+u)
				st.strata[parent[i]].nPSU++
			}
			st.unit[i] = id
		}
		for h := range st.strata {
			st.strata[h].popsize = math.NaN() // set from the first row below
		}
		for i := 0; i < n; i++ {
			h := parent[i]
			info := &st.strata[h]
			if spec.FPC == nil {
				info.popsize = math.Inf(1)
				continue
			}
			v := spec.FPC[s][i]
			ps := v
			if !popsizes {
				ps = info.nPSU / v
			}
			if math.IsNaN(info.popsize) {
				if ps < info.nPSU-1e-9 {
					return nil, fmt.Errorf("design: row %d: fpc (stage %d) gives a population of %v units but %v are sampled in stratum %q", i+1, s+1, ps, info.nPSU, info.label)
				}
				info.popsize = ps
			}
		}
		st.elements = len(st.unitStratum) == n
		for i, u := range st.unit {
			if int(u) != i {
				st.elements = false
				break
			}
		}
		d.stages = append(d.stages, st)
		// The next stage's strata are this stage's units.
		parent = append([]int32(nil), st.unit...)
		parentLabels = unitLabels
	}
	// Multipliers: product of n/N of enclosing units.
	for s := range d.stages {
		st := &d.stages[s]
		if s == 0 {
			for h := range st.strata {
				st.strata[h].mult = 1
			}
			continue
		}
		prev := &d.stages[s-1]
		for h := range st.strata { // stratum h at stage s is unit h at stage s-1
			ph := prev.unitStratum[h]
			pinfo := prev.strata[ph]
			st.strata[h].mult = pinfo.mult * pinfo.nPSU / pinfo.popsize
		}
	}
	// Weights.
	d.w = make([]float64, n)
	switch {
	case spec.Weights != nil:
		copy(d.w, spec.Weights)
	case spec.FPC != nil:
		for i := 0; i < n; i++ {
			w := 1.0
			for s := range d.stages {
				st := &d.stages[s]
				info := st.strata[st.unitStratum[st.unit[i]]]
				w *= info.popsize / info.nPSU
			}
			d.w[i] = w
		}
	default:
		for i := range d.w {
			d.w[i] = 1
		}
	}
	return d, nil
}

// clone copies the design's header; slices that change (weights,
// calibration) are copied by the caller.
func (d *Design) clone() *Design {
	c := *d
	c.w = append([]float64(nil), d.w...)
	c.cal = append([]calStep(nil), d.cal...)
	c.fastc = &fastOnce{}
	return &c
}

// lonelyError reports a stratum with a single unit under LonelyFail.
type lonelyError struct {
	stratum string
	stage   int
}

func (e lonelyError) Error() string {
	return fmt.Sprintf("stratum %q has only one sampled unit at stage %d: choose a lonely-PSU rule (remove, certainty or adjust)", e.stratum, e.stage)
}

// varTotal returns the Taylor-linearised variance of the total of z (one
// value per row: the weighted influence of each row), as R's svyrecvar.
func (d *Design) varTotal(z []float64) (float64, error) {
	if len(d.cal) > 0 {
		z = d.residualize(z)
		defer putBuf(z)
	}
	nst := 1
	if d.multistage {
		nst = len(d.stages)
	}
	var v float64
	for s := 0; s < nst; s++ {
		st := &d.stages[s]
		var tot []float64
		if len(st.unitStratum) == d.n && st.elements {
			tot = z // one unit per row, in row order
		} else {
			tot = getBuf(len(st.unitStratum))
			defer putBuf(tot)
			clear(tot)
			for i, u := range st.unit {
				tot[u] += z[i]
			}
		}
		sum := make([]float64, len(st.strata))
		for u, h := range st.unitStratum {
			sum[h] += tot[u]
		}
		ss := make([]float64, len(st.strata))
		sq := make([]float64, len(st.strata))
		for u, h := range st.unitStratum {
			dev := tot[u] - sum[h]/st.strata[h].nPSU
			ss[h] += dev * dev
			sq[h] += tot[u] * tot[u]
		}
		for h := range st.strata {
			info := &st.strata[h]
			f := 1.0
			if !math.IsInf(info.popsize, 1) {
				f = (info.popsize - info.nPSU) / info.popsize
			}
			if f < 1e-7 { // self-representing stratum
				continue
			}
			if info.nPSU > 1 {
				v += info.mult * f * info.nPSU / (info.nPSU - 1) * ss[h]
				continue
			}
			switch d.lonely {
			case LonelyFail:
				return math.NaN(), lonelyError{info.label, s + 1}
			case LonelyAdjust:
				v += info.mult * f * sq[h]
			}
		}
	}
	return v, nil
}

// degfRows returns the design degrees of freedom of a domain (R's degf on
// the subset design): sampled primary units holding a domain row with a
// non-zero weight, minus first-stage strata holding one.
func (d *Design) degfRows(rows []int32) int {
	st := &d.stages[0]
	seenH := make([]bool, len(st.strata))
	nh, nu := 0, 0
	if st.elements {
		for _, i := range rows {
			if d.w[i] == 0 {
				continue
			}
			nu++
			if h := st.unitStratum[i]; !seenH[h] {
				seenH[h] = true
				nh++
			}
		}
		return nu - nh
	}
	seenU := map[int32]bool{}
	for _, i := range rows {
		if d.w[i] == 0 {
			continue
		}
		u := st.unit[i]
		if !seenU[u] {
			seenU[u] = true
			nu++
			if h := st.unitStratum[u]; !seenH[h] {
				seenH[h] = true
				nh++
			}
		}
	}
	return nu - nh
}
