package coverage_test

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/testutil/wanterr"
)

func TestReadPopulation(t *testing.T) {
	g := func(k int) string { return strconv.Itoa(base + k) }
	cases := []struct {
		name, in string
		want     []coverage.PopCell
		err      string
	}{
		{name: "plain", in: "gid,population\n" + g(0) + ",1000\n" + g(1) + ",2.5e3\n",
			want: []coverage.PopCell{{GID: base, Population: 1000}, {GID: base + 1, Population: 2500}}},
		{name: "friction, any order, BOM, other columns, blank friction", in: "\ufeffpopulation,Friction,priogrid_gid,note\n5,1.5," + g(2) + ",x\n7,," + g(3) + ",y\n",
			want: []coverage.PopCell{{GID: base + 2, Population: 5, Friction: 1.5}, {GID: base + 3, Population: 7}}},
		{name: "cell-year", in: "cell,year,population\n" + g(0) + ",2015,10\n" + g(0) + ",2020,12\n",
			want: []coverage.PopCell{{GID: base, Year: 2015, Population: 10}, {GID: base, Year: 2020, Population: 12}}},
		{name: "empty", in: "", err: "p.csv:1: empty file"},
		{name: "no gid", in: "id,population\n1,2\n", err: "p.csv:1: missing column gid"},
		{name: "no population", in: "gid,people\n1,2\n", err: "p.csv:1: missing column population"},
		{name: "duplicate column", in: "gid,population,population\n", err: `p.csv:1: column "population" appears twice`},
		{name: "header only", in: "gid,population\n", err: "p.csv: no rows after the header"},
		{name: "gid not integer", in: "gid,population\n" + g(0) + ",1\nabc,2\n", err: `p.csv:3: gid "abc" is not an integer`},
		{name: "gid outside the grid", in: "gid,population\n1,2\n", err: "p.csv:2: gid 1 is not a cell of the analysis grid (11 cells)"},
		{name: "negative population", in: "gid,population\n" + g(0) + ",-1\n", err: `p.csv:2: population "-1" must be a number in 0..1e9`},
		{name: "NaN population", in: "gid,population\n" + g(0) + ",NaN\n", err: `p.csv:2: population "NaN"`},
		{name: "missing population", in: "gid,population\n" + g(0) + "\n", err: `p.csv:2: population ""`},
		{name: "friction below 1", in: "gid,population,friction\n" + g(0) + ",1,0.5\n", err: `p.csv:2: friction "0.5" must be a number in 1..100`},
		{name: "bad year", in: "gid,year,population\n" + g(0) + ",20x,1\n", err: `p.csv:2: year "20x" must be an integer in 1900..2100`},
		{name: "duplicate gid", in: "gid,population\n" + g(0) + ",1\n" + g(1) + ",1\n" + g(0) + ",3\n", err: "p.csv:4: gid " + g(0) + " already given on line 2"},
		{name: "duplicate gid-year", in: "gid,year,population\n" + g(0) + ",2015,1\n" + g(0) + ",2015,3\n", err: "p.csv:3: gid " + g(0) + " year 2015 already given on line 2"},
		{name: "bad quote", in: "gid,population\n" + g(0) + ",\"1\n", err: "p.csv:2:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := coverage.ReadPopulation(strings.NewReader(c.in), "p.csv", testCells(false))
			if wanterr.Check(t, err, c.err) {
				return
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestLayerYear(t *testing.T) {
	for _, c := range []struct {
		years   []int
		y, want int
	}{
		{nil, 2017, 0}, {[]int{0}, 2017, 0}, {[]int{0, 2015, 2020}, 2017, 2015}, {[]int{2015, 2020}, 2020, 2020},
		{[]int{2015, 2020}, 2030, 2020}, {[]int{2015, 2020}, 2010, 2015},
	} {
		if got := coverage.LayerYear(c.years, c.y); got != c.want {
			t.Errorf("LayerYear(%v, %d) = %d, want %d", c.years, c.y, got, c.want)
		}
	}
}

// A population layer changes personnel per population and the gap ranking;
// friction shrinks reach; a year's rows override the every-year rows.
func TestPopulationLayerInModel(t *testing.T) {
	cells := testCells(false)
	pop := []coverage.PopCell{
		{GID: base + 8, Population: 100}, {GID: base + 9, Population: 50000},
		{GID: base + 9, Year: 2020, Population: 10}, // 2020: few people in cell 9
		{GID: base + 1, Population: 2000, Friction: 100},
	}
	mo := grid.MonthOf(2019, 3)
	dep := coverage.Deployment{SourceID: "s", Lat: cells.All()[0].Lat, Lon: cells.All()[0].Lon, Mobility: coverage.Vehicle,
		Start: mo - 24, End: mo + 24, Military: 100}
	risk := coverage.RiskFunc(func(cell int, m grid.Month) float64 { return 1 })

	plain := coverage.NewModel(cells, testReach()).Month([]coverage.Deployment{dep}, mo, risk)
	m := coverage.NewModel(cells.WithPopulation(pop, 0), testReach())
	cms := m.Month([]coverage.Deployment{dep}, mo, risk)
	if !plain[1].Covered || cms[1].Covered {
		t.Errorf("friction 100 should put cell 1 out of reach: plain %v, with friction %v", plain[1].Covered, cms[1].Covered)
	}
	if cms[0].Population != 0 || cms[0].PersonnelPer10k != 0 {
		t.Errorf("cell 0 has no population: %+v", cms[0])
	}
	gaps := coverage.Gaps(cms, 0)
	if len(gaps) == 0 || gaps[0].Cell != base+9 || gaps[0].GapScore != 50000 {
		t.Fatalf("gap list not ranked by risk × people: %+v", gaps)
	}
	for _, g := range gaps {
		if g.Population == 0 {
			t.Errorf("cell %d with no people in the gap list (score %v)", g.Cell, g.GapScore)
		}
	}
	// Without a layer: every uncovered cell with risk is a gap, scored by risk.
	if g := coverage.Gaps(plain, 0); len(g) == 0 || g[0].GapScore != 1 {
		t.Errorf("gaps without population: %+v", g)
	}
	// The 2020 rows override the every-year rows.
	m20 := coverage.NewModel(cells.WithPopulation(pop, 2020), testReach())
	g20 := coverage.Gaps(m20.Month([]coverage.Deployment{dep}, mo, risk), 0)
	if g20[0].Cell != base+1 || g20[0].GapScore != 2000 {
		t.Errorf("2020 layer: top gap %+v, want cell %d with 2000", g20[0], base+1)
	}
	// Personnel per 10,000 people where population is known.
	cov := coverage.NewModel(cells.WithPopulation([]coverage.PopCell{{GID: base, Population: 2000}}, 0), testReach()).
		Month([]coverage.Deployment{dep}, mo, risk)
	if cov[0].PersonnelPer10k != 500 {
		t.Errorf("personnel per 10k = %v, want 500", cov[0].PersonnelPer10k)
	}
}

func TestCheckSeasons(t *testing.T) {
	known := []string{"Aland", "Bland"}
	cases := []struct {
		in    map[string][]int
		field string
	}{
		{map[string][]int{"Aland": {6, 7}, "Bland": {}}, ""},
		{map[string][]int{"Aland": nil}, ""},
		{map[string][]int{"Aland": {0}}, "rainy_months.Aland"},
		{map[string][]int{"Aland": {13}}, "rainy_months.Aland"},
		{map[string][]int{"Aland": {6, 6}}, "rainy_months.Aland"},
		{map[string][]int{"Zland": {6}}, "rainy_months.Zland"},
		{map[string][]int{" ": {6}}, "rainy_months"},
	}
	for _, c := range cases {
		err := coverage.CheckSeasons(c.in, known)
		var fe *apperr.Error
		if c.field == "" {
			if err != nil {
				t.Errorf("%v: %v", c.in, err)
			}
			continue
		}
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%v: error %v, want field %s", c.in, err, c.field)
		}
	}
	// Seasons change reach: vehicle reach halves in Aland's rainy month.
	r := testReach().WithSeasons(map[string][]int{"Aland": {3}})
	if !r.Rainy("Aland", grid.MonthOf(2019, 3)) || r.Rainy("Aland", grid.MonthOf(2019, 7)) {
		t.Errorf("WithSeasons did not replace Aland's months: %v", r.RainyMonths)
	}
	if testReach().RainyMonths["Aland"][0] != 7 {
		t.Error("WithSeasons modified its receiver")
	}
}

func FuzzReadPopulation(f *testing.F) {
	f.Add("gid,population,friction\n" + strconv.Itoa(base) + ",1000,2\n")
	f.Add("cell,year,population\n" + strconv.Itoa(base) + ",2015,10\n" + strconv.Itoa(base) + ",2016,1e3\n")
	f.Add("gid,population\n1,NaN\n\"x")
	f.Fuzz(func(t *testing.T, s string) {
		cells := testCells(false)
		pop, err := coverage.ReadPopulation(strings.NewReader(s), "f.csv", cells)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.csv") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		seen := map[[2]int]bool{}
		for _, p := range pop {
			if !cells.Has(p.GID) || !(p.Population >= 0) || (p.Friction != 0 && !(p.Friction >= 1 && p.Friction <= 100)) || seen[[2]int{p.GID, p.Year}] {
				t.Fatalf("invalid row accepted: %+v", p)
			}
			seen[[2]int{p.GID, p.Year}] = true
		}
		_ = cells.WithPopulation(pop, coverage.LayerYear(coverage.PopulationYears(pop), 2017))
	})
}
