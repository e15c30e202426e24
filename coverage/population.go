package coverage

import (
	"encoding/csv"
	"errors"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/csvread"
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
// pair may appear once. Errors name the file, line and column. Rows
// placed by a position or a place name are ReadPopulationIn's.
func ReadPopulation(r io.Reader, name string, cells *Cells) ([]PopCell, error) {
	return ReadPopulationIn(r, name, cells, nil)
}

// ReadPopulationIn is ReadPopulation where a row may also be placed, when
// its gid is absent or empty, by a position (lat and lon columns, or
// latitude, lng, longitude), else by a P-code (pcode), else by a place
// name (place), both found in the gazetteer places gives (loaded only for
// a file that has such a column; an optional country column, an ISO code
// or a country's name, narrows a name to that country). A name or P-code
// is taken when its places are all in one cell; one unknown, or whose
// places are in several cells, is refused at its line saying what to give
// instead. Rows placed this way in one cell (and year) are added up, as
// the settlements of a cell; a cell given by its gid is given once, and
// one place once.
func ReadPopulationIn(r io.Reader, name string, cells *Cells, places func() (*geotext.Gazetteer, error)) ([]PopCell, error) {
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
	first := func(names ...string) int {
		for _, n := range names {
			if i, ok := col[n]; ok {
				return i
			}
		}
		return -1
	}
	gi, lati, loni := first("gid", "priogrid_gid", "cell"), first("lat", "latitude"), first("lon", "lng", "longitude")
	pci, pli, ci := first("pcode", "p_code", "p-code"), first("place", "place_name"), first("country")
	if lati < 0 || loni < 0 {
		lati, loni = -1, -1
	}
	if gi < 0 && lati < 0 && pci < 0 && pli < 0 {
		return nil, apperr.AtText(name, 1, "", apperr.Text("missing a location column: gid (or priogrid_gid, cell), lat and lon, pcode or place"))
	}
	pi, ok := col["population"]
	if !ok {
		return nil, apperr.AtText(name, 1, "", apperr.Text("missing column population"))
	}
	yi, hasYear := col["year"]
	fi, hasFr := col["friction"]
	var where *placeFinder
	if pci >= 0 || pli >= 0 {
		where = &placeFinder{load: places}
	}
	var out []PopCell
	type given struct {
		line, at int  // the line that first gave the cell, its row in out
		byGID    bool // given by its gid
	}
	seen := map[[2]int]given{}
	placed := map[int]int{} // gazetteer place -> line
	err = csvread.Each(cr, name, func(rec []string, line int) error {
		get := func(i int) string { return csvread.Field(rec, i) }
		if len(rec) == 1 && get(0) == "" {
			return nil // blank line
		}
		if len(out) >= MaxPopulationRows {
			return apperr.AtText(name, line, "", apperr.Textf("more than %d rows", MaxPopulationRows))
		}
		var gid, place int
		var err error
		byGID := gi >= 0 && (get(gi) != "" || (lati < 0 && pci < 0 && pli < 0))
		switch {
		case byGID:
			if gid, err = strconv.Atoi(get(gi)); err != nil {
				return apperr.AtText(name, line, "", apperr.Textf("gid %q is not an integer", get(gi)))
			}
			if cells != nil && !cells.Has(gid) {
				return apperr.AtText(name, line, "", apperr.Textf("gid %d is not a cell of the analysis grid (%d cells)", gid, cells.Len()))
			}
		case lati >= 0 && (get(lati) != "" || get(loni) != ""):
			lat, e1 := strconv.ParseFloat(get(lati), 64)
			lon, e2 := strconv.ParseFloat(get(loni), 64)
			if gid, err = grid.PrioGID(lat, lon); e1 != nil || e2 != nil || err != nil || math.IsNaN(lat) || math.IsNaN(lon) {
				return apperr.AtText(name, line, "", apperr.Textf("lat %q, lon %q is not a position (latitude -90..90, longitude -180..180)", get(lati), get(loni)))
			}
			if cells != nil && !cells.Has(gid) {
				return apperr.AtText(name, line, "", apperr.Textf("lat %v, lon %v is in cell %d, not a cell of the analysis grid (%d cells)", lat, lon, gid, cells.Len()))
			}
		case pci >= 0 && get(pci) != "" || pli >= 0 && get(pli) != "":
			var what string
			if pci >= 0 && get(pci) != "" {
				what = get(pci)
				gid, place, err = where.pcode(what)
			} else {
				what = get(pli)
				gid, place, err = where.named(what, get(ci))
			}
			if err != nil {
				return apperr.AtText(name, line, "", err)
			}
			if prev, again := placed[place]; again {
				return apperr.AtText(name, line, "", apperr.Textf("%q already given on line %d", what, prev))
			}
			placed[place] = line
			if cells != nil && !cells.Has(gid) {
				return apperr.AtText(name, line, "", apperr.Textf("%q is in cell %d, not a cell of the analysis grid (%d cells)", what, gid, cells.Len()))
			}
		default:
			return apperr.AtText(name, line, "", apperr.Text("no location: give gid, lat and lon, pcode or place"))
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
			if !byGID && !prev.byGID { // another settlement of the cell
				c := &out[prev.at]
				c.Population, c.Friction = c.Population+p.Population, max(c.Friction, p.Friction)
				return nil
			}
			if hasYear {
				return apperr.AtText(name, line, "", apperr.Textf("gid %d year %d already given on line %d", gid, p.Year, prev.line))
			}
			return apperr.AtText(name, line, "", apperr.Textf("gid %d already given on line %d", gid, prev.line))
		}
		seen[k] = given{line, len(out), byGID}
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

// placeFinder finds a population row's place in the gazetteer, loaded at
// its first use.
type placeFinder struct {
	load   func() (*geotext.Gazetteer, error)
	g      *geotext.Gazetteer
	pcodes map[string][]int // upper-case P-code -> places whose finest code it is
}

func (f *placeFinder) gazetteer() (*geotext.Gazetteer, error) {
	if f.g == nil {
		g, err := (*geotext.Gazetteer)(nil), error(nil)
		if f.load != nil {
			g, err = f.load()
		}
		if err != nil {
			return nil, err
		}
		if g == nil {
			g = &geotext.Gazetteer{}
		}
		f.g = g
	}
	return f.g, nil
}

// named finds the place called name (in country, an ISO code or a
// country's name, when given): its cell and its index in the gazetteer.
func (f *placeFinder) named(name, country string) (int, int, error) {
	g, err := f.gazetteer()
	if err != nil {
		return 0, 0, err
	}
	var iso string
	if country != "" {
		c := geotext.CountryNamed(country)
		if c == nil {
			return 0, 0, apperr.Textf("country %q is not a country Vigil knows: give its ISO code (e.g. COD)", country)
		}
		iso = c.ISO3
	}
	var at []int
	for _, i := range g.LookupIndexes(name) {
		if iso == "" || strings.EqualFold(g.Places[i].Country, iso) {
			at = append(at, i)
		}
	}
	return oneCell(g, at, func() error {
		return apperr.Textf("place %q is not in the gazetteer: give its lat and lon or its P-code, or add it to the gazetteer (Administration → Place names)", name)
	}, func(n int, names string) error {
		return apperr.Textf("place %q is ambiguous: %d places have this name (%s): add a country column (ISO code) or give its lat and lon or its P-code", name, n, names)
	})
}

// pcode finds the place whose finest admin code is code (the area itself
// before the places within it).
func (f *placeFinder) pcode(code string) (int, int, error) {
	g, err := f.gazetteer()
	if err != nil {
		return 0, 0, err
	}
	if f.pcodes == nil {
		f.pcodes = map[string][]int{}
		for i, p := range g.Places {
			if n := len(p.AdminCodes); n > 0 {
				k := strings.ToUpper(strings.TrimSpace(p.AdminCodes[n-1]))
				f.pcodes[k] = append(f.pcodes[k], i)
			}
		}
	}
	at := f.pcodes[strings.ToUpper(strings.TrimSpace(code))]
	var areas []int
	for _, i := range at {
		if k := g.Places[i].Kind; k == "admin1" || k == "admin2" || k == "admin3" {
			areas = append(areas, i)
		}
	}
	if len(areas) > 0 {
		at = areas
	}
	return oneCell(g, at, func() error {
		return apperr.Textf("P-code %q is not in the gazetteer: import the mission's gazetteer with its P-codes (Administration → Place names) or give lat and lon", code)
	}, func(n int, names string) error {
		return apperr.Textf("P-code %q is ambiguous: %d places have it (%s): give lat and lon instead", code, n, names)
	})
}

// oneCell is the cell of the places at, when they are all in one, and
// the first of them; none is unknown(), places in several cells
// ambiguous(how many, up to three named).
func oneCell(g *geotext.Gazetteer, at []int, unknown func() error, ambiguous func(n int, names string) error) (gid, place int, err error) {
	if len(at) == 0 {
		return 0, 0, unknown()
	}
	for k, i := range at {
		c, err := grid.PrioGID(g.Places[i].Lat, g.Places[i].Lon)
		if err != nil || (k > 0 && c != gid) {
			return 0, 0, ambiguous(len(at), candidates(g, at))
		}
		gid = c
	}
	return gid, at[0], nil
}

// candidates names up to three of the places at: "Kigoma, Kigoma (TZA);
// Kigoma (COD)".
func candidates(g *geotext.Gazetteer, at []int) string {
	var out []string
	for _, i := range at[:min(3, len(at))] {
		p := g.Places[i]
		s := p.Name
		if p.Admin1 != "" && p.Admin1 != p.Name {
			s += ", " + p.Admin1
		}
		if p.Country != "" {
			s += " (" + p.Country + ")"
		}
		out = append(out, s)
	}
	if len(at) > 3 {
		out = append(out, "…")
	}
	return strings.Join(out, "; ")
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
