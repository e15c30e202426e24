package risk_test

import (
	"context"
	"errors"
	"html"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/forecast/risk"
	"github.com/vigil-project/vigil/grid"
)

// memStore is an in-memory forecast.Store holding runs with their cells.
type memStore struct {
	runs  []forecast.Run
	cells map[int64][]forecast.CellRisk
}

func (m *memStore) SaveForecast(_ context.Context, _ string, run forecast.Run, cells []forecast.CellRisk) (int64, error) {
	run.ID = int64(len(m.runs) + 1)
	m.runs = append(m.runs, run)
	if m.cells == nil {
		m.cells = map[int64][]forecast.CellRisk{}
	}
	m.cells[run.ID] = cells
	return run.ID, nil
}

func (m *memStore) match(k forecast.RunKey) []forecast.Run {
	var out []forecast.Run
	for i := len(m.runs) - 1; i >= 0; i-- {
		r := m.runs[i]
		if forecast.CanonicalTarget(r.Target) != forecast.CanonicalTarget(k.Target) || (k.Grid == "" && r.Grid == forecast.GridCountry) || (k.Grid != "" && r.Grid != k.Grid) {
			continue
		}
		out = append(out, r)
	}
	return out
}

func (m *memStore) RiskOf(_ context.Context, k forecast.RunKey, month grid.Month, h int) (forecast.Run, []forecast.CellRisk, error) {
	for _, r := range m.match(k) {
		var cs []forecast.CellRisk
		for _, c := range m.cells[r.ID] {
			if c.Month == month && c.Horizon == h {
				cs = append(cs, c)
			}
		}
		if len(cs) > 0 {
			return r, cs, nil
		}
	}
	return forecast.Run{}, nil, forecast.ErrNoForecast
}

func (m *memStore) RiskUnitOf(_ context.Context, k forecast.RunKey, unit int) (forecast.Run, []forecast.CellRisk, error) {
	for _, r := range m.match(k) {
		var cs []forecast.CellRisk
		for _, c := range m.cells[r.ID] {
			if c.Cell == unit {
				cs = append(cs, c)
			}
		}
		if len(cs) > 0 {
			return r, cs, nil
		}
	}
	return forecast.Run{}, nil, forecast.ErrNoForecast
}

func (m *memStore) LatestRunOf(_ context.Context, k forecast.RunKey) (forecast.Run, error) {
	if rs := m.match(k); len(rs) > 0 {
		return rs[0], nil
	}
	return forecast.Run{}, forecast.ErrNoForecast
}

func (m *memStore) RiskMonths(ctx context.Context, k forecast.RunKey, months []grid.Month, maxH int) ([]forecast.MonthRun, error) {
	var out []forecast.MonthRun
	for _, mo := range months {
		for h := 1; h <= maxH; h++ {
			if r, _, err := m.RiskOf(ctx, k, mo, h); err == nil {
				out = append(out, forecast.MonthRun{Month: mo, Horizon: h, Run: r})
			}
		}
	}
	return out, nil
}

var origin = grid.MonthOf(2018, 12)

// memService is a risk service over an empty memory store.
func memService() (*risk.Service, *memStore) {
	st := &memStore{}
	return &risk.Service{Store: st}, st
}

// twoCellService is memService with a PRIO-GRID run (prioRun(origin))
// holding two cells at 18.25°E, at latitudes latA and latB, with the risks pA
// and pB for the month after origin; it returns the cells' ids.
func twoCellService(ctx context.Context, latA, pA, latB, pB float64) (s *risk.Service, st *memStore, a, b int) {
	s, st = memService()
	a, _ = grid.PrioGID(latA, 18.25)
	b, _ = grid.PrioGID(latB, 18.25)
	st.SaveForecast(ctx, "t", prioRun(origin), []forecast.CellRisk{cellRisk(origin+1, 1, a, pA), cellRisk(origin+1, 1, b, pB)})
	return s, st, a, b
}

// prioRun is the 0.5° PRIO-GRID one-sided violence run (gbt) issued at o.
func prioRun(o grid.Month) forecast.Run {
	return forecast.Run{Target: "osv", Grid: forecast.GridPrio, CellSize: 0.5, Origin: o, Model: "gbt"}
}

func cellRisk(month grid.Month, h, cell int, p float64) forecast.CellRisk {
	return forecast.CellRisk{Month: month, Horizon: h, Cell: cell, Prob: p, Expected: 1, Hi: 2,
		History: []forecast.HistoryPoint{{Month: "2018-12", Events: 1}}}
}

// TestCellProbabilities: the coverage planner's risk for a month is the
// osv PRIO-GRID forecast at the shortest horizon that covers it; ops-grid
// runs are skipped and no forecast is not an error.
func TestCellProbabilities(t *testing.T) {
	ctx := context.Background()
	s, st := memService()
	mo := origin + 3
	st.SaveForecast(ctx, "t", prioRun(origin),
		[]forecast.CellRisk{cellRisk(mo, 3, 100, 0.3), cellRisk(mo, 3, 101, 0.1)})
	st.SaveForecast(ctx, "t", prioRun(origin+1),
		[]forecast.CellRisk{cellRisk(mo, 2, 100, 0.6)})
	st.SaveForecast(ctx, "t", forecast.Run{Target: "osv", Grid: forecast.GridOps, CellSize: 0.1, Origin: origin + 2, Model: "gbt"},
		[]forecast.CellRisk{cellRisk(mo, 1, 5, 0.9)})

	cases := []struct {
		month  grid.Month
		ok     bool
		cell   int
		p      float64
		define string
	}{
		{mo, true, 100, 0.6, "(run 2, model gbt, 2 month(s) ahead)"}, // h=1 is the ops run: skipped
		{mo + 1, false, 0, 0, ""},
	}
	for _, c := range cases {
		p, of, ok, err := s.CellProbabilities(ctx, c.month)
		def := of.Definition()
		if err != nil || ok != c.ok || (ok && (p[c.cell] != c.p || !strings.HasSuffix(def, c.define))) {
			t.Errorf("%s: %v %q %v %v, want cell %d = %v, %q", c.month, p, def, ok, err, c.cell, c.p, c.define)
		}
	}
}

// TestNewestCellMonth: the newest month the latest cell run forecasts
// with a PRIO-GRID run stored for it; none stored is not an error.
func TestNewestCellMonth(t *testing.T) {
	ctx := context.Background()
	empty, _ := memService()
	one, st := memService()
	st.SaveForecast(ctx, "t", prioRun(origin), []forecast.CellRisk{cellRisk(origin+1, 1, 100, 0.2), cellRisk(origin+3, 3, 100, 0.4)})
	for _, c := range []struct {
		name string
		s    *risk.Service
		mo   grid.Month
		ok   bool
	}{{"none stored", empty, 0, false}, {"horizons 1 and 3", one, origin + 3, true}} {
		mo, ok, err := c.s.NewestCellMonth(ctx)
		if mo != c.mo || ok != c.ok || err != nil {
			t.Errorf("%s: %v %v %v, want %v %v", c.name, mo, ok, err, c.mo, c.ok)
		}
	}
}

// TestLayerAndExplanations: the layer keeps the cells inside the box, a
// missing forecast or backtest is ErrNotFound with what to run, and the
// cell explanation carries its centre.
func TestLayerAndExplanations(t *testing.T) {
	ctx := context.Background()
	s, _, in, _ := twoCellService(ctx, 4.25, 0.123456, 40.25, 0.5)

	fc, err := s.Layer(ctx, forecast.RunKey{Target: "osv"}, 0, 1, &events.BBox{West: 10, South: 0, East: 20, North: 10}, nil)
	if err != nil || len(fc.Features) != 1 || fc.Features[0].ID != in || fc.Features[0].Properties["probability"] != 0.1235 {
		t.Fatalf("layer: %+v, %v", fc, err)
	}
	if fc, err := s.Layer(ctx, forecast.RunKey{Target: "osv"}, origin+1, 1, nil, nil); err != nil || len(fc.Features) != 2 {
		t.Errorf("layer without box: %d features, %v", len(fc.Features), err)
	}
	_, errLayer := s.Layer(ctx, forecast.RunKey{Target: "sb"}, 0, 1, nil, nil)
	_, errCell := s.Cell(ctx, "osv", 7)
	_, errBacktest := s.Backtest(ctx, forecast.RunKey{Target: "osv"}, false)
	notFound := []struct {
		name string
		err  error
		want string
	}{
		{"layer sb", errLayer, "no forecast stored for sb: this server does not compute forecasts (an administrator stores them with vigil forecast)"},
		{"cell 7", errCell, "no forecast stored for cell 7 (osv)"},
		{"backtest", errBacktest, "has no backtest: this server's refresh does not check this grid (an administrator runs vigil forecast with --backtest-months)"},
	}
	for _, c := range notFound {
		if !errors.Is(c.err, risk.ErrNotFound) || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: %v, want ErrNotFound saying %q", c.name, c.err, c.want)
		}
	}
	ex, err := s.Cell(ctx, "osv", in)
	if err != nil || ex["lat"] != 4.25 || ex["lon"] != 18.25 || ex["model"] != "gbt" {
		t.Errorf("cell: %v, %v", ex, err)
	}
	if _, err := (&risk.Service{}).Cell(ctx, "osv", in); err == nil || errors.Is(err, risk.ErrNotFound) {
		t.Errorf("no store: %v", err)
	}
}

// TestBacktestSVG: the plot names the learned model and the best baseline
// by AUPR and says what each is (the learned model in words, as the risk
// layer's legend does: not « gbt »), in French when asked (with French numbers:
// 0,300 and 85 %), escapes the model names, names the target in words
// rather than by its code, and keeps each legend line inside the plot.
func TestBacktestSVG(t *testing.T) {
	rs := []forecast.Result{
		{Model: forecast.ModelGBT, Target: "os", From: "2018-01", To: "2018-12", Horizon: 1, AUPR: 0.3, Brier: 0.00613, Capture10: 0.85, CaptureCurve: []float64{0.5, 1}},
		{Model: "zero", AUPR: 0.01},
		{Model: "exp<decay>", AUPR: 0.2, Brier: 0.00608, Capture10: 0.8, CaptureCurve: []float64{0.4, 1}},
	}
	en, fr := risk.BacktestSVG(rs, false), risk.BacktestSVG(rs, true)
	for _, c := range []struct {
		lang, svg string
		want      []string
		not       []string
	}{
		{"en", en, []string{"gradient-boosted trees — AUPR 0.300, Brier 0.00613, top 10% cells: 85% of events", "best baseline (exp&lt;decay&gt;) — AUPR 0.200, Brier 0.00608, top 10% cells: 80% of events",
			"violence against civilians, backtest 2018-01…2018-12, 1 month ahead", "Calibration", ">0.5<"}, []string{"zero (", ">os ", "gbt"}},
		{"fr", fr, []string{"arbres de décision à gradient — AUPR 0,300, Brier 0,00613, 10\u202f% des cellules\u00a0: 85\u202f% des événements", "meilleure référence (exp&lt;decay&gt;) — AUPR 0,200",
			"violences contre les civils, test rétrospectif 2018-01…2018-12, à 1 mois", "probabilité prévue", ">0,5<"}, []string{"0.300", ">0.5<", "horizon", ">os ", "gbt"}},
	} {
		for _, w := range c.want {
			if !strings.Contains(c.svg, w) {
				t.Errorf("%s plot lacks %q", c.lang, w)
			}
		}
		for _, w := range c.not {
			if strings.Contains(c.svg, w) {
				t.Errorf("%s plot says %q", c.lang, w)
			}
		}
		if !strings.HasSuffix(c.svg, "</svg>") {
			t.Errorf("%s plot not closed", c.lang)
		}
		// The legend's lines start at the left padding, one below the other:
		// 760 px wide holds one series each (about 6.5 px a character at 12 px).
		for _, line := range regexp.MustCompile(`<text x="70" y="\d+">([^<]*)</text>`).FindAllStringSubmatch(c.svg, -1) {
			if n := utf8.RuneCountInString(html.UnescapeString(line[1])); 70+n*13/2 > 760 {
				t.Errorf("%s legend line %q (%d characters) runs past the plot's 760 px", c.lang, line[1], n)
			}
		}
	}
}

// southOf is a country filter that chooses the points south of a latitude
// and the countries it names.
type southOf struct {
	lat   float64
	names []string
}

func (c southOf) Name(names ...string) bool {
	for _, n := range names {
		if slices.Contains(c.names, n) {
			return true
		}
	}
	return false
}
func (c southOf) At(lat, _ float64) bool { return lat < c.lat }

// TestLayerCountry: a country filter keeps the cells whose centre it
// chooses and, on a country run, the countries it names by name or code.
func TestLayerCountry(t *testing.T) {
	ctx := context.Background()
	s, st, south, north := twoCellService(ctx, 4.25, 0.2, 8.25, 0.5)
	units := []forecast.Unit{{Code: 482, Name: "Central African Republic", Cells: []int{north}}, {Code: 490, Name: "DR Congo (Zaire)", Cells: []int{south}}}
	st.SaveForecast(ctx, "t", forecast.Run{Target: "osv", Grid: forecast.GridCountry, Origin: origin, Model: "gbt", Units: units},
		[]forecast.CellRisk{cellRisk(origin+1, 1, 482, 0.3), cellRisk(origin+1, 1, 490, 0.4)})
	cases := []struct {
		name string
		grid string
		in   events.CountrySet
		want []any // feature ids
	}{
		{"cells, every country", "", nil, []any{south, north}},
		{"cells south of 6°N", "", southOf{lat: 6}, []any{south}},
		{"cells, none chosen", "", southOf{lat: -90}, []any{}},
		{"countries, by name", forecast.GridCountry, southOf{names: []string{"DR Congo (Zaire)"}}, []any{490}},
		{"countries, by code", forecast.GridCountry, southOf{names: []string{"482"}}, []any{482}},
		{"countries, every one", forecast.GridCountry, nil, []any{482, 490}},
	}
	for _, c := range cases {
		fc, err := s.Layer(ctx, forecast.RunKey{Target: "osv", Grid: c.grid}, 0, 1, nil, c.in)
		got := []any{}
		for _, f := range fc.Features {
			got = append(got, f.ID)
		}
		slices.SortFunc(got, func(a, b any) int { return a.(int) - b.(int) })
		want := slices.Clone(c.want)
		slices.SortFunc(want, func(a, b any) int { return a.(int) - b.(int) })
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("%s: features %v (%v), want %v", c.name, got, err, want)
		}
	}
}

// TestCellForecastMonths: the months CellForecastMonths names are those
// CellProbabilities answers, ops-grid runs skipped (also where a newer ops
// run holds the month at the shortest horizon); NewestCellMonth is the last.
func TestCellForecastMonths(t *testing.T) {
	ctx := context.Background()
	s, st := memService()
	st.SaveForecast(ctx, "t", prioRun(origin), []forecast.CellRisk{cellRisk(origin+1, 1, 1, 0.1), cellRisk(origin+3, 3, 1, 0.2), cellRisk(origin+4, 4, 1, 0.3)})
	ops := prioRun(origin)
	ops.Grid, ops.CellSize = forecast.GridOps, 0.25
	st.SaveForecast(ctx, "t", ops, []forecast.CellRisk{cellRisk(origin+3, 3, 7, 0.5), cellRisk(origin+5, 5, 7, 0.5)})
	var want []grid.Month
	for m := origin - 2; m <= origin+14; m++ {
		if _, _, ok, err := s.CellProbabilities(ctx, m); err != nil {
			t.Fatal(err)
		} else if ok {
			want = append(want, m)
		}
	}
	got, err := s.CellForecastMonths(ctx, origin-2, origin+14)
	if err != nil || !slices.Equal(got, want) || len(got) != 2 {
		t.Fatalf("CellForecastMonths = %v, %v; CellProbabilities has %v", got, err, want)
	}
	if m, ok, err := s.NewestCellMonth(ctx); err != nil || !ok || m != origin+4 {
		t.Errorf("NewestCellMonth = %s %v %v, want %s", m, ok, err, origin+4)
	}
	if _, err := s.CellForecastMonths(ctx, origin, origin+120); err == nil {
		t.Error("121 months accepted")
	}
}

// TestExplainCellsCountry: a cell asked with grid=country (the map showing
// the country forecast, « Expliquer le risque ici » on a found place) is
// explained by the country of the latest country run holding it — its
// forecast, drivers and history, as /risk/country/{code} says them — not
// by the cell's own forecast; a cell in no country of that run, or no
// country run at all, is a 404 saying so; grid is only country or none.
func TestExplainCellsCountry(t *testing.T) {
	ctx := context.Background()
	s, st, south, north := twoCellService(ctx, 4.25, 0.2, 8.25, 0.5)
	q := func(grid string) map[string][]string { return map[string][]string{"grid": {grid}} }
	s.Refreshes = func() []string { return []string{forecast.GridCountry, forecast.GridPrio} }
	if _, err := s.Explain(ctx, risk.CellPlace, strconv.Itoa(north), q("country")); !errors.Is(err, risk.ErrNotFound) || !strings.Contains(err.Error(), `press "Refresh forecasts now"`) {
		t.Errorf("no country run: %v, want ErrNotFound saying how to make one", err)
	}
	units := []forecast.Unit{{Code: 482, Name: "Central African Republic", Cells: []int{north}}, {Code: 490, Name: "DR Congo (Zaire)", Cells: []int{7}}}
	st.SaveForecast(ctx, "t", forecast.Run{Target: "osv", Grid: forecast.GridCountry, Origin: origin, Model: "gbt", Units: units},
		[]forecast.CellRisk{cellRisk(origin+1, 1, 482, 0.3), cellRisk(origin+1, 1, 490, 0.4)})
	ex, err := s.Explain(ctx, risk.CellPlace, strconv.Itoa(north), q("country"))
	want, _ := s.Country(ctx, "osv", 482)
	if err != nil || ex["country"] != 482 || ex["name"] != "Central African Republic" || !reflect.DeepEqual(ex["forecasts"], want["forecasts"]) {
		t.Errorf("cell %d with grid=country: %v (%v), want country 482's explanation %v", north, ex, err, want)
	}
	if ex, err := s.Explain(ctx, risk.CellPlace, strconv.Itoa(north), q("")); err != nil || ex["cell"] != north {
		t.Errorf("cell %d without grid: %v (%v), want the cell's own explanation", north, ex, err)
	}
	if _, err := s.Explain(ctx, risk.CellPlace, strconv.Itoa(south), q("country")); !errors.Is(err, risk.ErrNotFound) || !strings.Contains(err.Error(), "in no country") {
		t.Errorf("cell %d in no country: %v, want ErrNotFound", south, err)
	}
	for _, bad := range []struct {
		p    risk.Place
		grid string
	}{{risk.CellPlace, "ops"}, {risk.CountryPlace, "country"}} {
		if _, err := s.Explain(ctx, bad.p, "482", q(bad.grid)); err == nil || errors.Is(err, risk.ErrNotFound) {
			t.Errorf("%s with grid=%s: %v, want refused", bad.p.Param, bad.grid, err)
		}
	}
}
