package coverage_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
)

// A strip of 10 cells along the equator (55.6 km apart), five in "Aland"
// (rainy in July) and five in "Bland"; a second strip far north in "Cland".
const base = 180*720 + 401 // PRIO gid of the cell centred at 0.25N, 20.25E

func testCells(pop bool) *coverage.Cells { return testCellsIn(pop, "Aland", "Bland", "Cland") }

// testCellsIn is testCells with the three countries named a, b and c.
func testCellsIn(pop bool, a, b, c string) *coverage.Cells {
	var cs []coverage.Cell
	for k := 0; k < 10; k++ {
		gid := base + k
		lat, lon, _ := grid.PrioCenter(gid)
		cell := coverage.Cell{GID: gid, Lat: lat, Lon: lon, Country: a}
		if k >= 5 {
			cell.Country = b
		}
		if pop {
			cell.Population = float64(1000 * (k + 1))
		}
		cs = append(cs, cell)
	}
	far := base + 20*720 // 10° north
	lat, lon, _ := grid.PrioCenter(far)
	cs = append(cs, coverage.Cell{GID: far, Lat: lat, Lon: lon, Country: c})
	return coverage.NewCells(cs)
}

func testReach() coverage.ReachConfig {
	return coverage.ReachConfig{
		KM:          map[coverage.Mobility]float64{coverage.Foot: 10, coverage.Vehicle: 120, coverage.Air: 300},
		RainyFactor: map[coverage.Mobility]float64{coverage.Vehicle: 0.5},
		RainyMonths: map[string][]int{"Aland": {7}},
	}
}

func site(id string, k int, start, end grid.Month, mil int, mob coverage.Mobility) coverage.Deployment {
	lat, lon, _ := grid.PrioCenter(base + k)
	d := coverage.Deployment{Source: "test", SourceID: id, Mission: "TEST", Lat: lat, Lon: lon, Start: start, End: end, Military: mil, Mobility: mob, Kind: coverage.COB}
	if err := d.Validate(nil); err != nil {
		panic(err)
	}
	return d
}

func TestMonthCoverageAndGaps(t *testing.T) {
	cells := testCells(false)
	m := coverage.NewModel(cells, testReach())
	jan, jul := grid.MonthOf(2020, 1), grid.MonthOf(2020, 7)
	deps := []coverage.Deployment{site("A", 2, jan, jul, 150, coverage.Vehicle)}
	risk := coverage.RiskFunc(func(cell int, m grid.Month) float64 { return float64(cell - base + 1) })
	cases := []struct {
		name        string
		mo          grid.Month
		wantCovered []int // offsets from base
		wantReason  map[int]string
	}{
		{"dry season: ±2 cells (111 km ≤ 120)", jan, []int{0, 1, 2, 3, 4},
			map[int]string{5: "no site", 9: "no site", 7200: "no site"}},
		{"rainy season in Aland halves vehicle reach: ±1 cell", jul, []int{1, 2, 3},
			map[int]string{0: "seasonal", 4: "seasonal", 5: "no site"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cms := m.Month(deps, tc.mo, risk)
			var got []int
			for _, c := range cms {
				if c.Covered {
					got = append(got, c.Cell-base)
					if c.Personnel != 150 || c.Sites != 1 || c.UncoveredRisk != 0 {
						t.Errorf("cell %d: personnel %d sites %d uncovered risk %v", c.Cell, c.Personnel, c.Sites, c.UncoveredRisk)
					}
				} else if c.UncoveredRisk != c.Risk {
					t.Errorf("cell %d: uncovered risk %v != risk %v", c.Cell, c.UncoveredRisk, c.Risk)
				}
			}
			if !slices.Equal(got, tc.wantCovered) {
				t.Errorf("covered %v, want %v", got, tc.wantCovered)
			}
			for off, want := range tc.wantReason {
				for _, c := range cms {
					if c.Cell == base+off && c.Reason != want {
						t.Errorf("cell +%d: reason %q, want %q", off, c.Reason, want)
					}
				}
			}
			gaps := coverage.Gaps(cms, 3)
			if len(gaps) != 3 {
				t.Fatalf("%d gaps, want 3", len(gaps))
			}
			for k := 1; k < len(gaps); k++ {
				if gaps[k].GapScore > gaps[k-1].GapScore {
					t.Errorf("gaps not ranked: %v", gaps)
				}
			}
		})
	}
	// Outside its dates the site covers nothing.
	for _, c := range m.Month(deps, grid.MonthOf(2020, 8), nil) {
		if c.Covered {
			t.Errorf("cell %d covered after the site's end", c.Cell)
		}
	}
}

func TestTooFarAndPopulation(t *testing.T) {
	cells := testCells(true)
	m := coverage.NewModel(cells, testReach())
	jan := grid.MonthOf(2020, 1)
	// A foot site in Bland (cell 7) covers only its own cell; the rest of
	// Bland is "too far", Aland has no site.
	deps := []coverage.Deployment{site("F", 7, jan, jan, 40, coverage.Foot)}
	cms := m.Month(deps, jan, coverage.RiskFunc(func(int, grid.Month) float64 { return 1 }))
	for _, c := range cms {
		off := c.Cell - base
		switch {
		case off == 7:
			if !c.Covered || math.Abs(c.PersonnelPer10k-40.0/8000*1e4) > 1e-9 {
				t.Errorf("own cell: covered %v per10k %v", c.Covered, c.PersonnelPer10k)
			}
		case off >= 5 && off <= 9:
			if c.Reason != coverage.ReasonTooFar {
				t.Errorf("cell +%d: reason %q, want too far", off, c.Reason)
			}
		case off < 5:
			if c.Reason != coverage.ReasonNoSite {
				t.Errorf("cell +%d: reason %q, want no site", off, c.Reason)
			}
		}
	}
	// Gap score is risk × population: the most populous uncovered cell first.
	if g := coverage.Gaps(cms, 1); g[0].Cell != base+9 {
		t.Errorf("top gap %d, want +9", g[0].Cell-base)
	}
}

func TestResponsiveness(t *testing.T) {
	cells := testCells(false)
	m := coverage.NewModel(cells, testReach())
	from, to := grid.MonthOf(2010, 1), grid.MonthOf(2012, 12)
	onset := grid.MonthOf(2011, 6)
	deps := []coverage.Deployment{
		site("HQ", 9, from, to, 800, coverage.Vehicle),     // keeps a mission present in Bland
		site("TOB", 1, onset+3, to, 150, coverage.Vehicle), // arrives 3 months after onset in Aland
		site("AlandHQ", 4, from, to, 300, coverage.Foot),   // mission present in Aland, covers only cell 4
	}
	inc := []coverage.Incident{
		{Cell: base + 0, Month: onset, Violence: 3, State: true},
		{Cell: base + 0, Month: onset + 1, Violence: 3}, // continuing, not a new onset
		{Cell: base + 4, Month: onset, Violence: 3},     // covered at onset
		{Cell: base + 2, Month: from + 2, Violence: 3},  // too early: history unseen
	}
	p := m.Panel(deps, from, to)
	os := m.Responsiveness(p, inc, 12)
	got := map[int]coverage.Onset{}
	for _, o := range os {
		got[o.Cell-base] = o
	}
	if len(os) != 2 {
		t.Fatalf("%d onsets, want 2: %+v", len(os), os)
	}
	if o := got[0]; o.Months != 3 || o.Perpetrator != "state" || o.Mission != "TEST" {
		t.Errorf("cell 0 onset %+v, want 3 months, state", o)
	}
	if o := got[4]; o.Months != 0 || o.Perpetrator != "non-state" {
		t.Errorf("cell 4 onset %+v, want 0 months", o)
	}
	ds := coverage.Distributions(os, func(o coverage.Onset) string { return o.Perpetrator })
	if len(ds) != 2 || ds[0].Group != "non-state" || ds[0].CoveredAtOnset != 1 || ds[1].MedianMonths != 3 {
		t.Errorf("distributions %+v", ds)
	}
	chk := m.PriorYear(p, inc, "osv", func(x coverage.Incident) bool { return x.Violence == 3 })
	// 2011 and 2012 with a prior-year check: cell 2 had violence in 2010
	// (covered by the TOB in 2011 only from September: covered), cells 0
	// and 4 had violence in 2011 (both covered in 2012).
	if chk.WithViolence != 3 || chk.WithViolenceCov != 3 {
		t.Errorf("prior-year check %+v", chk)
	}
}

// TestCutLostCellsNameCountryInFrench: each cell a cut leaves unprotected
// carries its country's French name (the planner's lost-cell list on the
// French page), also for UCDP's "DR Congo (Zaire)".
func TestCutLostCellsNameCountryInFrench(t *testing.T) {
	m := coverage.NewModel(testCellsIn(false, "Central African Republic", "DR Congo (Zaire)", "Chad"), testReach())
	jan := grid.MonthOf(2020, 1)
	deps := []coverage.Deployment{site("west", 1, jan, jan, 150, coverage.Vehicle), site("east", 7, jan, jan, 120, coverage.Vehicle)}
	_, thin, err := m.Cut(context.Background(), deps, coverage.RiskFunc(func(int, grid.Month) float64 { return 1 }), coverage.CutRequest{Month: jan, Share: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"Central African Republic": "République centrafricaine", "DR Congo (Zaire)": "RD Congo"}
	seen := map[string]bool{}
	for _, c := range thin.CellsLost {
		seen[c.Country] = true
		if c.CountryFR != want[c.Country] {
			t.Errorf("lost cell %d in %q: French name %q, want %q", c.Cell, c.Country, c.CountryFR, want[c.Country])
		}
	}
	if len(seen) != 2 {
		t.Errorf("lost cells in %v, want both countries of the strip", seen)
	}
}

func TestCutTargetedBeatsThinning(t *testing.T) {
	cells := testCells(false)
	m := coverage.NewModel(cells, testReach())
	jan := grid.MonthOf(2020, 1)
	deps := []coverage.Deployment{
		site("west", 1, jan, jan, 150, coverage.Vehicle),
		site("west-dup", 1, jan, jan, 150, coverage.Vehicle), // redundant with west
		site("east", 7, jan, jan, 120, coverage.Vehicle),
		site("obs", 9, jan, jan, 35, coverage.Vehicle),
	}
	risk := coverage.RiskFunc(func(int, grid.Month) float64 { return 1 })
	for _, tc := range []struct {
		share      float64
		withdrawn  []string // targeted
		thinClosed []string
	}{
		// 26%: every kept site's core fits, so nothing closes; surplus is trimmed.
		{0.26, nil, []string{"east"}},
		// 50%: the redundant duplicate closes; thinning closes every company.
		{0.5, []string{"west-dup"}, []string{"west", "west-dup", "east"}},
	} {
		tg, th, err := m.Cut(context.Background(), deps, risk, coverage.CutRequest{Month: jan, Share: tc.share})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(tg.Withdrawn, tc.withdrawn) || len(tg.CellsLost) != 0 || tg.CoveredAfter != tg.CoveredBefore {
			t.Errorf("%v targeted: withdrew %v, lost %v, covered %v→%v", tc.share, tg.Withdrawn, tg.CellsLost, tg.CoveredBefore, tg.CoveredAfter)
		}
		if math.Abs(tg.Removed-tg.Target) > 1e-6 {
			t.Errorf("%v targeted removed %v, target %v", tc.share, tg.Removed, tg.Target)
		}
		if !slices.Equal(th.Withdrawn, tc.thinClosed) || len(th.CellsLost) == 0 || th.CoveredAfter >= tg.CoveredAfter {
			t.Errorf("%v thinning: closed %v lost %d covered %v (targeted %v)", tc.share, th.Withdrawn, len(th.CellsLost), th.CoveredAfter, tg.CoveredAfter)
		}
		if th.ReachPersonnelAfter >= th.ReachPersonnelBefore || tg.ReachPersonnelAfter >= tg.ReachPersonnelBefore {
			t.Errorf("%v: personnel in reach did not fall", tc.share)
		}
	}
	for _, bad := range []coverage.CutRequest{{Month: jan, Share: 0}, {Month: jan, Share: 1.2}, {Month: jan, Share: .2, Basis: "tanks"}, {Month: jan + 5, Share: .2}} {
		if _, _, err := m.Cut(context.Background(), deps, risk, bad); err == nil {
			t.Errorf("cut %+v: no error", bad)
		}
	}
}

func TestPlanAndTry(t *testing.T) {
	cells := testCells(false)
	m := coverage.NewModel(cells, testReach())
	jan := grid.MonthOf(2020, 1)
	deps := []coverage.Deployment{site("west", 1, jan, jan, 150, coverage.Vehicle)} // covers 0..3
	risk := coverage.RiskFunc(func(cell int, _ grid.Month) float64 {
		if cell == base+8 {
			return 10
		}
		return 1
	})
	res, err := m.Plan(context.Background(), deps, risk, coverage.PlanRequest{Month: jan, P: 1, Mobility: coverage.Vehicle})
	if err != nil {
		t.Fatal(err)
	}
	// One vehicle TOB covering ±2 cells: best is centred on +7 (cells 5..9 = 14) ...
	// or +6 (4..8 = 14); the lower index wins ties in the optimiser's order.
	if len(res.Chosen) != 1 || res.After-res.Before != 14 || !res.Solution.Optimal {
		t.Errorf("plan %+v gained %v", res.Chosen, res.After-res.Before)
	}
	try, err := m.Try(deps, risk, jan, "", coverage.Candidate{ID: "mine", Lat: cells.All()[8].Lat, Lon: cells.All()[8].Lon, Mobility: coverage.Vehicle})
	if err != nil {
		t.Fatal(err)
	}
	if try.Gained != 13 || !slices.Equal(try.CellsGained, []int{base + 6, base + 7, base + 8, base + 9}) {
		t.Errorf("try gained %v cells %v", try.Gained, try.CellsGained)
	}
	if _, err := m.Plan(context.Background(), deps, risk, coverage.PlanRequest{Month: jan, P: 100}); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("p=100: %v", err)
	}
	if _, err := m.Plan(context.Background(), deps, risk, coverage.PlanRequest{Month: jan, Weight: "population", P: 1}); err == nil {
		t.Error("population weights without a population layer: no error")
	}
}

func TestNativeImportErrors(t *testing.T) {
	cells := testCells(false)
	head := "id,mission,kind,lat,lon,start,end,military,police,civilian,women,men,units,mobility\n"
	lat, lon, _ := grid.PrioCenter(base)
	ok := fmt.Sprintf("s1,TEST,tob,%v,%v,2020-01,2020-06-30,100,10,5,20,80,infantry;medical,foot\n", lat, lon)
	cases := []struct {
		name, row, want string
	}{
		{"end before start", fmt.Sprintf("s2,TEST,tob,%v,%v,2020-05,2020-03,1,0,0,0,0,,foot\n", lat, lon), "in.csv:3: end: 2020-03 is before start 2020-05"},
		{"negative personnel", fmt.Sprintf("s2,TEST,tob,%v,%v,2020-05,2020-06,-4,0,0,0,0,,foot\n", lat, lon), "in.csv:3: military: -4 is negative"},
		{"outside the grid", "s2,TEST,tob,48.85,2.35,2020-05,2020-06,4,0,0,0,0,,foot\n", "in.csv:3: lat: site at 48.8500,2.3500 (PRIO-GRID cell"},
		{"bad latitude", "s2,TEST,tob,95,2.35,2020-05,2020-06,4,0,0,0,0,,foot\n", "in.csv:3: lat: latitude 95 outside -90..90"},
		{"bad kind", fmt.Sprintf("s2,TEST,fortress,%v,%v,2020-05,2020-06,4,0,0,0,0,,foot\n", lat, lon), `in.csv:3: kind: "fortress"`},
		{"bad mobility", fmt.Sprintf("s2,TEST,tob,%v,%v,2020-05,2020-06,4,0,0,0,0,,boat\n", lat, lon), `in.csv:3: mobility: "boat"`},
		{"bad unit", fmt.Sprintf("s2,TEST,tob,%v,%v,2020-05,2020-06,4,0,0,0,0,cavalry,foot\n", lat, lon), `in.csv:3: units: unknown unit type "cavalry"`},
		{"sex exceeds personnel", fmt.Sprintf("s2,TEST,tob,%v,%v,2020-05,2020-06,4,0,0,3,3,,foot\n", lat, lon), "in.csv:3: women: women 3 + men 3 exceed personnel 4"},
		{"bad date", fmt.Sprintf("s2,TEST,tob,%v,%v,2020-13,2020-06,4,0,0,0,0,,foot\n", lat, lon), "in.csv:3: start:"},
		{"duplicate id", fmt.Sprintf("s1,TEST,tob,%v,%v,2020-05,2020-06,4,0,0,0,0,,foot\n", lat, lon), `in.csv:3: id: duplicate id "s1" (line 2)`},
		{"fractional personnel", fmt.Sprintf("s2,TEST,tob,%v,%v,2020-05,2020-06,4.5,0,0,0,0,,foot\n", lat, lon), `in.csv:3: military: "4.5" is not a whole number`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := coverage.ReadCSV(strings.NewReader(head+ok+tc.row), "in.csv", cells)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
	deps, err := coverage.ReadCSV(strings.NewReader(head+ok), "in.csv", cells)
	if err != nil {
		t.Fatal(err)
	}
	d := deps[0]
	if d.Kind != coverage.TOB || d.Start != grid.MonthOf(2020, 1) || d.End != grid.MonthOf(2020, 6) || d.Personnel() != 115 || d.Women != 20 || !slices.Equal(d.Units, []string{"infantry", "medical"}) || d.Cell != base {
		t.Errorf("parsed %+v", d)
	}
}

func TestGeoJSONImport(t *testing.T) {
	cells := testCells(false)
	lat, lon, _ := grid.PrioCenter(base + 3)
	good := fmt.Sprintf(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[%v,%v]},
	"properties":{"id":"t1","mission":"TEST","kind":"tob","start":"2021-02","end":"2021-04","military":60,"units":["infantry"],"mobility":"foot"}}]}`, lon, lat)
	deps, err := coverage.ReadGeoJSON(strings.NewReader(good), "in.geojson", cells)
	if err != nil || len(deps) != 1 || deps[0].Cell != base+3 || deps[0].Military != 60 {
		t.Fatalf("deps %+v err %v", deps, err)
	}
	bad := strings.Replace(good, `"end":"2021-04"`, `"end":"2020-04"`, 1)
	if _, err := coverage.ReadGeoJSON(strings.NewReader(bad), "in.geojson", cells); err == nil || !strings.Contains(err.Error(), "in.geojson: feature 0: end: 2020-04 is before start 2021-02") {
		t.Errorf("end before start: %v", err)
	}
}

func TestGeoPKOSpans(t *testing.T) {
	cells := testCells(false)
	lat, lon, _ := grid.PrioCenter(base + 2)
	in := "mission,year,month,location,latitude,longitude,no.troops,inf,avia,hq,company,fpu,fpu.no\n" +
		fmt.Sprintf("M,2005,3,A,%v,%v,650,1,0,1,0,0,0\n", lat, lon) +
		fmt.Sprintf("M,2005,9,A,%v,%v,unknown,1,1,0,2,0,NA\n", lat, lon) +
		fmt.Sprintf("M,2006,1,B,%v,%v,0,0,0,0,0,1,150\n", lat, lon)
	deps, err := coverage.ReadGeoPKO(strings.NewReader(in), "g.csv", cells)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		start, end grid.Month
		kind       coverage.Kind
		mob        coverage.Mobility
		mil, pol   int
	}{
		{grid.MonthOf(2005, 3), grid.MonthOf(2005, 8), coverage.Permanent, coverage.Vehicle, 650, 0},
		{grid.MonthOf(2005, 9), grid.MonthOf(2005, 12), coverage.COB, coverage.Air, 0, 0},
		{grid.MonthOf(2006, 1), grid.MonthOf(2006, 3), coverage.PolicePost, coverage.Vehicle, 0, 150},
	}
	for k, w := range want {
		d := deps[k]
		if d.Start != w.start || d.End != w.end || d.Kind != w.kind || d.Mobility != w.mob || d.Military != w.mil || d.Police != w.pol {
			t.Errorf("row %d: %+v, want %+v", k, d, w)
		}
	}
	bad := strings.Replace(in, "M,2005,9", "M,2005,13", 1)
	if _, err := coverage.ReadGeoPKO(strings.NewReader(bad), "g.csv", cells); err == nil || err.Error() != `g.csv:3: month: "13" is not a month 1–12` {
		t.Errorf("bad month: %v", err)
	}
}

func TestReadSeasons(t *testing.T) {
	c, err := coverage.ReadSeasons(strings.NewReader(`{"km":{"foot":12},"rainy_months":{"Mali":[7,8]}}`), "s.json")
	if err != nil || c.KM[coverage.Foot] != 12 || c.KM[coverage.Vehicle] != 50 || !c.Rainy("MLI", grid.MonthOf(2020, 7)) || c.Rainy(coverage.CountryKey("Mali"), grid.MonthOf(2020, 9)) {
		t.Errorf("seasons %+v err %v", c, err)
	}
}

// TestReadSeasonsRefusals: a seasons file is refused naming the file, the
// field (and the line where the JSON does not parse or holds a value of
// the wrong kind) and what is wrong in plain words, never Go's types;
// with several faults, always the same one.
func TestReadSeasonsRefusals(t *testing.T) {
	const ex = `such as {"Mali": [6, 7, 8, 9]}`
	cases := []struct {
		name, in, field, want string
		line                  int
	}{
		{"unknown mobility", `{"km":{"boat":3}}`, "km.boat", `s.json: km.boat: unknown mobility: want foot, vehicle or air`, 0},
		{"unknown mobility first", `{"km":{"foot":0,"boat":3}}`, "km.boat", `s.json: km.boat: unknown mobility: want foot, vehicle or air`, 0},
		{"distance", `{"km":{"foot":2001}}`, "km.foot", `s.json: km.foot: 2001 km is out of range: want more than 0 and at most 2000`, 0},
		{"distances, in mobility order", `{"km":{"air":-1,"foot":0}}`, "km.foot", `s.json: km.foot: 0 km is out of range: want more than 0 and at most 2000`, 0},
		{"factor", `{"rainy_factor":{"air":0.5,"foot":2}}`, "rainy_factor.foot", `s.json: rainy_factor.foot: 2 is out of range: want a factor more than 0 and at most 1`, 0},
		{"factor's mobility", `{"rainy_factor":{"car":0.5}}`, "rainy_factor.car", `s.json: rainy_factor.car: unknown mobility: want foot, vehicle or air`, 0},
		{"month", `{"rainy_months":{"Mali":[13]}}`, "rainy_months.Mali", `s.json: rainy_months.Mali: 13 is not a month: want 1 (January) to 12 (December)`, 0},
		{"month twice", `{"rainy_months":{"Mali":[7,7]}}`, "rainy_months.Mali", `s.json: rainy_months.Mali: month 7 is listed twice`, 0},
		{"country twice", `{"rainy_months":{"Mali":[7],"MLI":[8]}}`, "rainy_months.Mali", `s.json: rainy_months.Mali: "MLI" and "Mali" are the same country (MLI): give each country once`, 0},
		{"country name", `{"rainy_months":{" ":[7]}}`, "rainy_months", `s.json: rainy_months: the country name " " must be 1 to 100 characters`, 0},
		{"unknown field", "{\n \"km\": {},\n \"x\": 1}", "", `s.json:3: unknown field "x": want km, rainy_factor or rainy_months`, 3},
		{"string distance", "{\n\"km\": {\"foot\": \"ten\"}}", "km", `s.json:2: km: a string given, want a number of kilometres for each mobility, such as {"foot": 10}`, 2},
		{"number for object", `{"rainy_factor": 3}`, "rainy_factor", `s.json:1: rainy_factor: a number given, want an object of numbers by mobility (foot, vehicle, air), such as {"foot": 10}`, 1},
		{"string months", `{"rainy_months":{"Mali":"7"}}`, "rainy_months", `s.json:1: rainy_months: a string given, want a list of months for each country, ` + ex, 1},
		{"fractional month", `{"rainy_months":{"Mali":[7.5]}}`, "rainy_months", `s.json:1: rainy_months: the number 7.5 given, want whole months 1 to 12 for each country, ` + ex, 1},
		{"list", `[1]`, "", `s.json:1: a list given, want an object with km, rainy_factor or rainy_months`, 1},
		{"syntax", "{\n\"km\": {\n\"foot\": 1,,\n}}", "", `s.json:3: invalid character ',' looking for beginning of object key string`, 3},
		{"cut short", `{"km":`, "", `s.json: the JSON ends before the settings object does: want an object such as {"km": {"foot": 10}}`, 0},
		{"empty", ``, "", `s.json: the JSON ends before the settings object does: want an object such as {"km": {"foot": 10}}`, 0},
		{"two objects", "{}\n{}", "", `s.json:2: more JSON after the settings object: want one object`, 2},
		{"too large", `{"km":{}}` + strings.Repeat(" ", 1<<20), "", `s.json: is larger than 1 MiB: a seasons file is a small JSON object`, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for range 3 {
				_, err := coverage.ReadSeasons(strings.NewReader(c.in), "s.json")
				e := apperr.As(err)
				if err == nil || err.Error() != c.want || e == nil || !apperr.IsInvalid(err) || e.File != "s.json" || e.Line != c.line || e.Field != c.field {
					t.Fatalf("error %v (%+v)\nwant  %s at line %d, field %q", err, e, c.want, c.line, c.field)
				}
				if strings.Contains(err.Error(), "Go ") || strings.Contains(err.Error(), "float64") || strings.Contains(err.Error(), "coverage.") {
					t.Fatalf("error names Go's types: %v", err)
				}
			}
		})
	}
}

// TestReadPrioCellsRefusals: a cell list is refused at its line, naming
// the column as the header spells it and what is wrong in plain words.
func TestReadPrioCellsRefusals(t *testing.T) {
	cases := []struct {
		name, in, field, want string
		line                  int
	}{
		{"empty", "", "", `c.csv:1: the file is empty: want a header naming priogrid_gid (or gid, cell) and country`, 1},
		{"no gid", "id,country\n1,A\n", "", `c.csv:1: missing column priogrid_gid (or gid, cell): the header names "id", "country"`, 1},
		{"no country", "\ufeffGID,nation\n1,A\n", "", `c.csv:1: missing column country: the header names "GID", "nation"`, 1},
		{"gid not a number", "gid,country\n1,A\nx,B\n", "gid", `c.csv:3: gid: "x" is not a whole number`, 3},
		{"gid empty", "Cell,country\n,A\n", "Cell", `c.csv:2: Cell: is empty: want the cell's PRIO-GRID number`, 2},
		{"gid outside", "priogrid_gid,country\n259201,A\n", "priogrid_gid", `c.csv:2: priogrid_gid: 259201 is not a PRIO-GRID cell (they are numbered 1 to 259200)`, 2},
		{"gid twice", "gid,country\n5,A\n\n5,B\n", "gid", `c.csv:4: gid: cell 5 is already listed on line 2`, 4},
		{"population", "gid,country,population\n5,A,-1\n", "population", `c.csv:2: population: "-1" is not a number of people (want a number 0 or more, or nothing)`, 2},
		{"population infinite", "gid,country,population\n5,A,Inf\n", "population", `c.csv:2: population: "Inf" is not a number of people (want a number 0 or more, or nothing)`, 2},
		{"friction", "gid,country,Friction\n5,A,0.5\n", "Friction", `c.csv:2: Friction: "0.5" is not a friction (want a number from 1 to 100, or nothing for none)`, 2},
		{"no rows", "gid,country\n", "", `c.csv: no cells: the file has a header and no rows`, 0},
		{"quote", "gid,country\n1,\"a\"b\n", "", `c.csv:2: parse error on line 2, column 5: extraneous or missing " in quoted-field`, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := coverage.ReadPrioCells(strings.NewReader(c.in), "c.csv")
			e := apperr.As(err)
			if err == nil || err.Error() != c.want || e == nil || !apperr.IsInvalid(err) || e.File != "c.csv" || e.Line != c.line || e.Field != c.field {
				t.Fatalf("error %v (%+v)\nwant  %s at line %d, field %q", err, e, c.want, c.line, c.field)
			}
		})
	}
	cells, err := coverage.ReadPrioCells(strings.NewReader("gid,country,population,friction\n5,A,,\n7,B,10,2\n"), "c.csv")
	if err != nil || cells.Len() != 2 {
		t.Fatalf("%v %v", cells, err)
	}
	if c, _ := cells.Get(7); c.Population != 10 || c.Friction != 2 || c.Country != "B" {
		t.Errorf("cell 7: %+v", c)
	}
}

func TestFriction(t *testing.T) {
	cs := testCells(false).All()
	for k := range cs {
		if cs[k].GID == base+4 {
			cs[k].Friction = 3 // 111 km × 3 > 120 km vehicle reach
		}
	}
	m := coverage.NewModel(coverage.NewCells(cs), testReach())
	jan := grid.MonthOf(2020, 1)
	got := m.Reaches(cs[2].Lat, cs[2].Lon, coverage.Vehicle, jan)
	slices.Sort(got)
	if !slices.Equal(got, []int{base, base + 1, base + 2, base + 3}) {
		t.Errorf("reach with friction on +4: %v", got)
	}
}

// TestPriorYearByCountryOneRowPerCountry: the per-country prior-year check
// has one row per country whatever spellings its cells carry (UCDP's
// "DR Congo (Zaire)" and Geo-PKO's "DRC" are DR Congo, COD), named in
// English with its French name, and counts the cells of every spelling; a
// country geotext does not know keeps its own spelling.
func TestPriorYearByCountryOneRowPerCountry(t *testing.T) {
	from, to := grid.MonthOf(2010, 1), grid.MonthOf(2012, 12)
	deps := []coverage.Deployment{site("west", 1, from, to, 300, coverage.Foot), site("east", 7, from, to, 300, coverage.Foot)}
	inc := []coverage.Incident{{Cell: base + 2, Month: grid.MonthOf(2010, 5), Violence: 3}, {Cell: base + 8, Month: grid.MonthOf(2011, 5), Violence: 3}}
	for _, c := range []struct {
		a, b string
		want []coverage.PriorYearCheck // definition, country, name_fr, cell-years with and without violence
	}{
		{"DR Congo (Zaire)", "DRC", []coverage.PriorYearCheck{{Definition: "DR Congo", Country: "COD", NameFR: "RD Congo", WithViolence: 2, WithoutViolence: 28}}},
		{"drc", "République démocratique du Congo", []coverage.PriorYearCheck{{Definition: "DR Congo", Country: "COD", NameFR: "RD Congo", WithViolence: 2, WithoutViolence: 28}}},
		{"Central African Republic", "DR Congo (Zaire)", []coverage.PriorYearCheck{
			{Definition: "Central African Republic", Country: "CAF", NameFR: "République centrafricaine", WithViolence: 1, WithoutViolence: 14},
			{Definition: "DR Congo", Country: "COD", NameFR: "RD Congo", WithViolence: 1, WithoutViolence: 14}}},
		{"Aland", "Bland", []coverage.PriorYearCheck{{Definition: "Aland", WithViolence: 1, WithoutViolence: 14}, {Definition: "Bland", WithViolence: 1, WithoutViolence: 14}}},
	} {
		m := coverage.NewModel(testCellsIn(false, c.a, c.b, "Cland"), testReach())
		r := m.Analyse(deps, inc, from, to)
		var got []coverage.PriorYearCheck
		for _, chk := range r.PriorYearByCountry {
			got = append(got, coverage.PriorYearCheck{Definition: chk.Definition, Country: chk.Country, NameFR: chk.NameFR, WithViolence: chk.WithViolence, WithoutViolence: chk.WithoutViolence})
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("cells in %q and %q:\n got %+v\nwant %+v", c.a, c.b, got, c.want)
		}
	}
}

// TestSiteCountryIsTheSites: a site counts in its own country, as its
// record names it, not in the country holding most of its PRIO-GRID cell
// (MINUSCA's Bangui sits in a cell mostly across the Ubangi in DR Congo):
// the far cells of the site's country are "too far", those of the cell's
// country have "no site", and the site's mission is the mission of its
// own country. A site with no recorded country counts in its cell's.
func TestSiteCountryIsTheSites(t *testing.T) {
	cells := testCellsIn(false, "DR Congo (Zaire)", "Central African Republic", "Mali")
	m := coverage.NewModel(cells, testReach())
	jan := grid.MonthOf(2020, 1)
	for _, tc := range []struct {
		name, country      string
		tooFar, noSite     int // an uncovered cell of each reason (offset from base)
		mission, noMission string
	}{
		{"recorded country", "Central African Republic", 8, 1, "CAF", "COD"},
		{"recorded in another spelling", "CAR", 8, 1, "CAF", "COD"},
		{"no recorded country: the cell's", "", 1, 8, "COD", "CAF"},
		{"a country geotext does not know: the cell's", "Atlantis", 1, 8, "COD", "CAF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := site("bangui", 4, jan, jan, 100, coverage.Foot)
			d.Mission, d.Country = "MINUSCA", tc.country
			deps := []coverage.Deployment{d}
			for _, c := range m.Month(deps, jan, nil) {
				switch c.Cell - base {
				case tc.tooFar:
					if c.Reason != coverage.ReasonTooFar {
						t.Errorf("cell +%d (%s): reason %q, want %q", tc.tooFar, c.Country, c.Reason, coverage.ReasonTooFar)
					}
				case tc.noSite:
					if c.Reason != coverage.ReasonNoSite {
						t.Errorf("cell +%d (%s): reason %q, want %q", tc.noSite, c.Country, c.Reason, coverage.ReasonNoSite)
					}
				}
			}
			p := m.Panel(deps, jan, jan)
			if got := p.Mission(tc.mission, jan); got != "MINUSCA" {
				t.Errorf("mission of %s: %q, want MINUSCA", tc.mission, got)
			}
			if got := p.Mission(tc.noMission, jan); got != "" {
				t.Errorf("mission of %s: %q, want none", tc.noMission, got)
			}
		})
	}
}

// TestGeoPKOSudanSouthSudan: Geo-PKO names UNMIS's sites (before South
// Sudan's independence) and UNISFA's "Sudan" wherever they are; the
// site's first-level unit (adm1.name, Geo-PKO's point in polygon) says
// which of today's two countries the point is in, both ways. Without a
// unit the file gives, a "Sudan" site in a South Sudan cell is in South
// Sudan (the best the data allows); other countries keep the record's.
func TestGeoPKOSudanSouthSudan(t *testing.T) {
	// Cell A mostly South Sudan's (Agok's, 142978), cell B Sudan's.
	const agok, kadugli = 142978, 145858
	var cs []coverage.Cell
	for _, g := range []int{agok, kadugli} {
		lat, lon, _ := grid.PrioCenter(g)
		country := "South Sudan"
		if g == kadugli {
			country = "Sudan"
		}
		cs = append(cs, coverage.Cell{GID: g, Country: country, Lat: lat, Lon: lon})
	}
	cells := coverage.NewCells(cs)
	pt := func(g int) string {
		lat, lon, _ := grid.PrioCenter(g)
		return fmt.Sprintf("%.4f,%.4f", lat, lon)
	}
	for _, tc := range []struct {
		name, country, adm1 string
		cell                int
		want                string
	}{
		{"a Sudan record in a South Sudan state", "Sudan", "Central Equatoria", kadugli, "South Sudan"},
		{"Geo-PKO's spelling of Jonglei", "Sudan", "Jungoli", agok, "South Sudan"},
		{"another spelling", "Sudan", "Western Bahr el Ghazal", agok, "South Sudan"},
		{"Agok: South Kordufan in a South Sudan cell", "Sudan", "South Kordufan", agok, "Sudan"},
		{"vice versa: a South Sudan record in Sudan", "South Sudan", "South Kordufan", agok, "Sudan"},
		{"a South Sudan record in a South Sudan state", "South Sudan", "Upper Nile", kadugli, "South Sudan"},
		{"no unit: a Sudan record in a South Sudan cell", "Sudan", "", agok, "South Sudan"},
		{"no unit: a Sudan record in a Sudan cell", "Sudan", "", kadugli, "Sudan"},
		{"no unit: a South Sudan record in a Sudan cell", "South Sudan", "", kadugli, "South Sudan"},
		{"a unit of a third country: the record's", "Sudan", "Benshangul-Gumaz", kadugli, "Sudan"},
		{"other countries: the record's", "DRC", "Lakes", agok, "DRC"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := "mission,year,month,location,country,latitude,longitude,no.troops,adm1.name\n" +
				fmt.Sprintf("UNISFA,2013,1,X,%s,%s,100,%s\n", tc.country, pt(tc.cell), tc.adm1)
			deps, err := coverage.ReadGeoPKO(strings.NewReader(in), "x.csv", cells)
			if err != nil {
				t.Fatal(err)
			}
			if deps[0].Country != tc.want {
				t.Errorf("country %q, want %q", deps[0].Country, tc.want)
			}
		})
	}
	// A file without the column is read as before, the cell deciding.
	in := "mission,year,month,location,country,latitude,longitude,no.troops\nUNMIS,2008,1,Juba,Sudan," + pt(agok) + ",100\n"
	deps, err := coverage.ReadGeoPKO(strings.NewReader(in), "x.csv", cells)
	if err != nil || deps[0].Country != "South Sudan" {
		t.Errorf("no adm1.name column: %v, %+v; want South Sudan", err, deps)
	}
}
