package forecast

import (
	"errors"
	"fmt"
	"sort"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/grid"
)

// CountryGrid is the country-month unit of analysis: a panel whose "cells"
// are country codes (those of the PRIO-GRID cell list, e.g. Gleditsch–Ward
// numbers).
var CountryGrid = Grid{Country: true}

// CountryPanel aggregates PRIO-GRID cell-months to country-months. An
// event's country is the country of its PRIO-GRID cell in cells — fixed
// borders for the whole panel, the same assignment as the grid panel's
// country context (UCDP's own country field follows the borders of the
// event's date: South Sudan's events before its independence are
// Sudan's). Cell-months in cells not listed are not counted and their
// number is returned as outside. Every listed country gets a zero-filled
// row for every month from the first month in cms to the last (or to
// last, if later). The panel's Extent holds the number of cells with an
// event per country, type and month.
func CountryPanel(cells CellList, cms []events.CellMonth, last grid.Month) (p *Panel, outside int, err error) {
	if len(cms) == 0 {
		return nil, 0, errors.New("no events: import events first (vigil import) or give --ucdp FILE")
	}
	if len(cells.Cells) == 0 || len(cells.Country) != len(cells.Cells) {
		return nil, 0, errors.New("country panel: a PRIO-GRID cell list with one country per cell is needed (--cells FILE)")
	}
	first, lastM := cms[0].Month, cms[0].Month
	for _, cm := range cms {
		first = min(first, cm.Month)
		lastM = max(lastM, cm.Month)
	}
	lastM = max(lastM, last)
	cty := map[int]int{} // cell → country
	seen := map[int]bool{}
	var codes []int
	for i, c := range cells.Cells {
		cty[c] = cells.Country[i]
		if !seen[cells.Country[i]] {
			seen[cells.Country[i]] = true
			codes = append(codes, cells.Country[i])
		}
	}
	sort.Ints(codes)
	p, err = NewPanel(CountryGrid, codes, append([]int(nil), codes...), first, lastM)
	if err != nil {
		return nil, 0, err
	}
	for t := range NTypes {
		p.Extent[t] = make([]float32, len(p.Counts[t]))
	}
	p.Members = map[int][]int{}
	for i, c := range cells.Cells {
		p.Members[cells.Country[i]] = append(p.Members[cells.Country[i]], c)
	}
	for _, m := range p.Members {
		sort.Ints(m)
	}
	p.Names = cells.Names
	for _, cm := range cms {
		code, ok := cty[cm.Cell]
		if !ok {
			outside++
			continue
		}
		i, _ := p.Index(code)
		k := i*p.NMonths + int(cm.Month-p.First)
		for t := range NTypes {
			vt := t + 1 // events.StateBased=1, NonState=2, OneSided=3
			if cm.Counts[vt] == 0 {
				continue
			}
			p.Add(code, cm.Month, t, float64(cm.Counts[vt]), float64(cm.Deaths[vt]))
			p.Extent[t][k]++
		}
	}
	return p, outside, nil
}

// CountryAdjacency returns each country of the cell list with the
// countries it borders: two countries are neighbours when a cell of one
// shares an edge or a corner (queen contiguity, as the grid's spatial
// lags) with a cell of the other. Countries are those of the list only:
// a border with a country not in the list is not seen.
func CountryAdjacency(cells CellList) map[int][]int {
	m := make(map[int]int, len(cells.Cells))
	for i, c := range cells.Cells {
		m[c] = cells.Country[i]
	}
	return grid.PrioAdjacency(m, true)
}

// countryFeatureNames are the per-type features of a country panel;
// countryNeighbourNames are added after them when the panel has country
// neighbours (Panel.SetNeighbours).
var (
	countryFeatureNames   = []string{"lag1", "lag2", "sum3", "sum12", "sum36", "deaths12", "decay", "cells3", "cells12", "others_sum12"}
	countryNeighbourNames = []string{"nb_sum3", "nb_sum12"}
)

// countryPrefix builds the prefix sums a country panel's features need:
// extent per unit over months, and the all-units total per month.
func (f *Features) countryPrefix() {
	p := f.P
	nm := p.NMonths
	for t := range NTypes {
		f.cumE[t] = make([]float32, len(p.Counts[t]))
		f.allC[t] = make([]float32, nm)
		for i := range p.Cells {
			var s float32
			for m := range nm {
				k := i*nm + m
				if p.Extent[t] != nil {
					s += p.Extent[t][k]
				}
				f.cumE[t][k] = s
				f.allC[t][m] += f.cumC[t][k]
			}
		}
	}
}

// countryRow fills the per-type features of unit i at month offset m and
// returns the number written.
func (f *Features) countryRow(i, m int, dst []float64) int {
	p := f.P
	nm := p.NMonths
	base := i * nm
	j := 0
	for _, typ := range typeOrder(f.Target) {
		c := f.cumC[typ]
		lag2 := 0.0
		if m >= 1 {
			lag2 = roll(c, base, m-1, 1)
		}
		dec := 0.0
		if l := f.last[typ][base+m]; l >= 0 {
			dec = pow2(-float64(m-int(l)) / DecayHalfLife)
		}
		others := 0.0
		if n := len(p.Cells); n > 1 {
			others = (roll(f.allC[typ], 0, m, 12) - roll(c, base, m, 12)) / float64(n-1)
		}
		dst[j+0] = log1p(roll(c, base, m, 1))
		dst[j+1] = log1p(lag2)
		dst[j+2] = log1p(roll(c, base, m, 3))
		dst[j+3] = log1p(roll(c, base, m, 12))
		dst[j+4] = log1p(roll(c, base, m, 36))
		dst[j+5] = log1p(roll(f.cumD[typ], base, m, 12))
		dst[j+6] = dec
		dst[j+7] = log1p(roll(f.cumE[typ], base, m, 3))
		dst[j+8] = log1p(roll(f.cumE[typ], base, m, 12))
		dst[j+9] = log1p(max(others, 0))
		j += len(countryFeatureNames)
		if p.unitNeighbours {
			var n3, n12 float64
			for _, nb := range p.ring[1][i] {
				n3 += roll(c, int(nb)*nm, m, 3)
				n12 += roll(c, int(nb)*nm, m, 12)
			}
			dst[j+0] = log1p(n3)
			dst[j+1] = log1p(n12)
			j += len(countryNeighbourNames)
		}
	}
	return j
}

// checkCountryUnits is used by Load: a country panel needs the cell list.
func checkCountryUnits(opt LoadOptions) error {
	if opt.CellsFile == "" {
		return fmt.Errorf("--grid country needs --cells FILE: the PRIO-GRID cell list (priogrid_gid, gwno_prio2014) gives each event's country")
	}
	return nil
}
