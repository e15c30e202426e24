package risk_test

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"testing"

	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/forecast/risk"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
)

// TestQueries: the risk queries read their parameters into a run key, a
// month and a horizon, a place; each bad one is invalid input naming the
// parameter with the text the client sees, before the store is asked.
func TestQueries(t *testing.T) {
	ctx := context.Background()
	s, st := memService()
	in, _ := grid.PrioGID(4.25, 18.25)
	st.SaveForecast(ctx, "t", forecast.Run{Target: "os", Grid: forecast.GridPrio, CellSize: 0.5, Origin: origin, Model: "gbt"}, // as ParseTarget names osv
		[]forecast.CellRisk{cellRisk(origin+1, 1, in, 0.2)})
	every := func() (events.CountrySet, error) { return nil, nil }
	refused := func() (events.CountrySet, error) { return nil, errors.New("country refused") }
	type queryCase struct {
		call, query, path string // which query; its parameters; the path value
		field, msg        string // the refused parameter and text ("" answered)
	}
	for _, tc := range []queryCase{
		{call: "layer", query: ""},
		{call: "layer", query: "month=" + (origin + 1).String() + "&horizon=1&target=osv&grid=priogrid&bbox=10,0,20,10"},
		{call: "layer", query: "month=2020-13", field: "month", msg: `month: "2020-13" is not a month (YYYY-MM)`},
		{call: "layer", query: "horizon=0", field: "horizon", msg: `horizon: "0" must be a whole number of months 1…` + strconv.Itoa(forecast.MaxHorizon)},
		{call: "layer", query: "horizon=x", field: "horizon"},
		{call: "layer", query: "target=all", field: "target", msg: `target: "all": want osv, sb or ns`},
		{call: "layer", query: "grid=hex", field: "grid", msg: `grid: "hex": want priogrid, ops or country`},
		{call: "layer", query: "cell_size=0.1", field: "cell_size", msg: "cell_size applies to grid=ops only"},
		{call: "layer", query: "grid=ops&cell_size=0.6", field: "cell_size", msg: `cell_size: "0.6": want the ops grid's cell size in degrees, above 0 and at most 0.5`},
		{call: "layer", query: "bbox=1,2,3", field: "bbox"},
		{call: "cell", path: strconv.Itoa(in)},
		{call: "cell", path: "0", field: "gid", msg: `gid: "0" is not a grid cell id`},
		{call: "cell", path: "x", field: "gid"},
		{call: "cell", path: strconv.Itoa(in), query: "target=x", field: "target"},
		{call: "country", path: "-1", field: "code", msg: `code: "-1" is not a country code (e.g. 490)`},
		{call: "backtest", query: "grid=ops&cell_size=0", field: "cell_size"},
	} {
		q, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		switch tc.call {
		case "layer":
			_, err = s.LayerQuery(ctx, q, every)
		case "cell":
			_, err = s.Explain(ctx, risk.CellPlace, tc.path, q)
		case "country":
			_, err = s.Explain(ctx, risk.CountryPlace, tc.path, q)
		case "backtest":
			_, err = s.BacktestQuery(ctx, q)
		}
		if tc.field == "" {
			if err != nil {
				t.Errorf("%s %q %s: %v", tc.call, tc.query, tc.path, err)
			}
			continue
		}
		if !apperr.IsInvalid(err) || apperr.FieldOf(err) != tc.field || (tc.msg != "" && err.Error() != tc.msg) {
			t.Errorf("%s %q %s: %v (field %q), want invalid %q on %s", tc.call, tc.query, tc.path, err, apperr.FieldOf(err), tc.msg, tc.field)
		}
	}
	// the country filter is read last: a bad month is refused first
	if _, err := s.LayerQuery(ctx, url.Values{"month": {"x"}}, refused); apperr.FieldOf(err) != "month" {
		t.Errorf("bad month and country: %v, want the month refused", err)
	}
	if _, err := s.LayerQuery(ctx, url.Values{}, refused); err == nil || err.Error() != "country refused" {
		t.Errorf("bad country: %v", err)
	}
	if _, err := s.BacktestQuery(ctx, url.Values{"lang": {"fr"}}); !errors.Is(err, risk.ErrNotFound) {
		t.Errorf("backtest without one stored: %v, want not found", err)
	}
}
