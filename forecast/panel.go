// Package forecast is Vigil's early-warning engine.
//
// It covers cell-month panels of conflict events
// (PRIO-GRID or a finer operations grid) and country-month panels
// (CountryPanel), prediction targets (any event and fatalities of one-sided,
// state-based or non-state violence h months ahead), features computed only
// from the past, baselines (zero, no-change, historical rate, exponential
// decay), a histogram gradient-boosted tree model with calibrated probabilities
// and a hurdle predictive distribution for fatalities, and walk-forward
// backtests scored with package forecast/metrics.
//
// The modelling code reads a Panel, never the store; FromCellMonths adapts
// the events store's aggregates, ReadUCDP reads a UCDP GED CSV directly.
package forecast

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/csvread"
)

// Violence types modelled, as indices into the panel's arrays.
const (
	SB     = 0 // state-based (UCDP type 1)
	NS     = 1 // non-state (UCDP type 2)
	OS     = 2 // one-sided violence against civilians (UCDP type 3)
	NTypes = 3
)

// TypeNames are the target names accepted on the command line.
var TypeNames = [NTypes]string{"sb", "ns", "os"}

// ParseType accepts sb, ns, os/osv or the events package's names.
func ParseType(s string) (int, error) {
	switch strings.ToLower(s) {
	case "sb", "state-based":
		return SB, nil
	case "ns", "non-state":
		return NS, nil
	case "os", "osv", "one-sided":
		return OS, nil
	}
	return 0, fmt.Errorf("unknown target %q: want osv (one-sided), sb (state-based) or ns (non-state)", s)
}

// CanonicalTarget is the name runs are stored under for a target name
// ParseType takes ("osv", "one-sided" -> "os"), or s itself when it is not
// one: stores and lookups use it so that "osv" finds the "os" runs.
func CanonicalTarget(s string) string {
	if t, err := ParseType(s); err == nil {
		return TypeNames[t]
	}
	return s
}

// Grid is the spatial unit of a panel: PRIO-GRID, a regular ops grid, or
// countries (Country set; the panel's "cells" are then country codes).
type Grid struct {
	Size    float64 // cell size in degrees; 0.5 is PRIO-GRID
	Country bool    // country-month units (see CountryPanel); Size is unused
}

// PrioGrid is PRIO-GRID 0.5°.
var PrioGrid = Grid{Size: 0.5}

func (g Grid) reg() grid.Regular { return grid.Regular{Size: g.Size} }

// Cell returns the cell of a point.
func (g Grid) Cell(lat, lon float64) (int, error) {
	if g.Country {
		return 0, errors.New("country units have no cell for a point: aggregate PRIO-GRID cells with CountryPanel")
	}
	return g.reg().Cell(lat, lon)
}

// Neighbours returns the cells within rings (queen contiguity), excluding id.
// Country units have none from the grid: their neighbours come from the
// cell list (CountryAdjacency, Panel.SetNeighbours).
func (g Grid) Neighbours(id, rings int) []int {
	if g.Country {
		return nil
	}
	return g.reg().Neighbours(id, rings)
}

// Panel holds monthly event counts and best fatality estimates per type for
// a fixed set of cells and a contiguous range of months. Arrays are
// cell-major: index cell*NMonths + month offset.
type Panel struct {
	Grid    Grid
	Cells   []int      // cell ids
	Country []int      // country code per cell (e.g. Gleditsch–Ward)
	Lat     []float64  // cell centres
	Lon     []float64  //
	First   grid.Month // first month
	NMonths int        // number of months
	Counts  [NTypes][]float32
	Deaths  [NTypes][]float32
	// Extent, for country panels only (nil otherwise): the number of
	// PRIO-GRID cells of the country with an event of the type in the
	// month, same layout as Counts.
	Extent [NTypes][]float32
	// Members and Names, for country panels only: each country's
	// PRIO-GRID cells (sorted) and name (from the cell list, if it has
	// one).
	Members map[int][]int
	Names   map[int]string

	// unitNeighbours: SetNeighbours replaced the grid's neighbours.
	unitNeighbours bool

	index map[int]int
	ring  [3][][]int32 // ring[r][cell] neighbour cell indices at exactly ring r (1, 2)
}

// NewPanel returns an empty (zero-filled) panel.
func NewPanel(g Grid, cells, country []int, first, last grid.Month) (*Panel, error) {
	if len(cells) == 0 {
		return nil, errors.New("panel: no cells")
	}
	if len(country) != len(cells) {
		return nil, errors.New("panel: one country per cell needed")
	}
	if last < first {
		return nil, fmt.Errorf("panel: last month %s before first %s", last, first)
	}
	p := &Panel{Grid: g, Cells: cells, Country: country, First: first, NMonths: int(last-first) + 1, index: make(map[int]int, len(cells))}
	for i, c := range cells {
		if _, dup := p.index[c]; dup {
			return nil, fmt.Errorf("panel: cell %d listed twice", c)
		}
		p.index[c] = i
	}
	n := len(cells) * p.NMonths
	for t := range NTypes {
		p.Counts[t] = make([]float32, n)
		p.Deaths[t] = make([]float32, n)
	}
	p.Lat = make([]float64, len(cells))
	p.Lon = make([]float64, len(cells))
	if !g.Country {
		reg := g.reg()
		for i, c := range cells {
			p.Lat[i], p.Lon[i], _ = reg.Center(c)
		}
	}
	for r := 1; r <= 2; r++ {
		p.ring[r] = make([][]int32, len(cells))
	}
	for i, c := range cells {
		in1 := map[int]bool{}
		for _, nb := range g.Neighbours(c, 1) {
			in1[nb] = true
			if j, ok := p.index[nb]; ok {
				p.ring[1][i] = append(p.ring[1][i], int32(j))
			}
		}
		for _, nb := range g.Neighbours(c, 2) {
			if in1[nb] {
				continue
			}
			if j, ok := p.index[nb]; ok {
				p.ring[2][i] = append(p.ring[2][i], int32(j))
			}
		}
	}
	return p, nil
}

// SetNeighbours replaces the panel's spatial neighbours (the grid's, none
// for countries) with adj: unit → neighbouring units. Ring 1 is a unit's
// neighbours in the panel, ring 2 their neighbours that are neither the
// unit nor in ring 1. Used for country panels (CountryAdjacency); the
// country features then include the neighbours' event counts.
func (p *Panel) SetNeighbours(adj map[int][]int) {
	for r := 1; r <= 2; r++ {
		p.ring[r] = make([][]int32, len(p.Cells))
	}
	for i, c := range p.Cells {
		in1 := map[int]bool{c: true}
		for _, nb := range adj[c] {
			if j, ok := p.index[nb]; ok && !in1[nb] {
				in1[nb] = true
				p.ring[1][i] = append(p.ring[1][i], int32(j))
			}
		}
		in2 := map[int]bool{}
		for _, nb := range adj[c] {
			for _, nb2 := range adj[nb] {
				if j, ok := p.index[nb2]; ok && !in1[nb2] && !in2[nb2] {
					in2[nb2] = true
					p.ring[2][i] = append(p.ring[2][i], int32(j))
				}
			}
		}
	}
	p.unitNeighbours = true
}

// Neighbours returns the panel indices of cell index i's neighbours at
// ring r (1 or 2).
func (p *Panel) Neighbours(i, r int) []int {
	out := make([]int, len(p.ring[r][i]))
	for k, j := range p.ring[r][i] {
		out[k] = int(j)
	}
	return out
}

// Last returns the last month of the panel.
func (p *Panel) Last() grid.Month { return p.First + grid.Month(p.NMonths-1) }

// Index returns the panel index of a cell id.
func (p *Panel) Index(cell int) (int, bool) { i, ok := p.index[cell]; return i, ok }

// Add records n events with the given deaths. Events outside the panel's
// cells or months are reported as not added.
func (p *Panel) Add(cell int, m grid.Month, typ int, n, deaths float64) bool {
	i, ok := p.index[cell]
	if !ok || m < p.First || m > p.Last() || typ < 0 || typ >= NTypes {
		return false
	}
	k := i*p.NMonths + int(m-p.First)
	p.Counts[typ][k] += float32(n)
	p.Deaths[typ][k] += float32(deaths)
	return true
}

// At returns the count and deaths of a type at cell index i, month m.
func (p *Panel) At(typ, i int, m grid.Month) (count, deaths float32) {
	k := i*p.NMonths + int(m-p.First)
	return p.Counts[typ][k], p.Deaths[typ][k]
}

// FromCellMonths adds the events store's cell-month aggregates (UCDP types
// 1–3) to the panel and returns how many fell outside it.
func (p *Panel) FromCellMonths(cms []events.CellMonth) (outside int) {
	for _, cm := range cms {
		for t := range NTypes {
			vt := t + 1 // events.StateBased=1, NonState=2, OneSided=3
			if cm.Counts[vt] == 0 {
				continue
			}
			if !p.Add(cm.Cell, cm.Month, t, float64(cm.Counts[vt]), float64(cm.Deaths[vt])) {
				outside++
			}
		}
	}
	return outside
}

// CellList is a list of cells with their country and centre.
type CellList struct {
	Cells   []int
	Country []int
	// Names: country code → name, from the list's optional "country"
	// (or "country_name") column; nil without one.
	Names map[int]string
}

// ReadPrioCells reads a PRIO-GRID cell list CSV with columns priogrid_gid
// and a country code column (gwno_prio2014, gwno, or country_id).
func ReadPrioCells(path string) (CellList, error) {
	f, err := os.Open(path)
	if err != nil {
		return CellList{}, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	hdr, err := r.Read()
	if err != nil {
		return CellList{}, headerErr(path, err)
	}
	gi, ci, ni := -1, -1, -1
	for i, h := range hdr {
		switch csvread.Name(h) {
		case "priogrid_gid", "gid":
			gi = i
		case "gwno_prio2014", "gwno", "country_id", "gwcode":
			ci = i
		case "country", "country_name":
			ni = i
		}
	}
	if gi < 0 || ci < 0 {
		return CellList{}, fileErr(path, 1, "", "need columns priogrid_gid and gwno_prio2014 (or gwno/country_id)")
	}
	var cl CellList
	seen := map[int]int{}
	err = csvread.Each(r, path, func(rec []string, line int) error {
		g, err := strconv.Atoi(strings.TrimSpace(rec[gi]))
		if err != nil || g < 1 || g > grid.PrioCols*grid.PrioRows {
			return fileErr(path, line, csvread.Name(hdr[gi]), "%q is not a PRIO-GRID cell id", rec[gi])
		}
		c, err := strconv.Atoi(strings.TrimSpace(rec[ci]))
		if err != nil {
			return fileErr(path, line, csvread.Name(hdr[ci]), "%q is not an integer code", rec[ci])
		}
		if prev, dup := seen[g]; dup {
			return fileErr(path, line, csvread.Name(hdr[gi]), "cell %d already listed on line %d", g, prev)
		}
		seen[g] = line
		cl.Cells = append(cl.Cells, g)
		cl.Country = append(cl.Country, c)
		if ni >= 0 {
			if cl.Names == nil {
				cl.Names = map[int]string{}
			}
			if n := strings.TrimSpace(rec[ni]); n != "" && cl.Names[c] == "" {
				cl.Names[c] = n
			}
		}
		return nil
	})
	if err != nil {
		return CellList{}, err
	}
	if len(cl.Cells) == 0 {
		return CellList{}, fileErr(path, 0, "", "no cells")
	}
	return cl, nil
}

// OpsCells subdivides PRIO-GRID cells into the cells of a finer regular grid
// whose size divides 0.5°, keeping each cell's country.
func OpsCells(prio CellList, size float64) (CellList, error) {
	k := 0.5 / size
	if !(size > 0) || math.Abs(k-math.Round(k)) > 1e-9 {
		return CellList{}, fmt.Errorf("ops grid size %v must divide 0.5 degrees", size)
	}
	n := int(math.Round(k))
	reg := grid.Regular{Size: size}
	var out CellList
	for i, g := range prio.Cells {
		lat, lon, _ := grid.PrioCenter(g)
		for a := range n {
			for b := range n {
				c, err := reg.Cell(lat-0.25+(float64(a)+0.5)*size, lon-0.25+(float64(b)+0.5)*size)
				if err != nil {
					return CellList{}, err
				}
				out.Cells = append(out.Cells, c)
				out.Country = append(out.Country, prio.Country[i])
			}
		}
	}
	return out, nil
}

// BuildPanel makes a zero-filled panel over cells (nil: every cell with an
// event plus its two rings of neighbours, country 0) and the months from the
// first to the last month in cms (or to last, if later), and adds cms.
func BuildPanel(g Grid, cells *CellList, cms []events.CellMonth, last grid.Month) (*Panel, error) {
	if len(cms) == 0 {
		return nil, errors.New("no events: import events first (vigil import) or give --ucdp FILE")
	}
	first, lastM := cms[0].Month, cms[0].Month
	for _, cm := range cms {
		first = min(first, cm.Month)
		lastM = max(lastM, cm.Month)
	}
	if last > lastM {
		lastM = last
	}
	var cl CellList
	if cells != nil {
		cl = *cells
	} else {
		seen := map[int]bool{}
		add := func(c int) {
			if !seen[c] {
				seen[c] = true
				cl.Cells = append(cl.Cells, c)
				cl.Country = append(cl.Country, 0)
			}
		}
		for _, cm := range cms {
			add(cm.Cell)
		}
		for _, c := range append([]int(nil), cl.Cells...) {
			for _, nb := range g.Neighbours(c, 2) {
				add(nb)
			}
		}
	}
	p, err := NewPanel(g, cl.Cells, cl.Country, first, lastM)
	if err != nil {
		return nil, err
	}
	p.FromCellMonths(cms)
	return p, nil
}

// ReadUCDPCellMonths aggregates a UCDP GED CSV into cell-months of grid g.
func ReadUCDPCellMonths(path string, g Grid) ([]events.CellMonth, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readUCDP(path, f, g)
}

func readUCDP(path string, rd io.Reader, g Grid) ([]events.CellMonth, error) {
	r := csv.NewReader(rd)
	r.ReuseRecord = true
	hdr, err := r.Read()
	if err != nil {
		return nil, headerErr(path, err)
	}
	col := map[string]int{}
	for i, h := range hdr {
		col[csvread.Name(h)] = i
	}
	for _, c := range []string{"date_start", "type_of_violence", "latitude", "longitude", "best"} {
		if _, ok := col[c]; !ok {
			return nil, fileErr(path, 1, "", "missing column %q", c)
		}
	}
	type key struct {
		m grid.Month
		c int
	}
	agg := map[key]*events.CellMonth{}
	var order []key
	err = csvread.Each(r, path, func(rec []string, line int) error {
		ds := strings.TrimSpace(rec[col["date_start"]])
		var d time.Time
		var err error
		if len(ds) >= 10 {
			d, err = time.Parse("2006-01-02", ds[:10])
		}
		if len(ds) < 10 || err != nil {
			return fileErr(path, line, "date_start", "%q: want YYYY-MM-DD", ds)
		}
		tv, err := strconv.Atoi(strings.TrimSpace(rec[col["type_of_violence"]]))
		if err != nil || tv < 1 || tv > 3 {
			return fileErr(path, line, "type_of_violence", "%q: want 1, 2 or 3", rec[col["type_of_violence"]])
		}
		lat, err1 := strconv.ParseFloat(strings.TrimSpace(rec[col["latitude"]]), 64)
		lon, err2 := strconv.ParseFloat(strings.TrimSpace(rec[col["longitude"]]), 64)
		if err1 != nil || err2 != nil || grid.CheckLatLon(lat, lon) != nil {
			return fileErr(path, line, "latitude/longitude", "%q,%q not valid coordinates", rec[col["latitude"]], rec[col["longitude"]])
		}
		best, err := strconv.Atoi(strings.TrimSpace(rec[col["best"]]))
		if err != nil || best < 0 {
			return fileErr(path, line, "best", "%q is not a count", rec[col["best"]])
		}
		cell, _ := g.Cell(lat, lon)
		k := key{grid.MonthOf(d.Year(), int(d.Month())), cell}
		cm := agg[k]
		if cm == nil {
			cm = &events.CellMonth{Cell: cell, Month: k.m}
			agg[k] = cm
			order = append(order, k)
		}
		cm.Counts[tv]++
		cm.Deaths[tv] += best
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]events.CellMonth, 0, len(order))
	for _, k := range order {
		out = append(out, *agg[k])
	}
	return out, nil
}
