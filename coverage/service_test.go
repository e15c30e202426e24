package coverage

import (
	"context"
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
	gid := func(lat, lon float64) int {
		g, err := grid.PrioGID(lat, lon)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
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
