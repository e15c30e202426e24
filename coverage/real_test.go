package coverage_test

import (
	"context"
	"os"
	"testing"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/shareddata"
)

func loadCells(t testing.TB) *coverage.Cells {
	t.Helper()
	f := shareddata.Open(t, "priogrid/priogrid_cells_6countries_gwno2014.csv")
	p := f.Name()
	cells, err := coverage.ReadPrioCells(f, p)
	if err != nil {
		t.Fatal(err)
	}
	return cells
}

func loadGeoPKO(t testing.TB, cells *coverage.Cells) []coverage.Deployment {
	t.Helper()
	f := shareddata.Open(t, "geopko/geopko_v2x_deployments_6countries_1994_2020.csv")
	p := f.Name()
	deps, err := coverage.ReadGeoPKO(f, p, cells)
	if err != nil {
		t.Fatal(err)
	}
	return deps
}

func TestRealGeoPKOAndUCDP(t *testing.T) {
	cells := loadCells(t)
	if cells.Len() != 2472 {
		t.Fatalf("%d cells, want 2472", cells.Len())
	}
	deps := loadGeoPKO(t, cells)
	if len(deps) != 6777 {
		t.Fatalf("%d deployments, want one per Geo-PKO row (6777)", len(deps))
	}
	es, err := coverage.ReadEventsFile(context.Background(), shareddata.Path(t, "ucdp/ged211_precise_6countries_1989_2018.csv"))
	if err != nil {
		t.Fatal(err)
	}
	inc := coverage.FromEvents(es)
	m := coverage.NewModel(cells, coverage.DefaultReach())
	r := m.Analyse(deps, inc, grid.MonthOf(1994, 1), grid.MonthOf(2018, 12))
	if r.Onsets == 0 {
		t.Fatal("no onsets of one-sided violence found")
	}
	for _, c := range r.PriorYear {
		if c.WithViolence == 0 || c.WithoutViolence == 0 {
			t.Errorf("%s: empty group", c.Definition)
		}
		t.Log(c)
	}
	// Every onset's months are within its follow-up.
	for _, o := range r.OnsetList {
		if o.Months > o.FollowUp || o.Months < -1 {
			t.Fatalf("onset %+v: months outside follow-up", o)
		}
	}
	if testing.Verbose() {
		r.WriteText(os.Stdout)
	}
}
