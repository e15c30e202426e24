package coverage_test

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/geotext"
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
		{name: "no gid", in: "id,population\n1,2\n", err: "p.csv:1: missing a location column: gid (or priogrid_gid, cell)"},
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

// popGazetteer is a small gazetteer around testCells: Alpha (P-code
// AA01, in the cell base), its area Alpha District (admin2, P-code AA01
// too), Beta (AA02, cell base+1) also named in Cland; Twin twice in cell
// base+2; Kigoma in two distant cells; Farplace and P-code ZZ99 off the
// analysis grid.
func popGazetteer(t testing.TB) func() (*geotext.Gazetteer, error) {
	t.Helper()
	at := func(gid int) string {
		lat, lon, _ := grid.PrioCenter(gid)
		return strconv.FormatFloat(lat+0.1, 'f', 4, 64) + "," + strconv.FormatFloat(lon-0.1, 'f', 4, 64)
	}
	csv := "name,lat,lon,country,kind,pcode\n" +
		"Alpha," + at(base) + ",CAF,town,AA01\n" +
		"Alpha District," + at(base) + ",CAF,admin2,AA01\n" +
		"Beta," + at(base+1) + ",CAF,town,AA02\n" +
		"Beta," + at(base+5) + ",COD,town,\n" +
		"Twin," + at(base+2) + ",CAF,town,\n" +
		"Twin," + at(base+2) + ",CAF,locality,\n" +
		"Kigoma," + at(base+3) + ",TZA,town,TZ01\n" +
		"Kigoma," + at(base+6) + ",COD,town,TZ01\n" +
		"Farplace," + at(base+100) + ",CAF,town,ZZ99\n"
	g, err := geotext.LoadGazetteer(strings.NewReader(csv), "places.csv")
	if err != nil {
		t.Fatal(err)
	}
	return func() (*geotext.Gazetteer, error) { return g, nil }
}

// TestReadPopulationPlaces: besides the PRIO-GRID cell, a population
// row may be placed by its position (lat and lon), its P-code or its
// place name, found in the gazetteer when all their places are in one
// cell; rows placed so in one cell add up. A row that cannot be placed,
// or is placed off the grid, is refused at its line saying what to give
// instead, and nothing is read.
func TestReadPopulationPlaces(t *testing.T) {
	g := func(k int) string { return strconv.Itoa(base + k) }
	ll := func(k int) string {
		lat, lon, _ := grid.PrioCenter(base + k)
		return strconv.FormatFloat(lat, 'f', 3, 64) + "," + strconv.FormatFloat(lon, 'f', 3, 64)
	}
	cases := []struct {
		name, in string
		want     []coverage.PopCell
		err      string
	}{
		{name: "lat and lon", in: "lat,lon,population\n" + ll(0) + ",100\n" + ll(1) + ",50\n",
			want: []coverage.PopCell{{GID: base, Population: 100}, {GID: base + 1, Population: 50}}},
		{name: "latitude and longitude, two settlements of a cell add up", in: "Latitude,Longitude,population,friction\n" + ll(0) + ",100,\n" + ll(0) + ",20,2\n",
			want: []coverage.PopCell{{GID: base, Population: 120, Friction: 2}}},
		{name: "P-code: the area before the places within it", in: "pcode,population\naa01,300\nAA02,10\n",
			want: []coverage.PopCell{{GID: base, Population: 300}, {GID: base + 1, Population: 10}}},
		{name: "place name, accents and case ignored", in: "place,year,population\nALPHA,2020,7\nalpha district,2021,8\n",
			want: []coverage.PopCell{{GID: base, Year: 2020, Population: 7}, {GID: base, Year: 2021, Population: 8}}},
		{name: "a name's places in one cell", in: "place,population\nTwin,5\n", want: []coverage.PopCell{{GID: base + 2, Population: 5}}},
		{name: "country narrows a name", in: "place,country,population\nBeta,Central African Republic,4\nKigoma,TZA,6\n",
			want: []coverage.PopCell{{GID: base + 1, Population: 4}, {GID: base + 3, Population: 6}}},
		{name: "mixed: gid, else position, else P-code, else name", in: "gid,lat,lon,pcode,place,population\n" + g(4) + ",,,,,1\n," + ll(3) + ",,,2\n,,,AA02,,3\n,,,,Alpha,4\n",
			want: []coverage.PopCell{{GID: base + 4, Population: 1}, {GID: base + 3, Population: 2}, {GID: base + 1, Population: 3}, {GID: base, Population: 4}}},

		{name: "no location column", in: "name,population\nAlpha,1\n", err: "p.csv:1: missing a location column: gid (or priogrid_gid, cell), lat and lon, pcode or place"},
		{name: "lat without lon", in: "lat,population\n1,1\n", err: "p.csv:1: missing a location column"},
		{name: "no location in a row", in: "lat,lon,place,population\n" + ll(0) + ",,1\n,,,2\n", err: "p.csv:3: no location: give gid, lat and lon, pcode or place"},
		{name: "not a position", in: "lat,lon,population\n" + ll(0) + ",1\n95,20,1\n", err: `p.csv:3: lat "95", lon "20" is not a position (latitude -90..90, longitude -180..180)`},
		{name: "position off the grid", in: "lat,lon,population\n" + ll(0) + ",1\n-30.1,20.2,1\n", err: "p.csv:3: lat -30.1, lon 20.2 is in cell 86081, not a cell of the analysis grid (11 cells)"},
		{name: "unknown name", in: "place,population\nAlpha,1\nGamma,2\n", err: `p.csv:3: place "Gamma" is not in the gazetteer: give its lat and lon or its P-code, or add it to the gazetteer (Administration → Place names)`},
		{name: "ambiguous name", in: "place,population\nKigoma,2\n",
			err: `p.csv:2: place "Kigoma" is ambiguous: 2 places have this name (Kigoma (TZA); Kigoma (COD)): add a country column (ISO code) or give its lat and lon or its P-code`},
		{name: "unknown country", in: "place,country,population\nBeta,Atlantis,2\n", err: `p.csv:2: country "Atlantis" is not a country Vigil knows: give its ISO code (e.g. COD)`},
		{name: "unknown P-code", in: "pcode,population\nAA09,2\n", err: `p.csv:2: P-code "AA09" is not in the gazetteer: import the mission's gazetteer with its P-codes (Administration → Place names) or give lat and lon`},
		{name: "ambiguous P-code", in: "pcode,population\nTZ01,2\n", err: `p.csv:2: P-code "TZ01" is ambiguous: 2 places have it (Kigoma (TZA); Kigoma (COD)): give lat and lon instead`},
		{name: "place off the grid", in: "place,population\nFarplace,2\n", err: `p.csv:2: "Farplace" is in cell ` + g(100) + `, not a cell of the analysis grid (11 cells)`},
		{name: "place twice", in: "place,pcode,population\nAlpha,,2\n,AA01,3\nTwin,,1\nTwin,,1\n", err: `p.csv:5: "Twin" already given on line 4`},
		{name: "a cell by its gid and by a place", in: "gid,place,population\n" + g(0) + ",,2\n,Alpha,3\n", err: "p.csv:3: gid " + g(0) + " already given on line 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := coverage.ReadPopulationIn(strings.NewReader(c.in), "p.csv", testCells(false), popGazetteer(t))
			if wanterr.Check(t, err, c.err) {
				if got != nil {
					t.Errorf("refused, but read %+v", got)
				}
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
	f.Add("lat,lon,place,pcode,country,population\n0.3,20.2,,,,5\n,,Alpha,,,1\n,,,AA02,,2\n,,Beta,,CAF,3\n,,Kigoma,,,1\n")
	places := popGazetteer(f)
	f.Fuzz(func(t *testing.T, s string) {
		cells := testCells(false)
		pop, err := coverage.ReadPopulationIn(strings.NewReader(s), "f.csv", cells, places)
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
