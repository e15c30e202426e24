package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

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
		{"forecast refuses country", []string{"forecast", "--grid", "country"}, 2, "vigil backtest --grid country"},
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
