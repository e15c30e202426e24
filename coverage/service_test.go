package coverage

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/grid"
)

// TestDeriveGridAndMissionCandidates: with no configured grid, the analysis
// grid is the reference cells of the countries with deployments or events
// plus the cells around places outside the reference (labelled with their
// country); new sites are proposed only in the mission's countries even
// when the highest risk lies elsewhere.
func TestDeriveGridAndMissionCandidates(t *testing.T) {
	gid := func(lat, lon float64) int { return testGID(t, lat, lon) }
	cell := func(country string, lat, lon float64) Cell {
		g := gid(lat, lon)
		clat, clon, _ := grid.PrioCenter(g)
		return Cell{GID: g, Country: country, Lat: clat, Lon: clon}
	}
	// Reference: a strip of A cells west, B cells east, C far away.
	var ref []Cell
	for i := 0; i < 6; i++ {
		ref = append(ref, cell("A", 4.25, 18.25+0.5*float64(i)), cell("B", 4.25, 21.25+0.5*float64(i)))
	}
	ref = append(ref, cell("C", -10.25, 30.25))
	reference := NewCells(ref)

	mo := grid.MonthOf(2017, 7)
	deps := []Deployment{{SourceID: "a1", Country: "A", Lat: 4.25, Lon: 18.25, Cell: gid(4.25, 18.25), Start: mo - 12, End: mo + 12, Military: 100, Mobility: Foot}}
	// Violence in B (no mission there) and in Lebanon (outside the reference).
	inc := []Incident{
		{Cell: gid(4.25, 23.25), Month: mo - 1, Violence: events.OneSided, Country: "B"},
		{Cell: gid(4.25, 23.25), Month: mo - 2, Violence: events.OneSided, Country: "B"},
		{Cell: gid(4.25, 23.25), Month: mo - 3, Violence: events.OneSided, Country: "B"},
		{Cell: gid(33.27, 35.2), Month: mo - 1, Violence: events.OneSided, Country: "Lebanon"},
	}
	g := DeriveGrid(reference, deps, inc, nil)
	count := map[string]int{}
	for _, c := range g.All() {
		count[c.Country]++
	}
	if count["A"] != 6 || count["B"] != 6 || count["C"] != 0 {
		t.Errorf("reference countries in the derived grid: %v, want A 6, B 6, no C", count)
	}
	if want := 25; count["Lebanon"] != want { // the event's cell and two rings around it
		t.Errorf("%d cells around the Lebanon event, want %d", count["Lebanon"], want)
	}
	if c, ok := g.Get(gid(33.27, 35.2)); !ok || c.Country != "Lebanon" {
		t.Errorf("the Lebanon event's cell: %+v %v", c, ok)
	}
	// No data at all: the whole reference (seasons and population can be set
	// up first); a population layer in C brings C's cells in.
	if all := DeriveGrid(reference, nil, nil, nil); all.Len() != reference.Len() {
		t.Errorf("empty store: %d cells, want the reference's %d", all.Len(), reference.Len())
	}
	withPop := DeriveGrid(reference, deps, nil, []PopCell{{GID: gid(-10.25, 30.25), Population: 10}})
	if _, ok := withPop.Get(gid(-10.25, 30.25)); !ok {
		t.Errorf("the population layer's country is not in the grid")
	}

	p := &Prepared{Cells: g, Deps: deps, Inc: inc, Recent: NewRecentViolence(inc, 12), models: map[int]*Model{}, Reach: DefaultReach()}
	if got := p.MissionCountries(mo); len(got) != 1 || got[0] != "A" {
		t.Fatalf("mission countries %v, want [A]", got)
	}
	m := p.Model(mo)
	for _, countries := range [][]string{nil, p.MissionCountries(mo)} {
		res, err := m.Plan(context.Background(), deps, p.Recent, PlanRequest{Month: mo, P: 1, Mobility: Vehicle, Countries: countries})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Chosen) != 1 {
			t.Fatalf("chosen %v", res.Chosen)
		}
		c, _ := g.Get(gid(res.Chosen[0].Lat, res.Chosen[0].Lon))
		t.Logf("countries %v: chose %+v in %s; before %v after %v total %v", countries, res.Chosen[0], c.Country, res.Before, res.After, res.Total)
		if countries == nil && c.Country == "A" {
			t.Errorf("without a country limit the optimiser should go where the risk is (B or Lebanon), chose %s", c.Country)
		}
		if countries != nil && c.Country != "A" {
			t.Errorf("with the mission's countries, a site in %s was proposed", c.Country)
		}
	}
}

// TestCountrySpellingsAreOneCountry: the derived grid labels the reference
// cells with UCDP's spelling ("DR Congo (Zaire)") and the cells around a
// place outside the reference with the spelling its data gives
// ("Democratic Republic of the Congo"); they are one country (ISO3 COD):
// the rainy-season list names it once in both languages, its rainy months
// shorten reach in the cells of either spelling, a site in one spelling
// makes a far cell of the other "too far" (not "no site"), and an onset in
// a cell of the other spelling counts under the mission deployed there.
func TestCountrySpellingsAreOneCountry(t *testing.T) {
	gid := func(lat, lon float64) int { return testGID(t, lat, lon) }
	var ref []Cell
	for _, lon := range []float64{29.25, 29.75, 30.25, 30.75} {
		g := gid(-1.25, lon)
		ref = append(ref, Cell{GID: g, Country: "DR Congo (Zaire)", Lat: -1.25, Lon: lon})
	}
	rainy, dry := grid.MonthOf(2017, 4), grid.MonthOf(2017, 7) // COD's default rainy months include April, not July
	// An air-mobile site 142 km west of the cell at lon 31.25: inside dry
	// reach (150 km), outside rainy reach (135 km).
	site := Deployment{SourceID: "bukavu", Mission: "MONUSCO", Country: "DR Congo (Zaire)", Lat: -1.25, Lon: 31.25 - 142/(111.32*0.99976),
		Start: rainy - 30, End: dry + 12, Military: 300, Mobility: Air}
	site.Cell = gid(site.Lat, site.Lon)
	far := gid(-1.25, 32.25) // outside the reference: labelled with the incident's spelling
	inc := []Incident{
		{Cell: ref[0].GID, Month: rainy - 24, Violence: events.OneSided, Country: "DR Congo (Zaire)"},
		{Cell: far, Month: rainy, Violence: events.OneSided, Country: "Democratic Republic of the Congo"},
	}
	g := DeriveGrid(NewCells(ref), []Deployment{site}, inc, nil)
	near := gid(-1.25, 31.25)
	if c, _ := g.Get(near); c.Country != "Democratic Republic of the Congo" {
		t.Fatalf("cell at lon 31.25 is %q, want the incident's spelling", c.Country)
	}
	p := &Prepared{Cells: g, Deps: []Deployment{site}, Inc: inc, models: map[int]*Model{}, Reach: DefaultReach()}

	var listed []SeasonCountry
	for _, c := range seasonSettings(p).Countries {
		if c.Country == "COD" || strings.Contains(c.Country, "Congo") {
			listed = append(listed, c)
		}
	}
	if len(listed) != 1 || listed[0].Country != "COD" || listed[0].Name != "DR Congo" || listed[0].NameFR != "RD Congo" ||
		!slices.Equal(listed[0].RainyMonths, []int{3, 4, 5, 9, 10, 11}) {
		t.Errorf("rainy-season list for DR Congo: %+v, want one COD row named DR Congo / RD Congo with its default months", listed)
	}

	reason := func(mo grid.Month, cell int) CellMonth {
		for _, c := range p.Model(mo).Month(p.Deps, mo, nil) {
			if c.Cell == cell {
				return c
			}
		}
		t.Fatalf("cell %d not in the grid", cell)
		return CellMonth{}
	}
	if c := reason(dry, near); !c.Covered {
		t.Errorf("dry month: the cell 142 km from an air site is not covered: %+v", c)
	}
	if c := reason(rainy, near); c.Covered || c.Reason != ReasonSeasonal {
		t.Errorf("rainy month: the cell 142 km from an air site (other spelling of the site's country) is %+v, want uncovered, %q", c, ReasonSeasonal)
	}
	if c := reason(dry, far); c.Covered || c.Reason != ReasonTooFar {
		t.Errorf("a far cell of the site's country (other spelling) is %+v, want uncovered, %q", c, ReasonTooFar)
	}

	m := p.Model(rainy)
	onsets := m.Responsiveness(m.Panel(p.Deps, rainy-30, dry), inc, 12)
	if len(onsets) != 1 || onsets[0].Cell != far || onsets[0].Mission != "MONUSCO" {
		t.Errorf("onsets %+v, want the one in cell %d under MONUSCO", onsets, far)
	}
}

// testGID is the PRIO-GRID cell of a point (the test fails on a bad one).
func testGID(t *testing.T, lat, lon float64) int {
	t.Helper()
	g, err := grid.PrioGID(lat, lon)
	if err != nil {
		t.Fatal(err)
	}
	return g
}
