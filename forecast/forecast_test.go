package forecast

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/shareddata"
)

// realPanel builds the six-country PRIO-GRID panel 1989-01…2018-12 from the
// shared UCDP GED extract.
func realPanel(tb testing.TB) *Panel {
	tb.Helper()
	cl, err := ReadPrioCells(shareddata.Path(tb, "priogrid/priogrid_cells_6countries_gwno2014.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	cms, err := ReadUCDPCellMonths(shareddata.Path(tb, "ucdp/ged211_precise_6countries_1989_2018.csv"), PrioGrid)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := BuildPanel(PrioGrid, &cl, cms, 0)
	if err != nil {
		tb.Fatal(err)
	}
	if p.First != grid.MonthOf(1989, 1) || p.Last() != grid.MonthOf(2018, 12) {
		tb.Fatalf("panel %s…%s", p.First, p.Last())
	}
	return p
}

func TestRealBacktestOSV(t *testing.T) {
	p := realPanel(t)
	f := NewFeatures(p, OS, nil)
	bc := BacktestConfig{Config: Config{Target: OS, Horizon: 1, Seed: 1}, From: grid.MonthOf(2018, 1), To: grid.MonthOf(2018, 12)}
	if testing.Verbose() {
		bc.Progress = os.Stderr
	}
	bt, err := RunBacktest(context.Background(), f, bc)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range bt.Results {
		t.Logf("%-16s AUPR %.4f AUROC %.4f Brier %.5f BSS %.4f LL %.4f MSE %.4f CRPS %.4f cap5 %.3f cap10 %.3f",
			r.Model, r.AUPR, r.AUROC, r.Brier, r.BrierSkill, r.LogLoss, r.MSELog1p, r.CRPS, r.Capture5, r.Capture10)
	}
	g := bt.Results[0]
	best := bt.BestBaseline()
	if g.AUPR <= best.AUPR {
		t.Errorf("gbt AUPR %.4f does not beat the best baseline %s %.4f", g.AUPR, best.Model, best.AUPR)
	}
	fmt.Println(g.Model, g.AUPR, best.Model, best.AUPR)
}

// synthPanel is a small deterministic panel: a 6×6 block of PRIO-GRID cells
// with one-sided events that spread from a hot spot.
func synthPanel(t *testing.T, months int, seed int) *Panel {
	t.Helper()
	var cells, cty []int
	for r := 0; r < 6; r++ {
		for c := 0; c < 6; c++ {
			cells = append(cells, (200+r)*grid.PrioCols+400+c)
			cty = append(cty, 1+c/3)
		}
	}
	p, err := NewPanel(PrioGrid, cells, cty, grid.MonthOf(2000, 1), grid.MonthOf(2000, 1)+grid.Month(months-1))
	if err != nil {
		t.Fatal(err)
	}
	x := uint32(seed)
	for m := range months {
		for i, c := range cells {
			x = x*1664525 + 1013904223
			hot := i%7 == 0 || (m/12)%2 == 0 && i%5 == 0
			if hot && x%3 == 0 || x%97 == 0 {
				p.Add(c, p.First+grid.Month(m), OS, 1, float64(x%13))
			}
			if x%11 == 0 {
				p.Add(c, p.First+grid.Month(m), SB, 1, 2)
			}
		}
	}
	return p
}

// predictAll is L's forecast made at origin for each of the panel's first n
// units.
func predictAll(t *testing.T, L *Learned, n int, origin grid.Month) []Prediction {
	t.Helper()
	out := make([]Prediction, 0, n)
	for i := range n {
		pr, err := L.Predict(i, origin, nil)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, pr)
	}
	return out
}

// Changing every month after an origin changes nothing in the forecast made
// at that origin: training and features never read the future.
func TestNeverTrainsOnFuture(t *testing.T) {
	const months = 72
	origin := grid.MonthOf(2000, 1) + 50
	h := 2
	predict := func(p *Panel) []Prediction {
		f := NewFeatures(p, OS, nil)
		L, err := Train(f, origin, Config{Target: OS, Horizon: h, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		return predictAll(t, L, len(p.Cells), origin)
	}
	a := synthPanel(t, months, 1)
	b := synthPanel(t, months, 1)
	// scramble the future of b
	for m := origin + 1; m <= b.Last(); m++ {
		for i, c := range b.Cells {
			b.Add(c, m, OS, float64(i%3), 100)
			b.Add(c, m, NS, 1, 5)
		}
	}
	pa, pb := predict(a), predict(b)
	for i := range pa {
		if pa[i] != pb[i] {
			t.Fatalf("cell %d: forecast changed when only months after the origin changed: %+v vs %+v", pa[i].Cell, pa[i], pb[i])
		}
	}
	// and the backtest's month-by-month forecasts equal fresh training at
	// each origin
	f := NewFeatures(a, OS, nil)
	bt, err := RunBacktest(context.Background(), f, BacktestConfig{Config: Config{Target: OS, Horizon: h, Seed: 1}, From: origin + grid.Month(h), To: origin + grid.Month(h)})
	if err != nil {
		t.Fatal(err)
	}
	if len(bt.Results) != 1+len(Baselines) || bt.Results[0].Model != ModelGBT {
		t.Fatalf("results %+v", bt.Results)
	}
}

// backtestErrCase is a backtest window that must fail with want.
type backtestErrCase struct {
	name     string
	from, to grid.Month
	h        int
	want     string
}

// checkBacktestErrors runs each bad window, and one without training data
// (which must be ErrNoTraining), on f whose panel starts at first.
func checkBacktestErrors(t *testing.T, f *Features, first grid.Month, cases []backtestErrCase) {
	t.Helper()
	for _, c := range cases {
		_, err := RunBacktest(context.Background(), f, BacktestConfig{Config: Config{Target: OS, Horizon: c.h}, From: c.from, To: c.to})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if _, err := RunBacktest(context.Background(), f, BacktestConfig{Config: Config{Target: OS, Horizon: 1}, From: first + 5, To: first + 8}); !errors.Is(err, ErrNoTraining) {
		t.Errorf("no-training error %v is not ErrNoTraining", err)
	}
}

func TestBacktestErrors(t *testing.T) {
	p := synthPanel(t, 40, 2)
	f := NewFeatures(p, OS, nil)
	cases := []backtestErrCase{
		{"beyond data", p.Last() - 1, p.Last() + 1, 1, "beyond the data"},
		{"no training", p.First + 5, p.First + 8, 1, "no training data"},
		{"before panel", p.First, p.First + 3, 3, "no training data"},
		{"reversed", p.First + 30, p.First + 29, 1, "before --from"},
		{"bad horizon", p.First + 30, p.First + 31, 0, "horizon 0"},
		{"horizon too long", p.First + 30, p.First + 31, 37, "horizon 37"},
	}
	checkBacktestErrors(t, f, p.First, cases)
}

func TestBaselines(t *testing.T) {
	p, err := NewPanel(PrioGrid, []int{1000, 1001}, []int{1, 1}, grid.MonthOf(2000, 1), grid.MonthOf(2000, 4))
	if err != nil {
		t.Fatal(err)
	}
	// cell 1000: events in months 0 and 3 (2 and 4 deaths)
	p.Add(1000, p.First, OS, 1, 2)
	p.Add(1000, p.First+3, OS, 2, 4)
	f := NewFeatures(p, OS, nil)
	w := func(k int) float64 { return math.Exp2(-float64(k) / DecayHalfLife) }
	cases := []struct {
		model        string
		prob, deaths float64
	}{
		{ModelZero, 0, 0},
		{ModelNoChg, 1, 4},
		{ModelHistory, 2.0 / 4, 6.0 / 4},
		{ModelDecay, (w(0) + w(3)) / (w(0) + w(1) + w(2) + w(3)), (4*w(0) + 2*w(3)) / (w(0) + w(1) + w(2) + w(3))},
	}
	for _, c := range cases {
		pr, err := f.Baseline(c.model, 0, p.First+3)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(pr.Prob-c.prob) > 1e-12 || math.Abs(pr.Expected-c.deaths) > 1e-12 {
			t.Errorf("%s: p=%v deaths=%v, want %v %v", c.model, pr.Prob, pr.Expected, c.prob, c.deaths)
		}
		q, _ := f.Baseline(c.model, 1, p.First+3)
		if q.Prob != 0 || q.Expected != 0 {
			t.Errorf("%s: quiet cell %+v", c.model, q)
		}
	}
}

func TestFeaturesPastOnly(t *testing.T) {
	p, _ := NewPanel(PrioGrid, []int{1000, 1001, 1002 + grid.PrioCols}, []int{1, 1, 2}, grid.MonthOf(2000, 1), grid.MonthOf(2000, 12))
	p.Add(1000, p.First+2, OS, 3, 10)
	p.Add(1001, p.First+4, OS, 1, 1)   // ring-1 neighbour of 1000
	p.Add(1000, p.First+6, OS, 50, 50) // after the origin below
	f := NewFeatures(p, OS, nil)
	row := make([]float64, len(f.Names()))
	if err := f.Row(0, p.First+4, 1, row); err != nil {
		t.Fatal(err)
	}
	get := func(name string) float64 {
		for i, n := range f.Names() {
			if n == name {
				return row[i]
			}
		}
		t.Fatalf("no feature %s", name)
		return 0
	}
	checks := map[string]float64{
		"os_lag1":        0,
		"os_sum3":        math.Log1p(3),
		"os_sum12":       math.Log1p(3),
		"os_deaths12":    math.Log1p(10),
		"os_decay":       math.Exp2(-2 / DecayHalfLife),
		"os_ring1_sum3":  math.Log1p(1),
		"os_ring2_sum12": 0,
	}
	for n, want := range checks {
		if got := get(n); math.Abs(got-want) > 1e-12 {
			t.Errorf("%s = %v, want %v", n, got, want)
		}
	}
	if err := f.Row(0, p.Last()+1, 1, row); err == nil {
		t.Error("origin outside the panel accepted")
	}
}

func TestCovariates(t *testing.T) {
	p, _ := NewPanel(PrioGrid, []int{1000, 1001}, []int{1, 1}, grid.MonthOf(2000, 1), grid.MonthOf(2000, 2))
	ok := "cell,month,pop\n1000,2000-01,5\n1000,2000-02,6\n1001,2000-01,7\n1001,2000-02,8\n1001,1999-12,1\n"
	c, err := ReadCovariates("c.csv", strings.NewReader(ok), p)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := c.At(1, p.First+1); v[0] != 8 {
		t.Errorf("covariate %v, want 8", v)
	}
	yearly := "cell,year,pop,rain\n1000,2000,5,1\n1001,2000,7,2\n"
	c, err = ReadCovariates("y.csv", strings.NewReader(yearly), p)
	if err != nil {
		t.Fatal(err)
	}
	f := NewFeatures(p, OS, c)
	if n := f.Names(); n[len(n)-1] != "cov_rain" {
		t.Errorf("names %v", n)
	}
	// Its refusals: TestRefusalMessages.
}

func FuzzReadCovariates(f *testing.F) {
	f.Add("cell,month,pop\n1000,2000-01,5\n1001,2000-01,7\n")
	f.Add("cell,year,pop\n1000,2000,5\n1001,2000,1e400\n")
	f.Fuzz(func(t *testing.T, src string) {
		p, _ := NewPanel(PrioGrid, []int{1000, 1001}, []int{1, 1}, grid.MonthOf(2000, 1), grid.MonthOf(2000, 1))
		c, err := ReadCovariates("f.csv", strings.NewReader(src), p)
		if err != nil {
			return
		}
		for i := range p.Cells {
			v, err := c.At(i, p.First)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range v {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					t.Fatalf("non-finite covariate %v accepted", x)
				}
			}
		}
	})
}

func TestOpsGrid(t *testing.T) {
	cl, err := OpsCells(CellList{Cells: []int{grid.PrioCols*200 + 401}, Country: []int{7}}, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	if len(cl.Cells) != 25 || cl.Country[24] != 7 {
		t.Fatalf("ops cells %d", len(cl.Cells))
	}
	g := Grid{Size: 0.1}
	p, err := NewPanel(g, cl.Cells, cl.Country, grid.MonthOf(2000, 1), grid.MonthOf(2000, 3))
	if err != nil {
		t.Fatal(err)
	}
	// the centre sub-cell has 8 ring-1 and 16 ring-2 neighbours inside
	i, _ := p.Index(cl.Cells[12])
	if len(p.ring[1][i]) != 8 || len(p.ring[2][i]) != 16 {
		t.Errorf("rings %d %d", len(p.ring[1][i]), len(p.ring[2][i]))
	}
	if _, err := OpsCells(cl, 0.3); err == nil {
		t.Error("cell size 0.3 accepted")
	}
}

// readUCDP aggregates events into cell-months (its refusals:
// TestRefusalMessages).
func TestReadUCDP(t *testing.T) {
	hdr := "id,date_start,type_of_violence,latitude,longitude,best\n"
	cms, err := readUCDP("u.csv", strings.NewReader(hdr+"1,2001-02-03,3,1.0,20.0,5\n2,2001-02-20 00:00:00,3,1.1,20.1,2\n3,2001-03-01,1,1.0,20.0,1\n"), PrioGrid)
	if err != nil {
		t.Fatal(err)
	}
	if len(cms) != 2 || cms[0].Counts[3] != 2 || cms[0].Deaths[3] != 7 || cms[1].Counts[1] != 1 {
		t.Errorf("cell-months %+v", cms)
	}
}

func FuzzReadUCDP(f *testing.F) {
	f.Add("id,date_start,type_of_violence,latitude,longitude,best\n1,2001-02-03,3,1.0,20.0,5\n")
	f.Fuzz(func(t *testing.T, src string) {
		cms, err := readUCDP("f.csv", strings.NewReader(src), PrioGrid)
		if err != nil {
			return
		}
		for _, cm := range cms {
			for k := range cm.Deaths {
				if cm.Deaths[k] < 0 || cm.Counts[k] < 0 {
					t.Fatalf("negative aggregate %+v", cm)
				}
			}
		}
	})
}

func TestForecastAndExplain(t *testing.T) {
	p := synthPanel(t, 60, 3)
	f := NewFeatures(p, OS, nil)
	cells, err := Forecast(context.Background(), f, []int{1, 3}, Config{Target: OS, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) != 2*len(p.Cells) {
		t.Fatalf("%d forecasts, want %d", len(cells), 2*len(p.Cells))
	}
	for _, c := range cells {
		if err := c.Validate(); err != nil {
			t.Fatal(err)
		}
		if c.Month != p.Last()+grid.Month(c.Horizon) || len(c.History) != 12 || len(c.Drivers) == 0 || len(c.Drivers) > 5 {
			t.Fatalf("forecast %+v", c)
		}
		if c.History[11].Month != p.Last().String() {
			t.Fatalf("history ends %s, want %s", c.History[11].Month, p.Last())
		}
	}
	// the explanation adds up: bias + all contributions = logit(probability),
	// with and without stacking on the exponential-decay baseline
	for _, stack := range []bool{false, true} {
		L, err := Train(f, p.Last(), Config{Target: OS, Horizon: 1, Seed: 1, NoStack: !stack})
		if err != nil {
			t.Fatal(err)
		}
		if stack && L.StackC == 0 {
			t.Error("stacking fitted no weight for the baseline")
		}
		for i := range 5 {
			pr, _ := L.Predict(i, p.Last(), nil)
			bias, all, err := L.Explain(i, p.Last(), 1000)
			if err != nil {
				t.Fatal(err)
			}
			s := bias
			for k, d := range all {
				s += d.Contribution
				if k > 0 && math.Abs(d.Contribution) > math.Abs(all[k-1].Contribution) {
					t.Fatalf("drivers not sorted by size: %+v", all)
				}
			}
			if logit := math.Log(pr.Prob / (1 - pr.Prob)); math.Abs(s-logit) > 1e-9 {
				t.Errorf("stack %v cell %d: bias + contributions %v, logit(p) %v", stack, i, s, logit)
			}
		}
	}
}

func TestHurdleQuantiles(t *testing.T) {
	// P(event) 0.5; given an event log1p(deaths) ~ N(ln 10, 0.01²): ≈ 9 deaths
	pr := Prediction{Prob: 0.5, Mu: math.Log(10), Sigma: 0.01}
	for _, c := range []struct{ q, want float64 }{{0.05, 0}, {0.5, 0}, {0.51, 9}, {0.95, 9}} {
		if got := pr.Quantile(c.q); got != c.want {
			t.Errorf("quantile %v = %v, want %v", c.q, got, c.want)
		}
	}
	d := pr.Draws(100)
	zeros := 0
	for _, v := range d {
		if v == 0 {
			zeros++
		}
	}
	if zeros != 50 {
		t.Errorf("%d of 100 stratified draws are 0, want 50", zeros)
	}
	// baselines' Poisson quantiles
	po := Prediction{Expected: 1, poisson: true}
	if po.Quantile(0.3) != 0 || po.Quantile(0.5) != 1 || po.Quantile(0.95) != 3 {
		t.Errorf("Poisson(1) quantiles %v %v %v, want 0 1 3", po.Quantile(0.3), po.Quantile(0.5), po.Quantile(0.95))
	}
	// the hurdle's log-normal part: exp(μ + σ·z₀.₉₇₅) − 1, z₀.₉₇₅ = 1.959963984540054
	ln := Prediction{Prob: 1, Mu: 10, Sigma: 1}
	if got, want := ln.Quantile(0.975), math.Round(math.Expm1(10+1.959963984540054)); got != want {
		t.Errorf("log-normal 97.5%% quantile %v, want %v", got, want)
	}
}

// Members: sb and ns on cell grids train four classifiers by default, osv
// one; the probability is σ(mean of the members' log-odds), and the
// explanation still adds up to it.
func TestMembers(t *testing.T) {
	p := synthPanel(t, 60, 5)
	for m := 0; m < 60; m += 3 {
		for i, cell := range p.Cells {
			if i%4 == 0 {
				p.Add(cell, p.First+grid.Month(m), NS, 1, 3)
			}
		}
	}
	for _, c := range []struct {
		target, members, want int
	}{
		{OS, 0, 1}, {SB, 0, 4}, {NS, 0, 4}, {SB, 1, 1}, {OS, 3, 3},
	} {
		f := NewFeatures(p, c.target, nil)
		L, err := Train(f, p.Last(), Config{Target: c.target, Horizon: 1, Seed: 1, Members: c.members})
		if err != nil {
			t.Fatalf("%s members %d: %v", TypeNames[c.target], c.members, err)
		}
		if got := 1 + len(L.Ens); got != c.want {
			t.Errorf("%s members %d: %d members, want %d", TypeNames[c.target], c.members, got, c.want)
		}
		for _, m := range L.Ens {
			if m.Clf == L.Clf || len(m.Ens) != 0 {
				t.Fatalf("%s: a member shares the first classifier or has members of its own", TypeNames[c.target])
			}
		}
		row := make([]float64, len(f.Names()))
		for i := range 6 {
			pr, err := L.Predict(i, p.Last(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.Row(i, p.Last(), 1, row); err != nil {
				t.Fatal(err)
			}
			s := 0.0
			for _, m := range append([]*Learned{L}, L.Ens...) {
				v, err := m.logOdds(i, p.Last(), row)
				if err != nil {
					t.Fatal(err)
				}
				s += v
			}
			if want := sigmoid(s / float64(c.want)); math.Abs(pr.Prob-want) > 1e-12 {
				t.Errorf("%s cell %d: probability %v, want σ(mean log-odds) %v", TypeNames[c.target], i, pr.Prob, want)
			}
			bias, all, err := L.Explain(i, p.Last(), 1000)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range all {
				bias += d.Contribution
			}
			if lo := s / float64(c.want); math.Abs(bias-lo) > 1e-9*math.Max(1, math.Abs(lo)) {
				t.Errorf("%s cell %d: bias + contributions %v, mean log-odds %v", TypeNames[c.target], i, bias, lo)
			}
		}
	}
}
