package web

import (
	"encoding/json"
	"flag"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/vigil-project/vigil/internal/testutil/golden"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden answers in testdata/golden")

// TestAPIGolden compares the risk, events, coverage, places, demo and VIEWS scoring
// answers over the CAR events, a cell and a country forecast run and three
// deployments with the answers kept in testdata/golden (byte for byte; go
// test -run TestAPIGolden -update rewrites them). It holds the answers
// fixed while their logic moves between packages.
func TestAPIGolden(t *testing.T) {
	e := newEnv(t)
	loadCAR(t, e)
	seedRisk(t, e)
	seedCountryRisk(t, e)
	ana, vic := e.tokens["ana"], e.tokens["vic"]
	imp, _ := json.Marshal(map[string]any{"format": "csv", "name": "sites.csv", "data": covCSV})
	if resp, b := e.do(nil, "POST", "/api/v1/coverage/deployments", reqOpt{token: ana, body: string(imp)}); resp.StatusCode != 200 {
		t.Fatalf("deployments: %d %s", resp.StatusCode, b)
	}
	cases := []struct {
		name, method, path, tok, body string
	}{
		{"risk", "GET", "/api/v1/risk?horizon=1", vic, ""},
		{"risk_month_bbox", "GET", "/api/v1/risk?month=2019-02&horizon=2&bbox=-180,-90,180,90&target=osv", vic, ""},
		{"risk_country", "GET", "/api/v1/risk?grid=country&horizon=1", vic, ""},
		{"risk_none", "GET", "/api/v1/risk?target=sb", vic, ""},
		{"risk_cell", "GET", "/api/v1/risk/cell/150000", vic, ""},
		{"risk_cell_none", "GET", "/api/v1/risk/cell/7", vic, ""},
		{"risk_country_490", "GET", "/api/v1/risk/country/490", vic, ""},
		{"risk_cell_country", "GET", "/api/v1/risk/cell/138641?grid=country", vic, ""}, // the country holding the cell (6.25° N, 20.25° E): 482
		{"risk_backtest_fr", "GET", "/api/v1/risk/backtest.svg?lang=fr", vic, ""},
		{"risk_backtest_country", "GET", "/api/v1/risk/backtest.svg?grid=country", vic, ""},
		{"events_page", "GET", "/api/v1/events?limit=5&bbox=18,4,19,5", vic, ""},
		{"events_page2", "GET", "/api/v1/events?limit=3&cursor=5&type=os&from=2015-01", ana, ""},
		{"event", "GET", "/api/v1/events/3", vic, ""},
		{"event_none", "GET", "/api/v1/events/999999", vic, ""},
		{"clusters", "GET", "/api/v1/clusters?zoom=6&bbox=18,3,22,8", vic, ""},
		{"grid", "GET", "/api/v1/grid?bbox=18,4,19.5,5&from=2014-01&to=2014-12", vic, ""},
		{"grid_ops", "GET", "/api/v1/grid?grid=0.25&bbox=18,4,19,5&from=2014-01&to=2014-06", ana, ""},
		{"coverage_layer", "GET", "/api/v1/coverage?month=2017-07&bbox=18,4,19.5,5", vic, ""},
		{"coverage_layer_forecast", "GET", "/api/v1/coverage?month=2019-01&bbox=18,4,19.5,5", vic, ""},
		{"coverage_gaps", "GET", "/api/v1/coverage/gaps?month=2017-07&limit=5", vic, ""},
		{"coverage_gaps_latest", "GET", "/api/v1/coverage/gaps?month=latest&limit=3", vic, ""},
		{"coverage_deployments", "GET", "/api/v1/coverage/deployments?month=2017-10", vic, ""},
		{"coverage_responsiveness", "GET", "/api/v1/coverage/responsiveness?from=2017-01&to=2017-12", vic, ""},
		{"coverage_try", "POST", "/api/v1/coverage/try", ana, `{"month":"2017-07","lat":5.5,"lon":20.5,"mobility":"vehicle"}`},
		{"coverage_population", "GET", "/api/v1/coverage/population", vic, ""},
		{"coverage_seasons", "GET", "/api/v1/coverage/seasons", vic, ""},
		{"places_search", "GET", "/api/v1/places/search?q=Bria&limit=3", vic, ""},
		{"places_label", "GET", "/api/v1/places/label?lat=4.4&lon=18.6", vic, ""},
		{"places_gazetteer", "GET", "/api/v1/places/gazetteer", vic, ""},
		{"demo", "GET", "/api/v1/demo", vic, ""},
		// a forecast scored beside the zero and poisson-last benchmarks
		// (multipart: views_score below)
		{"views_score_benchmarks", "POST", "/api/v1/forecast/views/score", ana, "views"},
	}
	// The run's creation time (computed) and upload times vary;
	// nothing else in the answers depends on the clock.
	volatile := regexp.MustCompile(`"(created_at|loaded_at|computed)":"[^"]*"`)
	for _, c := range cases {
		opt := reqOpt{token: c.tok, body: c.body}
		if c.body == "views" {
			opt.body, opt.ctype = viewsForm([3]string{"forecast", "fc.csv", viewsFC}, [3]string{"actuals", "act.csv", viewsAct},
				[3]string{"features", "feat.csv", viewsFeat}, [3]string{"cutoff", "", "466"})
		}
		resp, b := e.do(nil, c.method, c.path, opt)
		got := append([]byte(resp.Status+" "+resp.Header.Get("Content-Type")+"\n"), volatile.ReplaceAll(b, []byte(`"$1":"…"`))...)
		file := filepath.Join("testdata", "golden", c.name)
		golden.Check(t, file, got, *updateGolden)
	}
}
