package forecast

import (
	"fmt"
	"math"

	"github.com/vigil-project/vigil/grid"
)

// DecayHalfLife is the half-life in months of the "time since last event"
// decay features.
const DecayHalfLife = 6.0

// Features computes model inputs for (cell, origin month) from a panel,
// using only the panel's months up to and including the origin. It holds
// prefix sums so every feature is O(1) (spatial lags O(neighbours)).
type Features struct {
	P      *Panel
	Target int // the target type: its features come first
	Cov    *Covariates

	names []string
	cumC  [NTypes][]float32 // prefix sums of counts per cell over months
	cumD  [NTypes][]float32
	last  [NTypes][]int32 // month offset of the latest event ≤ m, −1 if none
	// country prefix sums: countries × months
	cidx  []int // country index per cell
	ncty  int
	ctyC  [NTypes][]float32
	ctyNC []float64 // cells per country
	anyC  []int32   // prefix count of months with a target-type event (lazy)
	// country panels only: prefix sums of Extent per unit, and of counts
	// over all units (months only)
	cumE [NTypes][]float32
	allC [NTypes][]float32
}

func log1p(x float64) float64 { return math.Log1p(x) }
func pow2(x float64) float64  { return math.Exp2(x) }

// typeOrder puts the target type first.
func typeOrder(target int) []int {
	o := []int{target}
	for t := range NTypes {
		if t != target {
			o = append(o, t)
		}
	}
	return o
}

// NewFeatures precomputes the prefix sums of p. cov may be nil.
func NewFeatures(p *Panel, target int, cov *Covariates) *Features {
	f := &Features{P: p, Target: target, Cov: cov}
	nm := p.NMonths
	for t := range NTypes {
		f.cumC[t] = make([]float32, len(p.Counts[t]))
		f.cumD[t] = make([]float32, len(p.Counts[t]))
		f.last[t] = make([]int32, len(p.Counts[t]))
		for i := range p.Cells {
			var sc, sd float32
			last := int32(-1)
			for m := range nm {
				k := i*nm + m
				sc += p.Counts[t][k]
				sd += p.Deaths[t][k]
				if p.Counts[t][k] > 0 {
					last = int32(m)
				}
				f.cumC[t][k], f.cumD[t][k], f.last[t][k] = sc, sd, last
			}
		}
	}
	ci := map[int]int{}
	f.cidx = make([]int, len(p.Cells))
	for i, c := range p.Country {
		j, ok := ci[c]
		if !ok {
			j = len(ci)
			ci[c] = j
		}
		f.cidx[i] = j
	}
	f.ncty = len(ci)
	f.ctyNC = make([]float64, f.ncty)
	for i := range p.Cells {
		f.ctyNC[f.cidx[i]]++
	}
	for t := range NTypes {
		f.ctyC[t] = make([]float32, f.ncty*nm)
		for i := range p.Cells {
			base := f.cidx[i] * nm
			for m := range nm {
				f.ctyC[t][base+m] += f.cumC[t][i*nm+m]
			}
		}
	}
	for _, t := range typeOrder(target) {
		n := TypeNames[t]
		if p.Grid.Country {
			for _, s := range countryFeatureNames {
				f.names = append(f.names, n+"_"+s)
			}
			if p.unitNeighbours {
				for _, s := range countryNeighbourNames {
					f.names = append(f.names, n+"_"+s)
				}
			}
			continue
		}
		f.names = append(f.names,
			n+"_lag1", n+"_lag2", n+"_sum3", n+"_sum12", n+"_sum36", n+"_deaths12",
			n+"_decay", n+"_ring1_sum3", n+"_ring1_sum12", n+"_ring2_sum12", n+"_country_sum12")
	}
	if p.Grid.Country {
		f.countryPrefix()
	}
	f.anyCum(0, 0) // build the lazy prefix now so Features is read-only afterwards
	f.names = append(f.names, "month_sin", "month_cos")
	if cov != nil {
		f.names = append(f.names, cov.Names...)
	}
	return f
}

// Names returns the feature names in row order.
func (f *Features) Names() []string { return f.names }

// roll returns the sum over the w months ending at offset m (inclusive).
func roll(cum []float32, base, m, w int) float64 {
	s := cum[base+m]
	if m-w >= 0 {
		s -= cum[base+m-w]
	}
	return float64(s)
}

// Row fills dst (len(Names())) with the features of cell index i at origin
// month t (data ≤ t only) for a target h months later. It returns an error
// if t is outside the panel.
func (f *Features) Row(i int, t grid.Month, h int, dst []float64) error {
	p := f.P
	m := int(t - p.First)
	if m < 0 || m >= p.NMonths {
		return fmt.Errorf("origin %s outside the panel's months %s…%s", t, p.First, p.Last())
	}
	nm := p.NMonths
	base := i * nm
	j := 0
	if p.Grid.Country {
		j = f.countryRow(i, m, dst)
	}
	for _, typ := range typeOrder(f.Target) {
		if p.Grid.Country {
			break
		}
		c := f.cumC[typ]
		lag1 := roll(c, base, m, 1)
		lag2 := 0.0
		if m >= 1 {
			lag2 = roll(c, base, m-1, 1)
		}
		dec := 0.0
		if l := f.last[typ][base+m]; l >= 0 {
			dec = math.Exp2(-float64(m-int(l)) / DecayHalfLife)
		}
		var r13, r112, r212 float64
		for _, nb := range p.ring[1][i] {
			nbase := int(nb) * nm
			r13 += roll(c, nbase, m, 3)
			r112 += roll(c, nbase, m, 12)
		}
		for _, nb := range p.ring[2][i] {
			r212 += roll(c, int(nb)*nm, m, 12)
		}
		cb := f.cidx[i] * nm
		cty := roll(f.ctyC[typ], cb, m, 12) / f.ctyNC[f.cidx[i]]
		dst[j+0] = math.Log1p(lag1)
		dst[j+1] = math.Log1p(lag2)
		dst[j+2] = math.Log1p(roll(c, base, m, 3))
		dst[j+3] = math.Log1p(roll(c, base, m, 12))
		dst[j+4] = math.Log1p(roll(c, base, m, 36))
		dst[j+5] = math.Log1p(roll(f.cumD[typ], base, m, 12))
		dst[j+6] = dec
		dst[j+7] = math.Log1p(r13)
		dst[j+8] = math.Log1p(r112)
		dst[j+9] = math.Log1p(r212)
		dst[j+10] = math.Log1p(cty)
		j += 11
	}
	tm := float64((t+grid.Month(h)).Mon()-1) / 12 * 2 * math.Pi
	dst[j], dst[j+1] = math.Sin(tm), math.Cos(tm)
	j += 2
	if f.Cov != nil {
		v, err := f.Cov.At(i, t)
		if err != nil {
			return err
		}
		copy(dst[j:], v)
	}
	return nil
}

// Target returns whether cell i has any event of the target type in month
// t, and its fatalities.
func (f *Features) TargetAt(i int, t grid.Month) (any bool, deaths float64) {
	c, d := f.P.At(f.Target, i, t)
	return c > 0, float64(d)
}
