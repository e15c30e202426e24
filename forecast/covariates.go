package forecast

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/csvread"
)

// Covariates are optional extra features per cell and month (or year), read
// from a generic CSV:
//
//	cell,month,NAME1,NAME2,…   month as YYYY-MM (a cell-month file), or
//	cell,year,NAME1,NAME2,…    year as YYYY (a cell-year file)
//
// cell is the grid's cell id (PRIO-GRID gid for the PRIO-GRID panel; the
// country code, as in the --cells list, for a country panel). Every
// panel cell needs a row for every month (year) of the panel; values must
// be finite numbers. For origin month t the model reads the row of month t
// (cell-month) or of t's year (cell-year: the value is taken as known
// during that year, e.g. a population estimate).
type Covariates struct {
	Names  []string
	Yearly bool
	p      *Panel
	first  int       // first month offset or year
	n      int       // months or years per cell
	vals   []float64 // cell-major: (cell*n + period)*len(Names) + k
}

// ReadCovariates reads a covariate CSV for panel p. Errors name the file,
// the line and what is wrong: an unknown cell, a non-numeric value, a
// duplicate row, or (after reading) a cell missing a month or year.
func ReadCovariates(name string, rd io.Reader, p *Panel) (*Covariates, error) {
	r := csv.NewReader(rd)
	r.ReuseRecord = true
	hdr, err := r.Read()
	if err != nil {
		if err == io.EOF {
			return nil, fileErr(name, 0, "", "empty file (want a header cell,month,… or cell,year,…)")
		}
		return nil, headerErr(name, err)
	}
	hdr = append([]string(nil), hdr...) // the reader reuses its record
	if len(hdr) < 3 || csvread.Name(hdr[0]) != "cell" {
		return nil, fileErr(name, 1, "", "header must be cell,month,NAME… or cell,year,NAME…")
	}
	c := &Covariates{p: p}
	switch strings.TrimSpace(hdr[1]) {
	case "month":
		c.first, c.n = 0, p.NMonths
	case "year":
		c.Yearly = true
		c.first, c.n = p.First.Year(), p.Last().Year()-p.First.Year()+1
	default:
		return nil, fileErr(name, 1, "", "second column must be month or year, not %q", hdr[1])
	}
	seen := map[string]bool{}
	for _, h := range hdr[2:] {
		h = strings.TrimSpace(h)
		if h == "" || seen[h] {
			return nil, fileErr(name, 1, "", "covariate name %q empty or repeated", h)
		}
		seen[h] = true
		c.Names = append(c.Names, "cov_"+h)
	}
	k := len(c.Names)
	c.vals = make([]float64, len(p.Cells)*c.n*k)
	have := make([]bool, len(p.Cells)*c.n)
	err = csvread.Each(r, name, func(rec []string, line int) error {
		cell, err := strconv.Atoi(strings.TrimSpace(rec[0]))
		if err != nil {
			return fileErr(name, line, "cell", "%q is not an integer cell id", rec[0])
		}
		i, ok := p.Index(cell)
		if !ok {
			return fileErr(name, line, "cell", "unknown cell %d (not in the panel)", cell)
		}
		var per int
		if c.Yearly {
			y, err := strconv.Atoi(strings.TrimSpace(rec[1]))
			if err != nil {
				return fileErr(name, line, "year", "%q is not a year", rec[1])
			}
			per = y - c.first
		} else {
			m, err := grid.ParseMonth(strings.TrimSpace(rec[1]))
			if err != nil {
				return apperr.AtLine(name, line, apperr.FieldErr(apperr.KindInvalid, "month", err))
			}
			per = int(m - p.First)
		}
		if per < 0 || per >= c.n {
			return nil // outside the panel's range: not needed
		}
		if have[i*c.n+per] {
			return fileErr(name, line, "", "cell %d %s %s given twice", cell, hdr[1], rec[1])
		}
		have[i*c.n+per] = true
		for j := range k {
			s := strings.TrimSpace(rec[2+j])
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return fileErr(name, line, hdr[2+j], "%q is not a finite number", s)
			}
			c.vals[(i*c.n+per)*k+j] = v
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range p.Cells {
		for per := range c.n {
			if !have[i*c.n+per] {
				if c.Yearly {
					return nil, fileErr(name, 0, "", "cell %d has no row for year %d (every panel cell needs every year from %s to %s)", p.Cells[i], c.first+per, p.First, p.Last())
				}
				return nil, fileErr(name, 0, "", "cell %d has no row for month %s (every panel cell needs every month from %s to %s)", p.Cells[i], p.First+grid.Month(per), p.First, p.Last())
			}
		}
	}
	return c, nil
}

// At returns the covariates of cell index i for origin month t.
func (c *Covariates) At(i int, t grid.Month) ([]float64, error) {
	per := int(t - c.p.First)
	if c.Yearly {
		per = t.Year() - c.first
	}
	if per < 0 || per >= c.n {
		return nil, fmt.Errorf("covariates: no values for %s", t)
	}
	k := len(c.Names)
	return c.vals[(i*c.n+per)*k : (i*c.n+per+1)*k], nil
}
