package forecast

import (
	"context"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/shareddata"
)

func cm(cell int, m grid.Month, typ int, n, deaths int) events.CellMonth {
	c := events.CellMonth{Cell: cell, Month: m}
	c.Counts[typ+1], c.Deaths[typ+1] = n, deaths
	return c
}

func TestCountryPanel(t *testing.T) {
	jan := grid.MonthOf(2000, 1)
	cells := CellList{Cells: []int{10, 11, 12, 20}, Country: []int{500, 500, 500, 432}}
	type want struct {
		code, month, typ  int
		count, deaths, ex float32
	}
	cases := []struct {
		name    string
		cms     []events.CellMonth
		last    grid.Month
		months  int
		outside int
		want    []want
	}{
		{"one event", []events.CellMonth{cm(10, jan, OS, 1, 3)}, 0, 1, 0,
			[]want{{500, 0, OS, 1, 3, 1}, {432, 0, OS, 0, 0, 0}}},
		{"two cells of one country in a month add up, extent counts cells",
			[]events.CellMonth{cm(10, jan+1, OS, 2, 5), cm(12, jan+1, OS, 1, 0), cm(20, jan, SB, 4, 40)}, 0, 2, 0,
			[]want{{500, 1, OS, 3, 5, 2}, {500, 0, OS, 0, 0, 0}, {432, 0, SB, 4, 40, 1}, {432, 1, SB, 0, 0, 0}}},
		{"types kept apart", []events.CellMonth{func() events.CellMonth {
			c := cm(11, jan, NS, 2, 7)
			c.Counts[3], c.Deaths[3] = 1, 1
			return c
		}()}, 0, 1, 0,
			[]want{{500, 0, NS, 2, 7, 1}, {500, 0, OS, 1, 1, 1}, {500, 0, SB, 0, 0, 0}}},
		{"cells outside the list are not counted", []events.CellMonth{cm(99, jan, OS, 5, 5), cm(20, jan+2, OS, 1, 1)}, 0, 3, 1,
			[]want{{432, 2, OS, 1, 1, 1}, {432, 0, OS, 0, 0, 0}, {500, 0, OS, 0, 0, 0}}},
		{"zero-filled to last", []events.CellMonth{cm(20, jan, OS, 1, 1)}, jan + 5, 6, 0,
			[]want{{432, 5, OS, 0, 0, 0}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, out, err := CountryPanel(cells, c.cms, c.last)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(p.Cells, []int{432, 500}) || !reflect.DeepEqual(p.Country, []int{432, 500}) || !p.Grid.Country {
				t.Fatalf("units %v countries %v grid %+v", p.Cells, p.Country, p.Grid)
			}
			if out != c.outside || p.NMonths != c.months {
				t.Errorf("outside %d months %d, want %d, %d", out, p.NMonths, c.outside, c.months)
			}
			for _, w := range c.want {
				i, _ := p.Index(w.code)
				n, d := p.At(w.typ, i, p.First+grid.Month(w.month))
				e := p.Extent[w.typ][i*p.NMonths+w.month]
				if n != w.count || d != w.deaths || e != w.ex {
					t.Errorf("country %d month %d type %s: count %v deaths %v extent %v, want %v %v %v", w.code, w.month, TypeNames[w.typ], n, d, e, w.count, w.deaths, w.ex)
				}
			}
		})
	}
	for _, bad := range []struct {
		name  string
		cells CellList
		cms   []events.CellMonth
		want  string
	}{
		{"no events", cells, nil, "no events"},
		{"no cells", CellList{}, []events.CellMonth{cm(10, jan, OS, 1, 1)}, "cell list"},
	} {
		if _, _, err := CountryPanel(bad.cells, bad.cms, 0); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: %v, want %q", bad.name, err, bad.want)
		}
	}
}

// synthCountryCMs: six countries of four cells each, months of one-sided
// events whose frequency differs by country and drifts over time.
func synthCountryCMs(months int, seed uint32) (CellList, []events.CellMonth) {
	var cl CellList
	for k := range 6 {
		for c := range 4 {
			cl.Cells = append(cl.Cells, 1000+10*k+c)
			cl.Country = append(cl.Country, 400+k)
		}
	}
	x := seed
	var cms []events.CellMonth
	first := grid.MonthOf(2000, 1)
	for m := range months {
		for i, c := range cl.Cells {
			x = x*1664525 + 1013904223
			k := i / 4
			if int(x>>8)%(3+k+(m/18)%3) == 0 {
				cms = append(cms, cm(c, first+grid.Month(m), OS, 1+int(x>>20)%3, int(x>>12)%9))
			}
			if (x>>4)%13 == 0 {
				cms = append(cms, cm(c, first+grid.Month(m), SB, 1, 3))
			}
		}
	}
	return cl, cms
}

// synthCountryPanel is the country panel of synthCountryCMs(months, seed).
func synthCountryPanel(t *testing.T, months int, seed uint32) *Panel {
	t.Helper()
	cl, cms := synthCountryCMs(months, seed)
	p, _, err := CountryPanel(cl, cms, 0)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Changing every month after an origin changes nothing in the country
// forecast made at that origin (features and training read only the past),
// and a backtest month equals a fresh training at its origin.
func TestCountryNeverTrainsOnFuture(t *testing.T) {
	const months = 84
	first := grid.MonthOf(2000, 1)
	origin := first + 60
	for _, h := range []int{1, 3, -1} {
		nb := h < 0 // horizon 1 with neighbour features
		h = max(h, 1)
		build := func(scramble bool) (*Features, []Prediction, []float64) {
			p := synthCountryPanel(t, months, 3)
			if nb {
				p.SetNeighbours(map[int][]int{400: {401, 402}, 401: {400}, 402: {400, 405}, 405: {402}})
			}
			if scramble {
				for m := origin + 1; m <= p.Last(); m++ {
					for i, code := range p.Cells {
						p.Add(code, m, OS, float64(1+i%3), 100)
						p.Add(code, m, NS, 1, 5)
						p.Extent[OS][i*p.NMonths+int(m-p.First)] += 3
					}
				}
			}
			f := NewFeatures(p, OS, nil)
			L, err := Train(f, origin, Config{Target: OS, Horizon: h, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			prs := predictAll(t, L, len(p.Cells), origin)
			var rows []float64
			for i := range p.Cells {
				row := make([]float64, len(f.Names()))
				if err := f.Row(i, origin, h, row); err != nil {
					t.Fatal(err)
				}
				rows = append(rows, row...)
			}
			return f, prs, rows
		}
		f, pa, ra := build(false)
		_, pb, rb := build(true)
		if !reflect.DeepEqual(ra, rb) {
			t.Fatalf("h=%d: features at the origin changed when only later months changed", h)
		}
		for i := range pa {
			if pa[i] != pb[i] {
				t.Fatalf("h=%d country %d: forecast changed when only months after the origin changed: %+v vs %+v", h, pa[i].Cell, pa[i], pb[i])
			}
		}
		// the backtest of month origin+h is the model trained at the origin
		bt, err := RunBacktest(context.Background(), f, BacktestConfig{Config: Config{Target: OS, Horizon: h, Seed: 1}, From: origin + grid.Month(h), To: origin + grid.Month(h)})
		if err != nil {
			t.Fatal(err)
		}
		if len(bt.Results) != 1+len(Baselines) || bt.Results[0].Grid != "country" || bt.Results[0].Cells != 6 {
			t.Fatalf("results %+v", bt.Results)
		}
		// its Brier is that of the origin's predictions
		var b float64
		for i, pr := range pa {
			y, _ := f.TargetAt(i, origin+grid.Month(h))
			b += (pr.Prob - b2f(y)) * (pr.Prob - b2f(y))
		}
		if b /= float64(len(pa)); math.Abs(b-bt.Results[0].Brier) > 1e-12 {
			t.Errorf("h=%d: backtest Brier %v, fresh training at the origin %v", h, bt.Results[0].Brier, b)
		}
	}
}

func TestCountryFeatures(t *testing.T) {
	p := synthCountryPanel(t, 40, 5)
	f := NewFeatures(p, OS, nil)
	names := f.Names()
	if len(names) != NTypes*len(countryFeatureNames)+2 || names[0] != "os_lag1" || names[8] != "os_cells12" || names[9] != "os_others_sum12" {
		t.Fatalf("names %v", names)
	}
	for _, n := range names {
		if strings.Contains(n, "ring") {
			t.Errorf("country features include a spatial lag %s (no adjacency source)", n)
		}
	}
	m := p.First + 30
	row := make([]float64, len(names))
	if err := f.Row(2, m, 1, row); err != nil {
		t.Fatal(err)
	}
	// hand-computed from the panel
	var sum12, ext12, all12 float64
	for k := range 12 {
		c, _ := p.At(OS, 2, m-grid.Month(k))
		sum12 += float64(c)
		ext12 += float64(p.Extent[OS][2*p.NMonths+int(m-p.First)-k])
		for i := range p.Cells {
			c, _ := p.At(OS, i, m-grid.Month(k))
			all12 += float64(c)
		}
	}
	lag1, _ := p.At(OS, 2, m)
	for _, c := range []struct {
		name string
		j    int
		want float64
	}{
		{"lag1", 0, math.Log1p(float64(lag1))},
		{"sum12", 3, math.Log1p(sum12)},
		{"cells12", 8, math.Log1p(ext12)},
		{"others_sum12", 9, math.Log1p((all12 - sum12) / 5)},
	} {
		if math.Abs(row[c.j]-c.want) > 1e-5 {
			t.Errorf("%s = %v, want %v", c.name, row[c.j], c.want)
		}
	}
	for j, v := range row {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Errorf("feature %s is %v", names[j], v)
		}
	}
}

func TestCountryErrors(t *testing.T) {
	p := synthCountryPanel(t, 40, 7)
	f := NewFeatures(p, OS, nil)
	cases := []backtestErrCase{
		{"no training", p.First + 5, p.First + 8, 1, "no training data"},
		{"before panel", p.First, p.First + 3, 3, "no training data"},
		{"beyond data", p.Last(), p.Last() + 1, 1, "beyond the data"},
	}
	checkBacktestErrors(t, f, p.First, cases)
	for _, c := range []struct {
		opt  LoadOptions
		want string
	}{
		{LoadOptions{Grid: "district"}, "unknown unit of analysis"},
		{LoadOptions{Grid: "country", UCDPFile: "x.csv"}, "--grid country needs --cells"},
	} {
		if _, _, err := Load(context.Background(), nil, c.opt); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Load(%+v): %v, want %q", c.opt, err, c.want)
		}
	}
	if _, err := CountryGrid.Cell(1, 1); err == nil {
		t.Error("CountryGrid.Cell gave a cell")
	}
}

// The real six-country extract: the country panel holds exactly the grid
// panel's events, summed by the cells' country, and the walk-forward
// backtest scores the learned model and every baseline.
func TestRealCountryBacktest(t *testing.T) {
	cellsPath := shareddata.Path(t, "priogrid/priogrid_cells_6countries_gwno2014.csv")
	ucdpPath := shareddata.Path(t, "ucdp/ged211_precise_6countries_1989_2018.csv")
	p, _, err := Load(context.Background(), nil, LoadOptions{Grid: "country", CellsFile: cellsPath, UCDPFile: ucdpPath})
	if err != nil {
		t.Fatal(err)
	}
	gp := realPanel(t)
	if len(p.Cells) != 6 || p.First != gp.First || p.Last() != gp.Last() {
		t.Fatalf("country panel %v %s…%s", p.Cells, p.First, p.Last())
	}
	for typ := range NTypes {
		for m := p.First; m <= p.Last(); m++ {
			byCty := map[int]float32{}
			for i, c := range gp.Country {
				n, _ := gp.At(typ, i, m)
				byCty[c] += n
			}
			for i, c := range p.Cells {
				if n, _ := p.At(typ, i, m); n != byCty[c] {
					t.Fatalf("%s %s country %d: %v events, grid panel %v", TypeNames[typ], m, c, n, byCty[c])
				}
			}
		}
	}
	bc := BacktestConfig{Config: Config{Target: OS, Horizon: 1, Seed: 1}, From: grid.MonthOf(2016, 1), To: grid.MonthOf(2018, 12)}
	if testing.Verbose() {
		bc.Progress = os.Stderr
	}
	bt, err := RunBacktest(context.Background(), NewFeatures(p, OS, nil), bc)
	if err != nil {
		t.Fatal(err)
	}
	if len(bt.Results) != 1+len(Baselines) {
		t.Fatalf("%d results", len(bt.Results))
	}
	for _, r := range bt.Results {
		t.Logf("%-16s AUPR %.4f AUROC %.4f Brier %.5f BSS %.4f LL %.4f MSE %.4f CRPS %.4f",
			r.Model, r.AUPR, r.AUROC, r.Brier, r.BrierSkill, r.LogLoss, r.MSELog1p, r.CRPS)
		if r.Rows != 6*36 || r.Grid != "country" {
			t.Errorf("%s: %d rows on %s, want 216 on country", r.Model, r.Rows, r.Grid)
		}
	}
	// with the neighbour-country features (the default for one-sided
	// violence): six more features, the same forecasts scored, a different model
	pn, _, err := Load(context.Background(), nil, LoadOptions{Grid: "country", CellsFile: cellsPath, UCDPFile: ucdpPath, Neighbours: true})
	if err != nil {
		t.Fatal(err)
	}
	fn := NewFeatures(pn, OS, nil)
	if len(fn.Names()) != len(NewFeatures(p, OS, nil).Names())+6 {
		t.Errorf("neighbour features: %v", fn.Names())
	}
	bn, err := RunBacktest(context.Background(), fn, BacktestConfig{Config: Config{Target: OS, Horizon: 1, Seed: 1}, From: grid.MonthOf(2016, 1), To: grid.MonthOf(2018, 12)})
	if err != nil {
		t.Fatal(err)
	}
	r := bn.Results[0]
	t.Logf("gbt with neighbours AUPR %.4f AUROC %.4f Brier %.5f LL %.4f CRPS %.4f", r.AUPR, r.AUROC, r.Brier, r.LogLoss, r.CRPS)
	if r.Rows != 6*36 || r.Brier == bt.Results[0].Brier || !reflect.DeepEqual(bn.Results[1:], bt.Results[1:]) {
		t.Errorf("with neighbours: %d rows, Brier %v (without %v); baselines must not change", r.Rows, r.Brier, bt.Results[0].Brier)
	}
}

// Country adjacency from the real PRIO-GRID cell list: countries whose
// cells touch. Mali and Somalia border none of the other four listed
// countries; names and member cells come from the list.
func TestRealCountryAdjacency(t *testing.T) {
	cl, err := ReadPrioCells(shareddata.Path(t, "priogrid/priogrid_cells_6countries_gwno2014.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[int][]int{432: {}, 482: {490, 625, 626}, 490: {482, 626}, 520: {}, 625: {482, 626}, 626: {482, 490, 625}}
	if got := CountryAdjacency(cl); !reflect.DeepEqual(got, want) {
		t.Errorf("adjacency %v, want %v", got, want)
	}
	if cl.Names[626] != "South Sudan" || cl.Names[490] != "DR Congo (Zaire)" || len(cl.Names) != 6 {
		t.Errorf("names %v", cl.Names)
	}
	p, _, err := CountryPanel(cl, []events.CellMonth{cm(cl.Cells[0], grid.MonthOf(2000, 1), OS, 1, 1)}, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, u := range PanelUnits(p) {
		n += len(u.Cells)
		if u.Name == "" || len(u.Cells) == 0 {
			t.Errorf("unit %+v", u)
		}
	}
	if n != len(cl.Cells) {
		t.Errorf("units hold %d cells, list %d", n, len(cl.Cells))
	}
}

// With neighbours, each type gets the summed 3- and 12-month counts of the
// neighbouring countries (hand-computed here); ring 2 is the neighbours'
// neighbours; a country without neighbours gets zeros.
func TestCountryNeighbourFeatures(t *testing.T) {
	p := synthCountryPanel(t, 40, 5)
	// countries 400…405: a chain 400–401–402, 403 touches 402, 404 and 405 alone
	p.SetNeighbours(map[int][]int{400: {401}, 401: {400, 402}, 402: {401, 403}, 403: {402}})
	idx := func(code int) int { i, _ := p.Index(code); return i }
	for _, c := range []struct {
		code, ring int
		want       []int
	}{
		{401, 1, []int{idx(400), idx(402)}},
		{401, 2, []int{idx(403)}},
		{400, 2, []int{idx(402)}},
		{404, 1, []int{}},
	} {
		if got := p.Neighbours(idx(c.code), c.ring); !reflect.DeepEqual(got, c.want) {
			t.Errorf("country %d ring %d: %v, want %v", c.code, c.ring, got, c.want)
		}
	}
	f := NewFeatures(p, SB, nil)
	names := f.Names()
	per := len(countryFeatureNames) + len(countryNeighbourNames)
	if len(names) != NTypes*per+2 || names[10] != "sb_nb_sum3" || names[11] != "sb_nb_sum12" || names[2*per+10] != "os_nb_sum3" {
		t.Fatalf("names %v", names)
	}
	m := p.First + 30
	sum := func(typ, code, w int) float64 {
		s := 0.0
		for k := range w {
			c, _ := p.At(typ, idx(code), m-grid.Month(k))
			s += float64(c)
		}
		return s
	}
	for _, c := range []struct {
		code           int
		sb3, sb12, os3 float64
	}{
		{401, sum(SB, 400, 3) + sum(SB, 402, 3), sum(SB, 400, 12) + sum(SB, 402, 12), sum(OS, 400, 3) + sum(OS, 402, 3)},
		{403, sum(SB, 402, 3), sum(SB, 402, 12), sum(OS, 402, 3)},
		{405, 0, 0, 0},
	} {
		row := make([]float64, len(names))
		if err := f.Row(idx(c.code), m, 1, row); err != nil {
			t.Fatal(err)
		}
		if row[10] != math.Log1p(c.sb3) || row[11] != math.Log1p(c.sb12) || row[2*per+10] != math.Log1p(c.os3) {
			t.Errorf("country %d: nb features %v %v %v, want log1p of %v %v %v", c.code, row[10], row[11], row[2*per+10], c.sb3, c.sb12, c.os3)
		}
	}
	if sum(OS, 402, 3)+sum(SB, 400, 12) == 0 {
		t.Fatal("the synthetic panel has no events next to the test countries: the test cannot fail")
	}
}
