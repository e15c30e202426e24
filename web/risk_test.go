package web

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/forecast/metrics"
	"github.com/vigil-project/vigil/grid"
)

func seedRisk(t testing.TB, e *testEnv) {
	t.Helper()
	origin := grid.MonthOf(2018, 12)
	run := forecast.Run{Target: "os", Grid: "priogrid", CellSize: 0.5, Origin: origin, Model: "gbt",
		Backtest: []forecast.Result{
			{Model: "gbt", Target: "os", From: "2018-01", To: "2018-12", Horizon: 1, AUPR: 0.29, Brier: 0.0065, Capture10: 0.84,
				Calibration:  []metrics.CalibrationBin{{Lo: 0, Hi: 0.1, N: 900, MeanPredicted: 0.01, Observed: 0.012}, {Lo: 0.2, Hi: 0.3, N: 40, MeanPredicted: 0.25, Observed: 0.22}},
				CaptureCurve: []float64{0.3, 0.5, 0.6, 0.7}},
			{Model: "exp-decay", AUPR: 0.27, CaptureCurve: []float64{0.2, 0.4, 0.6, 0.8}},
			{Model: "zero", AUPR: 0.01},
		}}
	var cells []forecast.CellRisk
	for h := 1; h <= 2; h++ {
		for _, c := range []int{150000, 150001} {
			cells = append(cells, forecast.CellRisk{Month: origin + grid.Month(h), Horizon: h, Cell: c, Prob: 0.25 * float64(h), Expected: 1.5, Lo: 0, Hi: 7,
				Drivers: []forecast.Driver{{Feature: "os_sum12", Value: 2.3, Contribution: 1.1}, {Feature: "os_ring1_sum3", Value: 0, Contribution: -0.2}},
				History: []forecast.HistoryPoint{{Month: "2018-11", Events: 1, Fatalities: 4}, {Month: "2018-12", Events: 0}}})
		}
	}
	if _, err := e.db.SaveForecast(context.Background(), "test", run, cells); err != nil {
		t.Fatal(err)
	}
}

// seededRiskEnv is the start of the risk API tests: a test env where
// emptyPath, asked by the viewer before any forecast is stored, answers 404
// with a message that says to run vigil forecast; then seedRisk's run is
// stored. It returns the env and the viewer's request options.
func seededRiskEnv(t *testing.T, emptyPath string) (*testEnv, reqOpt) {
	t.Helper()
	e := newEnv(t)
	vic := reqOpt{token: e.tokens["vic"]}
	resp, body := e.do(nil, "GET", emptyPath, vic)
	if resp.StatusCode != 404 || !strings.Contains(string(body), "vigil forecast") {
		t.Fatalf("%s before any forecast: %d %s", emptyPath, resp.StatusCode, body)
	}
	seedRisk(t, e)
	return e, vic
}

func TestRiskAPI(t *testing.T) {
	e, vic := seededRiskEnv(t, "/api/v1/risk?month=2019-01&horizon=1")
	resp, body := e.do(nil, "GET", "/api/v1/risk?month=2019-02&horizon=2", vic)
	if resp.StatusCode != 200 {
		t.Fatalf("risk: %d %s", resp.StatusCode, body)
	}
	var fc struct {
		Type     string
		Features []struct {
			Geometry struct {
				Type        string
				Coordinates [][][2]float64
			}
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(body, &fc); err != nil {
		t.Fatal(err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != 2 {
		t.Fatalf("collection %s", body)
	}
	f0 := fc.Features[0]
	if f0.Properties["probability"] != 0.5 || f0.Properties["expected_fatalities"] != 1.5 || f0.Properties["cell"] != 150000.0 {
		t.Errorf("properties %v", f0.Properties)
	}
	iv, _ := f0.Properties["interval"].([]any)
	if len(iv) != 2 || iv[1] != 7.0 {
		t.Errorf("interval %v", f0.Properties["interval"])
	}
	// the polygon is the cell's 0.5° square
	s, w, n, ea := grid.Regular{Size: 0.5}.Bounds(150000)
	ring := f0.Geometry.Coordinates[0]
	if ring[0] != [2]float64{w, s} || ring[2] != [2]float64{ea, n} {
		t.Errorf("ring %v", ring)
	}
	// without month: the latest run's origin + horizon
	_, body2 := e.do(nil, "GET", "/api/v1/risk?horizon=2", vic)
	if string(body2) != string(body) {
		t.Errorf("horizon-only answer differs from month=2019-02: %s", body2)
	}
	// bbox filter
	_, body = e.do(nil, "GET", "/api/v1/risk?month=2019-02&horizon=2&bbox=0,0,1,1", vic)
	if strings.Count(string(body), `"Feature"`) != 0 {
		t.Errorf("bbox far away returned cells: %s", body)
	}

	resp, body = e.do(nil, "GET", "/api/v1/risk/cell/150001", vic)
	if resp.StatusCode != 200 {
		t.Fatalf("cell: %d %s", resp.StatusCode, body)
	}
	var cell struct {
		Cell      int
		Forecasts []struct {
			Month   string
			Horizon int
			Drivers []forecast.Driver
		}
		History []forecast.HistoryPoint
	}
	if err := json.Unmarshal(body, &cell); err != nil {
		t.Fatal(err)
	}
	if cell.Cell != 150001 || len(cell.Forecasts) != 2 || cell.Forecasts[1].Month != "2019-02" || cell.Forecasts[0].Drivers[0].Feature != "os_sum12" || len(cell.History) != 2 {
		t.Errorf("cell %s", body)
	}

	resp, body = e.do(nil, "GET", "/api/v1/risk/backtest.svg?lang=fr", vic)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("svg: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	dec := xml.NewDecoder(strings.NewReader(string(body)))
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("svg is not well-formed XML: %v", err)
		}
	}
	if !strings.Contains(string(body), "Calibration") || !strings.Contains(string(body), "exp-decay") || !strings.Contains(string(body), "<path") {
		t.Errorf("svg lacks the plots: %s", body)
	}
}

// seedCountryRisk stores a country run: two countries, DR Congo as a 2×2
// block of cells plus one cell apart, CAR as one cell.
func seedCountryRisk(t testing.TB, e *testEnv) {
	t.Helper()
	origin := grid.MonthOf(2018, 12)
	g := func(lat, lon float64) int { c, _ := grid.PrioGID(lat, lon); return c }
	units := []forecast.Unit{
		{Code: 490, Name: "DR Congo (Zaire)", Cells: []int{g(-1.25, 20.25), g(-1.25, 20.75), g(-0.75, 20.25), g(-0.75, 20.75), g(-5.25, 25.25)}},
		{Code: 482, Name: "Central African Republic", Cells: []int{g(6.25, 20.25)}},
	}
	run := forecast.Run{Target: "os", Grid: forecast.GridCountry, Origin: origin, Model: "gbt", Units: units,
		Backtest: []forecast.Result{{Model: "gbt", Target: "os", Grid: "country", AUPR: 0.9, CaptureCurve: []float64{0.5, 1}}, {Model: "exp-decay", AUPR: 0.88, CaptureCurve: []float64{0.4, 1}}}}
	var cs []forecast.CellRisk
	for _, u := range units {
		cs = append(cs, forecast.CellRisk{Month: origin + 1, Horizon: 1, Cell: u.Code, Prob: 0.8, Expected: 40, Lo: 0, Hi: 120,
			Drivers: []forecast.Driver{{Feature: "os_nb_sum12", Value: 3.1, Contribution: 0.4}},
			History: []forecast.HistoryPoint{{Month: "2018-12", Events: 9, Fatalities: 30}}})
	}
	if _, err := e.db.SaveForecast(context.Background(), "test", run, cs); err != nil {
		t.Fatal(err)
	}
}

// Country runs are served with grid=country as MultiPolygons (the union of
// each country's cells) and never replace the map's cell layer.
func TestRiskAPICountry(t *testing.T) {
	e, vic := seededRiskEnv(t, "/api/v1/risk?grid=country")
	_, cellsBefore := e.do(nil, "GET", "/api/v1/risk?horizon=1", vic)
	seedCountryRisk(t, e)
	// the default layer is still the cells
	if _, cellsAfter := e.do(nil, "GET", "/api/v1/risk?horizon=1", vic); string(cellsAfter) != string(cellsBefore) {
		t.Errorf("a country run changed the map's cell layer:\n%s\n%s", cellsBefore, cellsAfter)
	}
	if _, pg := e.do(nil, "GET", "/api/v1/risk?horizon=1&grid=priogrid", vic); string(pg) != string(cellsBefore) {
		t.Errorf("grid=priogrid differs from the default: %s", pg)
	}
	resp, body := e.do(nil, "GET", "/api/v1/risk?grid=country&month=2019-01&horizon=1", vic)
	if resp.StatusCode != 200 {
		t.Fatalf("country risk: %d %s", resp.StatusCode, body)
	}
	var fc struct {
		Features []struct {
			ID       int
			Geometry struct {
				Type        string
				Coordinates [][][][2]float64
			}
			Properties struct {
				Country     int
				Name        string
				Cells       int
				Grid        string
				Probability float64
				Expected    float64 `json:"expected_fatalities"`
				Interval    [2]float64
				Drivers     []forecast.Driver
				History     []forecast.HistoryPoint
			}
		}
	}
	if err := json.Unmarshal(body, &fc); err != nil {
		t.Fatal(err)
	}
	if len(fc.Features) != 2 {
		t.Fatalf("%d features: %s", len(fc.Features), body)
	}
	want := map[int]struct {
		name  string
		polys int
		outer [][2]float64 // first polygon's exterior ring
	}{
		482: {"Central African Republic", 1, [][2]float64{{20, 6}, {20.5, 6}, {20.5, 6.5}, {20, 6.5}, {20, 6}}},
		490: {"DR Congo (Zaire)", 2, [][2]float64{{25, -5.5}, {25.5, -5.5}, {25.5, -5}, {25, -5}, {25, -5.5}}},
	}
	for _, f := range fc.Features {
		w, pr := want[f.ID], f.Properties
		if f.Geometry.Type != "MultiPolygon" || len(f.Geometry.Coordinates) != w.polys || !reflect.DeepEqual(f.Geometry.Coordinates[0][0], w.outer) {
			t.Errorf("country %d geometry %s %v", f.ID, f.Geometry.Type, f.Geometry.Coordinates)
		}
		if pr.Country != f.ID || pr.Name != w.name || pr.Grid != "country" || pr.Probability != 0.8 || pr.Expected != 40 || pr.Interval[1] != 120 ||
			len(pr.Drivers) != 1 || pr.Drivers[0].Feature != "os_nb_sum12" || len(pr.History) != 1 || pr.History[0].Events != 9 {
			t.Errorf("country %d properties %+v", f.ID, pr)
		}
	}
	// the 2×2 block is one square of 1°
	for _, f := range fc.Features {
		if f.ID == 490 && !reflect.DeepEqual(f.Geometry.Coordinates[1][0], [][2]float64{{20, -1.5}, {21, -1.5}, {21, -0.5}, {20, -0.5}, {20, -1.5}}) {
			t.Errorf("DR Congo block %v", f.Geometry.Coordinates[1])
		}
	}
	// bbox keeps the countries whose outline meets it
	_, body = e.do(nil, "GET", "/api/v1/risk?grid=country&horizon=1&bbox=19,5,22,7", vic)
	if strings.Count(string(body), `"Feature"`) != 1 || !strings.Contains(string(body), "Central African") {
		t.Errorf("bbox around CAR: %s", body)
	}
	resp, body = e.do(nil, "GET", "/api/v1/risk/country/490", vic)
	var cty struct {
		Country, Cells int
		Name           string
		Forecasts      []struct{ Drivers []forecast.Driver }
		History        []forecast.HistoryPoint
	}
	if resp.StatusCode != 200 || json.Unmarshal(body, &cty) != nil || cty.Country != 490 || cty.Cells != 5 || cty.Name != "DR Congo (Zaire)" || len(cty.Forecasts) != 1 || len(cty.History) != 1 {
		t.Errorf("country explanation: %d %s", resp.StatusCode, body)
	}
	resp, body = e.do(nil, "GET", "/api/v1/risk/backtest.svg?grid=country", vic)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "AUPR 0.900") || !strings.Contains(string(body), "share of countries") {
		t.Errorf("country backtest svg: %d %s", resp.StatusCode, body)
	}
}

func TestRiskAPIBadInput(t *testing.T) {
	e := newEnv(t)
	seedRisk(t, e)
	vic := reqOpt{token: e.tokens["vic"]}
	cases := []struct {
		path   string
		status int
		field  string
	}{
		{"/api/v1/risk?target=sb", 404, ""},
		{"/api/v1/risk?month=2019-13&horizon=1", 400, "month"},
		{"/api/v1/risk?month=2019-01&horizon=abc", 400, "horizon"},
		{"/api/v1/risk?month=2019-01&horizon=0", 400, "horizon"},
		{"/api/v1/risk?month=2019-01&horizon=99", 400, "horizon"},
		{"/api/v1/risk?month=2019-01&target=rain", 400, "target"},
		{"/api/v1/risk?month=2019-01&bbox=1,2,3", 400, "bbox"},
		{"/api/v1/risk?month=2019-01&color=red", 400, "color"},
		{"/api/v1/risk?month=2019-01&month=2019-02", 400, "month"},
		{"/api/v1/risk?month=2030-01&horizon=1", 404, ""},
		{"/api/v1/risk/cell/abc", 400, "gid"},
		{"/api/v1/risk/cell/-5", 400, "gid"},
		{"/api/v1/risk/cell/12", 404, ""},
		{"/api/v1/risk/cell/150000?target=x", 400, "target"},
		{"/api/v1/risk/backtest.svg?target=sb", 404, ""},
		{"/api/v1/risk?grid=hexes", 400, "grid"},
		{"/api/v1/risk?grid=country", 404, ""},
		{"/api/v1/risk?grid=ops&cell_size=0", 400, "cell_size"},
		{"/api/v1/risk?grid=ops&cell_size=abc", 400, "cell_size"},
		{"/api/v1/risk?grid=ops&cell_size=NaN", 400, "cell_size"},
		{"/api/v1/risk?cell_size=0.25", 400, "cell_size"},
		{"/api/v1/risk?grid=ops&cell_size=0.25", 404, ""},
		{"/api/v1/risk/country/abc", 400, "code"},
		{"/api/v1/risk/country/-1", 400, "code"},
		{"/api/v1/risk/country/490", 404, ""},
		{"/api/v1/risk/country/490?target=x", 400, "target"},
		{"/api/v1/risk/backtest.svg?grid=country", 404, ""},
		{"/api/v1/risk/backtest.svg?grid=x", 400, "grid"},
	}
	for _, c := range cases {
		resp, body := e.do(nil, "GET", c.path, vic)
		if resp.StatusCode != c.status {
			t.Errorf("%s: %d %s, want %d", c.path, resp.StatusCode, body, c.status)
			continue
		}
		var msg struct{ Error, Field string } // beside a refusal's catalog "key" and "args"
		if err := json.Unmarshal(body, &msg); err != nil || msg.Error == "" || msg.Field != c.field {
			t.Errorf("%s: body %s, want error naming field %q", c.path, body, c.field)
		}
	}
	// login required
	resp, _ := e.do(nil, "GET", "/api/v1/risk?month=2019-01", reqOpt{})
	if resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusFound && resp.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous: %d", resp.StatusCode)
	}
}

func FuzzRiskQuery(f *testing.F) {
	e := newEnv(f)
	seedRisk(f, e)
	seedCountryRisk(f, e)
	f.Add("month=2019-01&horizon=1", "150000")
	f.Add("grid=country&horizon=1&bbox=19,5,22,7", "490")
	f.Add("grid=ops&cell_size=1e-300", "482")
	f.Add("month=2019-02&horizon=2&bbox=-180,-90,180,90&target=os", "1")
	f.Add("month=%ff&horizon=1e9", "0x10")
	f.Fuzz(func(t *testing.T, query, gid string) {
		for _, p := range []string{"/api/v1/risk?" + query, "/api/v1/risk/cell/" + url.PathEscape(gid) + "?" + query, "/api/v1/risk/country/" + url.PathEscape(gid) + "?" + query, "/api/v1/risk/backtest.svg?" + query} {
			if _, err := url.ParseRequestURI(p); err != nil {
				continue
			}
			req, err := http.NewRequest("GET", e.srv.URL+p, nil)
			if err != nil {
				continue
			}
			req.Header.Set("Authorization", "Bearer "+e.tokens["vic"])
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode >= 500 {
				t.Fatalf("%s: status %d", p, resp.StatusCode)
			}
		}
	})
}
