package forecast

import (
	"errors"
	"strings"

	"github.com/vigil-project/vigil/grid"
)

// PointMonth is a count at a point in a month: for example the content
// items scored harmful placed at a town (integrity.Service.HarmfulPoints).
type PointMonth struct {
	Lat, Lon float64
	Month    grid.Month
	N        float64
}

// PointCovariate makes the cell-month covariate cov_NAME of panel p from
// counts at points: each panel cell's value in month t is the sum of the
// counts of month t at points inside it (country panels: inside one of the
// country's PRIO-GRID cells), 0 elsewhere. Points outside the panel's
// cells or months are left out; the second result counts those kept. A
// count of month t is taken as known at origin t, as a covariate file's.
func PointCovariate(p *Panel, name string, pts []PointMonth) (*Covariates, int, error) {
	name = strings.TrimSpace(name)
	if name == "" || strings.ContainsAny(name, ",\n\r") {
		return nil, 0, errors.New("covariate: want a name without commas")
	}
	c := &Covariates{Names: []string{"cov_" + name}, p: p, n: p.NMonths, vals: make([]float64, len(p.Cells)*p.NMonths)}
	unitOf := map[int]int{} // PRIO-GRID cell -> country unit, for country panels
	if p.Grid.Country {
		for unit, cells := range p.Members {
			for _, g := range cells {
				unitOf[g] = unit
			}
		}
	}
	kept := 0
	for _, pt := range pts {
		per := int(pt.Month - p.First)
		if per < 0 || per >= p.NMonths {
			continue
		}
		var cell int
		var err error
		if p.Grid.Country {
			var g int
			if g, err = PrioGrid.Cell(pt.Lat, pt.Lon); err == nil {
				var ok bool
				if cell, ok = unitOf[g]; !ok {
					continue
				}
			}
		} else {
			cell, err = p.Grid.Cell(pt.Lat, pt.Lon)
		}
		if err != nil {
			continue
		}
		i, ok := p.Index(cell)
		if !ok {
			continue
		}
		c.vals[i*c.n+per] += pt.N
		kept++
	}
	return c, kept, nil
}
