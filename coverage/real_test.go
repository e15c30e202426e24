package coverage_test

import (
	"context"
	"os"
	"slices"
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

// TestRealGeoPKOSiteCountryIsThePoint: a Geo-PKO site's country is where
// its point is, not the country holding most of its PRIO-GRID cell, and
// not "Sudan" for a site in today's South Sudan. Geo-PKO names UNMIS's
// sites (before the 2011 independence) and UNISFA's "Sudan" wherever they
// are, and places each point in its first-level unit (adm1.name, by point
// in polygon): 259 "Sudan" rows are in a South Sudan state (Juba, Gok
// Machar), while UNISFA's Agok, in South Kordufan, is in Sudan though its
// cell (142978) is mostly South Sudan's. Other countries keep the record's
// name: MINUSCA's Bangui is in the Central African Republic though its
// cell is mostly DR Congo's, UNMISS's Ezo in South Sudan though its cell
// is mostly the Central African Republic's.
func TestRealGeoPKOSiteCountryIsThePoint(t *testing.T) {
	cells := loadCells(t)
	deps := loadGeoPKO(t, cells)
	tests := []struct {
		mission, location, want, cell string // cell: the cell's (majority) country
	}{
		{"UNMIS", "Juba", "South Sudan", "South Sudan"},
		{"UNISFA", "Gok-machar", "South Sudan", "South Sudan"},
		{"UNISFA", "Agok", "Sudan", "South Sudan"},
		{"UNISFA", "Agok OB", "Sudan", "South Sudan"},
		{"UNMIS", "Kadugli", "Sudan", "Sudan"},
		{"UNMISS", "Ezo", "South Sudan", "Central African Republic"},
		{"MINUSCA", "Bangui", "Central African Republic", "DR Congo (Zaire)"},
		{"UNAMID", "El Fasher", "Sudan", "Sudan"},
	}
	for _, tc := range tests {
		t.Run(tc.mission+" "+tc.location, func(t *testing.T) {
			n := 0
			for _, d := range deps {
				if d.Mission != tc.mission || d.Location != tc.location {
					continue
				}
				n++
				if d.Country != tc.want {
					t.Fatalf("%s %s (%s): country %q, want %q", d.Mission, d.Location, d.Start, d.Country, tc.want)
				}
				if c, ok := cells.Get(d.Cell); !ok || c.Country != tc.cell {
					t.Fatalf("%s %s: cell %d is %q, want a cell of %q (the case the test is for)", d.Mission, d.Location, d.Cell, c.Country, tc.cell)
				}
			}
			if n == 0 {
				t.Fatalf("no row for %s %s", tc.mission, tc.location)
			}
		})
	}
	count := map[string]int{}
	for _, d := range deps {
		count[d.Country]++
	}
	// The file's own counts: 828 rows say "South Sudan", 2,406 "Sudan",
	// of which 259 are in a South Sudan state.
	if count["South Sudan"] != 828+259 || count["Sudan"] != 2406-259 {
		t.Errorf("South Sudan %d, Sudan %d sites; want %d and %d", count["South Sudan"], count["Sudan"], 828+259, 2406-259)
	}
	// UNMIS in 2008 is a mission of both countries of today.
	got := coverage.MissionCountries(deps, cells, grid.MonthOf(2008, 6))
	if !slices.Contains(got, "South Sudan") || !slices.Contains(got, "Sudan") {
		t.Errorf("mission countries in 2008-06: %q, want Sudan and South Sudan", got)
	}
}
