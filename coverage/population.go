package coverage

import (
	"encoding/csv"
	"errors"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/csvread"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// PopCell is one row of a population layer: the people living in a cell
// (in a year, or in every year when Year is 0) and an optional
// access-friction factor (0 = none, otherwise 1..100, multiplying distances
// into the cell).
type PopCell struct {
	GID        int     `json:"cell"`
	Year       int     `json:"year,omitempty"`
	Population float64 `json:"population"`
	Friction   float64 `json:"friction,omitempty"`
}

// MaxPopulationRows bounds a population layer (PRIO-GRID has 259,200 cells;
// a cell-year layer over a few decades of the analysis grid stays well
// below this).
const MaxPopulationRows = 2_000_000

// ReadPopulation reads a population layer as CSV with a header: a cell column
// (gid, priogrid_gid or cell), an optional year column, population and an
// optional friction column, matched by name (any order, other columns are
// ignored). Every cell must be in cells (the analysis grid); a (cell, year)
// pair may appear once. Errors name the file, line and column.
func ReadPopulation(r io.Reader, name string, cells *Cells) ([]PopCell, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, apperr.AtText(name, 1, "", apperr.Text("empty file: want a header gid,population[,friction] or gid,year,population[,friction]"))
		}
		return nil, apperr.AtText(name, 1, "", apperr.Textf("cannot read header: %v", apperr.CSVError(err)))
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(csvread.Name(h))
		if _, dup := col[h]; dup && h != "" {
			return nil, apperr.AtText(name, 1, "", apperr.Textf("column %q appears twice", h))
		}
		col[h] = i
	}
	gi := -1
	for _, n := range []string{"gid", "priogrid_gid", "cell"} {
		if i, ok := col[n]; ok {
			gi = i
			break
		}
	}
	if gi < 0 {
		return nil, apperr.AtText(name, 1, "", apperr.Text("missing column gid (or priogrid_gid, cell)"))
	}
	pi, ok := col["population"]
	if !ok {
		return nil, apperr.AtText(name, 1, "", apperr.Text("missing column population"))
	}
	yi, hasYear := col["year"]
	fi, hasFr := col["friction"]
	var out []PopCell
	seen := map[[2]int]int{}
	err = csvread.Each(cr, name, func(rec []string, line int) error {
		get := func(i int) string { return csvread.Field(rec, i) }
		if len(rec) == 1 && get(0) == "" {
			return nil // blank line
		}
		if len(out) >= MaxPopulationRows {
			return apperr.AtText(name, line, "", apperr.Textf("more than %d rows", MaxPopulationRows))
		}
		gid, err := strconv.Atoi(get(gi))
		if err != nil {
			return apperr.AtText(name, line, "", apperr.Textf("gid %q is not an integer", get(gi)))
		}
		if cells != nil && !cells.Has(gid) {
			return apperr.AtText(name, line, "", apperr.Textf("gid %d is not a cell of the analysis grid (%d cells)", gid, cells.Len()))
		}
		p := PopCell{GID: gid}
		if hasYear {
			y, err := strconv.Atoi(get(yi))
			if err != nil || y < 1900 || y > 2100 {
				return apperr.AtText(name, line, "", apperr.Textf("year %q must be an integer in 1900..2100", get(yi)))
			}
			p.Year = y
		}
		v, err := strconv.ParseFloat(get(pi), 64)
		if err != nil || !(v >= 0) || math.IsInf(v, 0) || v > 1e9 {
			return apperr.AtText(name, line, "", apperr.Textf("population %q must be a number in 0..1e9", get(pi)))
		}
		p.Population = v
		if hasFr && get(fi) != "" {
			var ok bool
			if p.Friction, ok = parseFriction(get(fi)); !ok {
				return apperr.AtText(name, line, "", apperr.Textf("friction %q must be a number in 1..100 (or empty)", get(fi)))
			}
		}
		k := [2]int{gid, p.Year}
		if prev, dup := seen[k]; dup {
			if hasYear {
				return apperr.AtText(name, line, "", apperr.Textf("gid %d year %d already given on line %d", gid, p.Year, prev))
			}
			return apperr.AtText(name, line, "", apperr.Textf("gid %d already given on line %d", gid, prev))
		}
		seen[k] = line
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, apperr.Textf("%s: no rows after the header", name)
	}
	return out, nil
}

// PopulationYears returns the distinct years of a layer, ascending (0 for
// rows valid in every year).
func PopulationYears(pop []PopCell) []int {
	var ys []int
	for _, p := range pop {
		if !slices.Contains(ys, p.Year) {
			ys = append(ys, p.Year)
		}
	}
	sort.Ints(ys)
	return ys
}

// LayerYear picks the layer year used for calendar year y: y itself if
// present, else the latest year before y, else the earliest year after it
// (0 when the layer has no years, or is empty).
func LayerYear(years []int, y int) int {
	best := 0
	for _, v := range years {
		if v == 0 {
			continue
		}
		if v <= y {
			best = v
		} else if best == 0 {
			return v
		} else {
			break
		}
	}
	return best
}

// WithPopulation returns a copy of cells carrying the population and
// friction of layer year (rows with Year 0 apply to every year; a row for
// the year itself overrides them). Cells the layer does not mention get
// population 0 and no friction.
func (c *Cells) WithPopulation(pop []PopCell, year int) *Cells {
	list := append([]Cell(nil), c.list...)
	for i := range list {
		list[i].Population, list[i].Friction = 0, 0
	}
	for pass := 0; pass < 2; pass++ {
		for _, p := range pop {
			if (pass == 0 && p.Year != 0) || (pass == 1 && (p.Year == 0 || p.Year != year)) {
				continue
			}
			if i, ok := c.index[p.GID]; ok {
				list[i].Population, list[i].Friction = p.Population, p.Friction
			}
		}
	}
	return &Cells{list: list, index: c.index}
}

// CheckSeasons validates rainy-season settings per country: every country
// must be one of known (when non-nil) and every month in 1..12, listed once.
// The error is invalid input (apperr) naming rainy_months.<country>.
func CheckSeasons(months map[string][]int, known []string) error {
	for country, ms := range months {
		field := "rainy_months." + country
		if strings.TrimSpace(country) == "" || len(country) > 100 {
			return apperr.Fieldf(apperr.KindInvalid, "rainy_months", "country name %q must be 1–100 characters", country)
		}
		if known != nil && !slices.Contains(known, country) {
			return apperr.Fieldf(apperr.KindInvalid, field, "unknown country %q (the grid's countries: %s)", country, strings.Join(known, ", "))
		}
		seen := map[int]bool{}
		for _, m := range ms {
			if m < 1 || m > 12 {
				return apperr.Fieldf(apperr.KindInvalid, field, "month %d outside 1–12", m)
			}
			if seen[m] {
				return apperr.Fieldf(apperr.KindInvalid, field, "month %d listed twice", m)
			}
			seen[m] = true
		}
	}
	return nil
}

// WithSeasons returns a copy of c whose rainy months are replaced, country
// by country, by months (an empty list means no rainy season there).
func (c ReachConfig) WithSeasons(months map[string][]int) ReachConfig {
	out := ReachConfig{KM: c.KM, RainyFactor: c.RainyFactor, RainyMonths: map[string][]int{}}
	for k, v := range c.RainyMonths {
		out.RainyMonths[k] = v
	}
	for k, v := range months {
		ms := append([]int{}, v...)
		sort.Ints(ms)
		out.RainyMonths[CountryKey(k)] = ms
	}
	return out
}
