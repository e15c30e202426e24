package coverage

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/vigil-project/vigil/geotext"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/csvread"
)

// Cell is one PRIO-GRID cell of the area of interest.
type Cell struct {
	GID      int     `json:"cell"`
	Country  string  `json:"country"`
	Lat, Lon float64 // centre
	// Population (people) when a population layer is loaded; 0 otherwise.
	Population float64 `json:"population,omitempty"`
	// Friction ≥ 1 multiplies distances into the cell (terrain, roads,
	// rivers); 0 or 1 = none.
	Friction float64 `json:"friction,omitempty"`
	// Key is the country's ISO 3166-1 alpha-3 code (CountryKey of Country),
	// set by NewCells: per-country settings and mission presence are keyed
	// by it, so every spelling of one country is one country.
	Key string `json:"-"`
}

// CountryKey is the key of the country named name: its ISO 3166-1 alpha-3
// code when geotext knows the name in any of its spellings ("DR Congo
// (Zaire)", "DRC", "RD Congo", "COD" are all "COD"), else the name itself.
func CountryKey(name string) string {
	if c := geotext.CountryNamed(strings.TrimSpace(name)); c != nil {
		return c.ISO3
	}
	return name
}

// Cells is the set of cells analyses run over.
type Cells struct {
	list  []Cell
	index map[int]int
}

// NewCells builds a cell set, sorted by gid.
func NewCells(cs []Cell) *Cells {
	c := &Cells{list: append([]Cell(nil), cs...), index: map[int]int{}}
	sort.Slice(c.list, func(a, b int) bool { return c.list[a].GID < c.list[b].GID })
	keys := map[string]string{}
	for i, x := range c.list {
		c.index[x.GID] = i
		k, ok := keys[x.Country]
		if !ok {
			k = CountryKey(x.Country)
			keys[x.Country] = k
		}
		c.list[i].Key = k
	}
	return c
}

func (c *Cells) Has(gid int) bool { _, ok := c.index[gid]; return ok }

// Near reports whether gid or one of its eight neighbours is in the set.
func (c *Cells) Near(gid int) bool {
	if c.Has(gid) {
		return true
	}
	for _, n := range grid.PrioNeighbours(gid, 1) {
		if c.Has(n) {
			return true
		}
	}
	return false
}

func (c *Cells) Len() int    { return len(c.list) }
func (c *Cells) All() []Cell { return c.list }

// Get returns a cell by gid.
func (c *Cells) Get(gid int) (Cell, bool) {
	i, ok := c.index[gid]
	if !ok {
		return Cell{}, false
	}
	return c.list[i], true
}

// CountryGroup is one country of the cells whatever spellings the data
// gives it: UCDP's "DR Congo (Zaire)" and Geo-PKO's "DRC" are one country
// (geotext.CountryNamed), so a per-country table lists it once.
type CountryGroup struct {
	Code      string   // ISO 3166-1 alpha-3; "" for a country geotext does not know
	Name      string   // in English (the spelling itself when unknown)
	NameFR    string   // in French ("" when unknown)
	Spellings []string // as the cells write it, sorted
}

// CountryGroups returns the cells' countries, one per country code (each
// spelling geotext does not know is its own group), ordered by English name.
func (c *Cells) CountryGroups() []CountryGroup {
	by := map[string]*CountryGroup{}
	var out []*CountryGroup
	for _, name := range c.Countries() {
		key, g := CountryKey(name), CountryGroup{Name: name}
		if k := geotext.CountryNamed(name); k != nil {
			g = CountryGroup{Code: k.ISO3, Name: k.EN, NameFR: k.FR}
		}
		if by[key] == nil {
			by[key] = &g
			out = append(out, by[key])
		}
		by[key].Spellings = append(by[key].Spellings, name)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	groups := make([]CountryGroup, len(out))
	for i, g := range out {
		groups[i] = *g
	}
	return groups
}

// Countries returns the distinct country names.
func (c *Cells) Countries() []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range c.list {
		if !seen[x.Country] {
			seen[x.Country] = true
			out = append(out, x.Country)
		}
	}
	sort.Strings(out)
	return out
}

// ReadPrioCells reads a PRIO-GRID cell list with columns priogrid_gid
// (or gid, cell), (country code), country, cell_center_lat,
// cell_center_lon and optional population and friction columns, matched
// by header name. A refusal is invalid input (apperr) at the file's line
// naming the column as the header spells it: "cells.csv:4: gid: "x" is
// not a whole number".
func ReadPrioCells(r io.Reader, name string) (*Cells, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, apperr.At(name, 1, "", "the file is empty: want a header naming priogrid_gid (or gid, cell) and country")
	}
	if err != nil {
		return nil, apperr.AtLine(name, csvread.Line(cr, err), apperr.FieldErr(apperr.KindInvalid, "", apperr.CSVError(err)))
	}
	col := csvread.Columns(head)
	find := func(names ...string) (int, string, bool) {
		for _, n := range names {
			if i, ok := col[n]; ok {
				return i, csvread.Name(head[i]), true
			}
		}
		return -1, "", false
	}
	gi, gcol, ok := find("priogrid_gid", "gid", "cell")
	if !ok {
		return nil, apperr.At(name, 1, "", "missing column priogrid_gid (or gid, cell): the header names "+headerList(head))
	}
	ci, _, ok := find("country")
	if !ok {
		return nil, apperr.At(name, 1, "", "missing column country: the header names "+headerList(head))
	}
	pi, pcol, hasPop := find("population")
	fi, fcol, hasFr := find("friction")
	var cs []Cell
	seen := map[int]int{}
	err = csvread.Each(cr, name, func(rec []string, line int) error {
		get := func(i int) string { return csvread.Field(rec, i) }
		gid, err := strconv.Atoi(get(gi))
		if err != nil {
			if get(gi) == "" {
				return apperr.At(name, line, gcol, "is empty: want the cell's PRIO-GRID number")
			}
			return apperr.At(name, line, gcol, fmt.Sprintf("%q is not a whole number", get(gi)))
		}
		lat, lon, err := grid.PrioCenter(gid)
		if err != nil {
			return apperr.At(name, line, gcol, fmt.Sprintf("%d is not a PRIO-GRID cell (they are numbered 1 to %d)", gid, grid.PrioCols*grid.PrioRows))
		}
		if prev, dup := seen[gid]; dup {
			return apperr.At(name, line, gcol, fmt.Sprintf("cell %d is already listed on line %d", gid, prev))
		}
		seen[gid] = line
		c := Cell{GID: gid, Country: get(ci), Lat: lat, Lon: lon}
		if hasPop && get(pi) != "" {
			v, err := strconv.ParseFloat(get(pi), 64)
			if err != nil || !(v >= 0) || math.IsInf(v, 0) {
				return apperr.At(name, line, pcol, fmt.Sprintf("%q is not a number of people (want a number 0 or more, or nothing)", get(pi)))
			}
			c.Population = v
		}
		if hasFr && get(fi) != "" {
			var ok bool
			if c.Friction, ok = parseFriction(get(fi)); !ok {
				return apperr.At(name, line, fcol, fmt.Sprintf("%q is not a friction (want a number from 1 to 100, or nothing for none)", get(fi)))
			}
		}
		cs = append(cs, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, apperr.At(name, 0, "", "no cells: the file has a header and no rows")
	}
	return NewCells(cs), nil
}

// headerList is a header's column names, quoted, for a refusal.
func headerList(head []string) string {
	var names []string
	for i, h := range head {
		if i == 12 {
			return strings.Join(names, ", ") + fmt.Sprintf(" and %d more", len(head)-i)
		}
		names = append(names, strconv.Quote(csvread.Name(h)))
	}
	return strings.Join(names, ", ")
}

// parseFriction reads a friction multiplier, a number in 1..100.
func parseFriction(s string) (float64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !(v >= 1) || v > 100 {
		return 0, false
	}
	return v, true
}

// CountryAt is the country of the PRIO-GRID cell holding the point, when
// the set has that cell (ok false otherwise, also for a nil set).
func (c *Cells) CountryAt(lat, lon float64) (string, bool) {
	if c == nil {
		return "", false
	}
	gid, err := grid.PrioGID(lat, lon)
	if err != nil {
		return "", false
	}
	cell, ok := c.Get(gid)
	return cell.Country, ok
}
