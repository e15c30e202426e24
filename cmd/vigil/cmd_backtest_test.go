package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/shareddata"
)

// Bad units of analysis and windows get a clear message and a non-zero exit.
func TestBacktestBadInput(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown unit", []string{"backtest", "--ucdp", "x.csv", "--grid", "district", "--from", "2018-01", "--to", "2018-12"}, 1, `--grid "district": unknown unit of analysis: want priogrid, ops or country`},
		{"country without cells", []string{"backtest", "--ucdp", "x.csv", "--grid", "country", "--from", "2018-01", "--to", "2018-12"}, 2, "--grid country needs --cells FILE"},
		{"bad month", []string{"backtest", "--ucdp", "x.csv", "--grid", "country", "--from", "2018-13", "--to", "2018-12"}, 2, "--from"},
		{"forecast country without cells", []string{"forecast", "--grid", "country"}, 2, "--grid country needs --cells FILE"},
		{"forecast unknown unit", []string{"forecast", "--grid", "district"}, 2, "unknown unit of analysis"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var so, se bytes.Buffer
			if code := run(c.args, nil, &so, &se); code != c.code || !strings.Contains(se.String(), c.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, se.String(), c.code, c.want)
			}
		})
	}
}

// The documented country-month check on the six-country UCDP extract: one
// JSON object per model, the learned model first, every baseline beside it;
// and a window with no training data before it is refused.
func TestBacktestCountry(t *testing.T) {
	cells := shareddata.Path(t, "priogrid/priogrid_cells_6countries_gwno2014.csv")
	ucdp := shareddata.Path(t, "ucdp/ged211_precise_6countries_1989_2018.csv")
	base := []string{"backtest", "--ucdp", ucdp, "--cells", cells, "--grid", "country", "--target", "osv", "--quiet"}
	var so, se bytes.Buffer
	if code := run(append(base, "--from", "2018-01", "--to", "2018-12", "--horizon", "1", "--json"), nil, &so, &se); code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}
	var models []string
	dec := json.NewDecoder(&so)
	for dec.More() {
		var r struct {
			Model, Grid string
			Rows        int
			AUPR        float64
		}
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		if r.Grid != "country" || r.Rows != 6*12 || !(r.AUPR > 0) {
			t.Errorf("%+v", r)
		}
		models = append(models, r.Model)
	}
	if strings.Join(models, ",") != "gbt,zero,no-change,historical-rate,exp-decay" {
		t.Errorf("models %v", models)
	}
	so.Reset()
	se.Reset()
	if code := run(append(base, "--from", "1989-06", "--to", "1990-12"), nil, &so, &se); code != 1 || !strings.Contains(se.String(), "no training data") {
		t.Errorf("early window: exit %d, %q; want a no-training-data error", code, se.String())
	}
}

// The country neighbour features are on by default for one-sided violence
// and change the backtest; --neighbours=false gives the model without them.
func TestBacktestCountryNeighbours(t *testing.T) {
	cells := shareddata.Path(t, "priogrid/priogrid_cells_6countries_gwno2014.csv")
	ucdp := shareddata.Path(t, "ucdp/ged211_precise_6countries_1989_2018.csv")
	base := []string{"backtest", "--ucdp", ucdp, "--cells", cells, "--grid", "country", "--quiet", "--from", "2014-01", "--to", "2014-12", "--json"}
	gbt := func(extra ...string) string {
		var so, se bytes.Buffer
		if code := run(append(append([]string(nil), base...), extra...), nil, &so, &se); code != 0 {
			t.Fatalf("%v: exit %d: %s", extra, code, se.String())
		}
		line, _, _ := strings.Cut(so.String(), "\n")
		return line
	}
	def, on, off := gbt("--target", "osv"), gbt("--target", "osv", "--neighbours"), gbt("--target", "osv", "--neighbours=false")
	if def != on || def == off {
		t.Errorf("osv: default %s\nwith neighbours %s\nwithout %s", def, on, off)
	}
	if sb, sbOff := gbt("--target", "sb"), gbt("--target", "sb", "--neighbours=false"); sb != sbOff {
		t.Errorf("sb: the default must be without neighbours: %s vs %s", sb, sbOff)
	}
}

// vigil forecast --grid country writes a country run beside (not over) the
// map's cell runs: one forecast per country and horizon, each country's
// name and PRIO-GRID cells stored for its outline.
func TestForecastCountry(t *testing.T) {
	cells := shareddata.Path(t, "priogrid/priogrid_cells_6countries_gwno2014.csv")
	ucdp := shareddata.Path(t, "ucdp/ged211_precise_6countries_1989_2018.csv")
	dir := t.TempDir()
	var so, se bytes.Buffer
	if code := run([]string{"forecast", "--data", dir, "--ucdp", ucdp, "--cells", cells, "--grid", "country", "--horizons", "1-2", "--backtest-months", "3"}, nil, &so, &se); code != 0 {
		t.Fatalf("exit %d: %s", code, se.String())
	}
	if !strings.Contains(so.String(), "12 country forecasts for 2019-01…2019-02") {
		t.Errorf("stdout %q", so.String())
	}
	d := dbFlags{data: dir}
	ctx := context.Background()
	db, err := d.open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	run, cs, err := db.RiskOf(ctx, forecast.RunKey{Target: "os", Grid: forecast.GridCountry}, grid.MonthOf(2019, 2), 2)
	if err != nil {
		t.Fatal(err)
	}
	if run.Grid != "country" || len(cs) != 6 || len(run.Units) != 6 || len(run.Backtest) == 0 {
		t.Fatalf("run %+v, %d forecasts", run, len(cs))
	}
	n := 0
	for _, u := range run.Units {
		n += len(u.Cells)
	}
	if n != 2472 || run.Units[0].Code != 432 || run.Units[0].Name != "Mali" {
		t.Errorf("units: %d cells, first %d %q", n, run.Units[0].Code, run.Units[0].Name)
	}
	for _, c := range cs {
		if len(c.Drivers) == 0 || len(c.History) != 12 || c.History[11].Month != "2018-12" {
			t.Errorf("country %d: drivers %v, history %v", c.Cell, c.Drivers, c.History)
		}
	}
	if _, err := forecast.LatestRun(ctx, db, "os"); !errors.Is(err, forecast.ErrNoForecast) {
		t.Errorf("a country run is read as the map's cell layer: %v", err)
	}
}
