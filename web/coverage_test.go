package web

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
)

const covCSV = `id,mission,kind,lat,lon,start,end,military,police,civilian,women,men,units,mobility
bangui,MINUSCA,permanent,4.3947,18.5582,2014-09,2018-12,1200,300,50,150,1000,infantry;hq,vehicle
bria,MINUSCA,cob,6.5423,21.9863,2015-01,2018-12,150,0,0,10,140,infantry,vehicle
kaga,MINUSCA,tob,6.98,19.18,2017-03,2017-09,60,0,0,0,0,infantry,foot
`

func TestCoverageAPI(t *testing.T) {
	e := newEnv(t)
	loadCAR(t, e)
	ana, vic := e.tokens["ana"], e.tokens["vic"]
	call := func(tok, method, path string, body any, want int) map[string]any {
		t.Helper()
		var bs string
		if body != nil {
			b, _ := json.Marshal(body)
			bs = string(b)
		}
		resp, b := e.do(nil, method, path, reqOpt{token: tok, body: bs})
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, b)
		}
		var out map[string]any
		if len(b) > 0 && b[0] == '{' {
			if err := json.Unmarshal(b, &out); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
		}
		return out
	}

	// Roles: viewers cannot import or optimise.
	imp := map[string]any{"format": "csv", "name": "sites.csv", "data": covCSV}
	call(vic, "POST", "/api/v1/coverage/deployments", imp, 403)
	call(vic, "POST", "/api/v1/coverage/plan", map[string]any{"month": "2017-07", "p": 1}, 403)
	call("", "GET", "/api/v1/coverage/gaps?month=2017-07", nil, 401)

	// Bad imports name the line and write nothing.
	bad := strings.Replace(covCSV, "2017-03,2017-09", "2017-09,2017-03", 1)
	out := call(ana, "POST", "/api/v1/coverage/deployments", map[string]any{"format": "csv", "name": "sites.csv", "data": bad}, 400)
	if msg := out["error"].(string); !strings.Contains(msg, "sites.csv:4: end: 2017-03 is before start 2017-09") {
		t.Errorf("bad import message %q", msg)
	}
	// A configured analysis grid (serve --cells) refuses sites outside it.
	e.s.Coverage.Grid = e.s.Coverage.Reference
	paris := covCSV + "paris,MINUSCA,tob,48.85,2.35,2017-01,2017-02,5,0,0,0,0,,foot\n"
	out = call(ana, "POST", "/api/v1/coverage/deployments", map[string]any{"format": "csv", "name": "sites.csv", "data": paris}, 400)
	if !strings.Contains(out["error"].(string), "sites.csv:5: lat: site at 48.8500,2.3500") {
		t.Errorf("outside the grid: %v", out["error"])
	}
	e.s.Coverage.Grid = nil // derived from the data: a mission anywhere is analysed
	call(ana, "POST", "/api/v1/coverage/deployments", map[string]any{"format": "xls", "data": "x"}, 400)
	fc := call(vic, "GET", "/api/v1/coverage/deployments", nil, 200)
	if n := len(fc["features"].([]any)); n != 0 {
		t.Fatalf("failed imports wrote %d deployments", n)
	}
	out = call(ana, "POST", "/api/v1/coverage/deployments", imp, 200)
	if out["inserted"].(float64) != 3 {
		t.Fatalf("import: %v", out)
	}
	fc = call(vic, "GET", "/api/v1/coverage/deployments?month=2017-10", nil, 200)
	if n := len(fc["features"].([]any)); n != 2 {
		t.Errorf("%d sites held in 2017-10, want 2", n)
	}

	// Layer and gaps.
	layer := call(vic, "GET", "/api/v1/coverage?month=2017-07&bbox=14,2,28,11.5", nil, 200)
	covered, named := 0, 0
	for _, f := range layer["features"].([]any) {
		p := f.(map[string]any)["properties"].(map[string]any)
		if p["covered"].(bool) {
			covered++
		}
		// A cell's place is its label in each language, all the map's
		// tooltips read: the whole place record on every cell made the
		// layer half as large again.
		if pl, _ := p["place"].(map[string]any); pl != nil {
			named++
			if pl["label"] == "" || pl["label_fr"] == "" || len(pl) != 2 {
				t.Errorf("layer cell's place %v: want its label and label_fr only", pl)
			}
		}
	}
	if named == 0 {
		t.Errorf("no cell of the layer is named by a place")
	}
	if covered == 0 || covered == len(layer["features"].([]any)) {
		t.Errorf("%d of %d CAR cells covered", covered, len(layer["features"].([]any)))
	}
	gaps := call(vic, "GET", "/api/v1/coverage/gaps?month=2017-07&limit=5", nil, 200)
	gl := gaps["gaps"].([]any)
	if len(gl) == 0 || gaps["uncovered_risk"].(float64) <= 0 {
		t.Fatalf("no gaps: %v", gaps)
	}
	top := gl[0].(map[string]any)
	if top["reason"] == "" || top["risk"].(float64) <= 0 || top["covered"].(bool) {
		t.Errorf("top gap %v", top)
	}
	// Every gap is named by the place of its cell's centre.
	for _, g := range gl {
		if p, _ := g.(map[string]any)["place"].(map[string]any); p == nil || p["label"] == "" || p["label_fr"] == "" {
			t.Errorf("gap without a place: %v", g)
		}
	}

	// Try a TOB on the top gap; the optimiser's one site gains at least as much.
	lat, lon := cellCentre(int(top["cell"].(float64)))
	try := call(ana, "POST", "/api/v1/coverage/try", map[string]any{"month": "2017-07", "lat": lat, "lon": lon, "mobility": "vehicle"}, 200)
	plan := call(ana, "POST", "/api/v1/coverage/plan", map[string]any{"month": "2017-07", "p": 1, "mobility": "vehicle"}, 200)
	gain := plan["covered_weight_after"].(float64) - plan["covered_weight_before"].(float64)
	if try["weight_gained"].(float64) <= 0 || gain < try["weight_gained"].(float64) {
		t.Errorf("try gained %v, plan gained %v", try["weight_gained"], gain)
	}
	// New sites are proposed only in the mission's countries (where it has
	// deployments: the Central African Republic here), never in the other
	// countries whose events are loaded.
	for _, c := range plan["chosen"].([]any) {
		cm := c.(map[string]any)
		// Each proposed site is named by its nearest notable place, in
		// English and French (the page showed only "cell-137203").
		if p, _ := cm["place"].(map[string]any); p == nil || p["label"] == "" || p["label_fr"] == "" {
			t.Errorf("proposed site without a place: %v", cm)
		}
		gid, err := grid.PrioGID(cm["lat"].(float64), cm["lon"].(float64))
		if ref, ok := e.s.Coverage.Reference.Get(gid); err != nil || !ok || ref.Country != "Central African Republic" {
			t.Errorf("TOB proposed at %v,%v (cell %d, %q): outside the mission's country", cm["lat"], cm["lon"], gid, ref.Country)
		}
	}
	if sol := plan["solution"].(map[string]any); sol["gap"] == nil || sol["upper_bound"].(float64) < sol["objective"].(float64) {
		t.Errorf("plan solution %v", sol)
	}

	// Cut.
	cut := call(ana, "POST", "/api/v1/coverage/cut", map[string]any{"month": "2017-07", "share": 0.26}, 200)
	tg, th := cut["targeted"].(map[string]any), cut["thinning"].(map[string]any)
	gap, _ := tg["gap"].(float64)
	if tg["covered_after"].(float64) < th["covered_after"].(float64)-1e-9 && gap == 0 {
		t.Errorf("targeted %v worse than thinning %v at gap 0", tg["covered_after"], th["covered_after"])
	}
	// The cells a deep cut leaves uncovered are named by their nearest place.
	deep := call(ana, "POST", "/api/v1/coverage/cut", map[string]any{"month": "2017-07", "share": 0.9}, 200)
	lostNamed := 0
	for _, o := range []map[string]any{deep["targeted"].(map[string]any), deep["thinning"].(map[string]any)} {
		lost, _ := o["cells_lost"].([]any)
		for _, c := range lost {
			if p, _ := c.(map[string]any)["place"].(map[string]any); p != nil && p["label"] != "" && p["label_fr"] != "" {
				lostNamed++
			} else {
				t.Errorf("lost cell without a place: %v", c)
			}
		}
	}
	if lostNamed == 0 {
		t.Errorf("a 90%% cut lost no cells to name: %v", deep)
	}

	// Bad requests are 400 with the field.
	for _, c := range []struct {
		method, path string
		body         any
		field        string
	}{
		{"GET", "/api/v1/coverage/gaps", nil, "month"},
		{"GET", "/api/v1/coverage/gaps?month=2017-13", nil, "month"},
		{"GET", "/api/v1/coverage/gaps?month=2017-07&limit=0", nil, "limit"},
		{"GET", "/api/v1/coverage?month=2017-07&zoom=3", nil, "zoom"},
		{"POST", "/api/v1/coverage/plan", map[string]any{"month": "2017-07", "p": 100000}, ""},
		{"POST", "/api/v1/coverage/plan", map[string]any{"month": "2017-07", "p": 1, "time_limit_seconds": 3600}, "time_limit_seconds"},
		{"POST", "/api/v1/coverage/plan", map[string]any{"month": "2017-07", "budget": -3}, ""},
		{"POST", "/api/v1/coverage/plan", map[string]any{"month": "2017-07", "p": 1, "extra": 1}, ""},
		{"POST", "/api/v1/coverage/try", map[string]any{"month": "2017-07", "lat": 95, "lon": 0}, "lat"},
		{"POST", "/api/v1/coverage/try", map[string]any{"month": "2017-07", "lat": 5, "lon": 20, "mobility": "boat"}, ""},
		{"POST", "/api/v1/coverage/cut", map[string]any{"month": "2017-07", "share": 1.5}, ""},
		{"POST", "/api/v1/coverage/cut", map[string]any{"month": "1990-01", "share": 0.2}, ""},
		{"POST", "/api/v1/coverage/scenarios", map[string]any{"name": "", "kind": "plan", "month": "2017-07", "body": map[string]any{}}, "name"},
		{"POST", "/api/v1/coverage/scenarios", map[string]any{"name": "x", "kind": "war", "month": "2017-07", "body": map[string]any{}}, "kind"},
		{"GET", "/api/v1/coverage/scenarios/abc", nil, "id"},
		{"GET", "/api/v1/coverage/responsiveness?from=2018-01&to=2017-01", nil, "to"},
	} {
		out := call(ana, c.method, c.path, c.body, 400)
		if f, _ := out["field"].(string); f != c.field {
			t.Errorf("%s %s: field %q, want %q (%v)", c.method, c.path, f, c.field, out["error"])
		}
	}

	// Saved scenarios.
	saved := call(ana, "POST", "/api/v1/coverage/scenarios", map[string]any{"name": "TOB at top gap", "kind": "try", "month": "2017-07", "body": try}, 201)
	id := int(saved["id"].(float64))
	call(vic, "POST", "/api/v1/coverage/scenarios", map[string]any{"name": "x", "kind": "try", "month": "2017-07", "body": try}, 403)
	resp, b := e.do(nil, "GET", "/api/v1/coverage/scenarios", reqOpt{token: vic})
	var list []map[string]any
	if resp.StatusCode != 200 || json.Unmarshal(b, &list) != nil || len(list) != 1 || list[0]["name"] != "TOB at top gap" {
		t.Fatalf("scenarios: %d %s", resp.StatusCode, b)
	}
	one := call(vic, "GET", "/api/v1/coverage/scenarios/"+itoa(id), nil, 200)
	if one["body"].(map[string]any)["weight_gained"] != try["weight_gained"] {
		t.Errorf("scenario body %v", one["body"])
	}
	call(vic, "GET", "/api/v1/coverage/scenarios/99999", nil, 404)

	// A stored forecast replaces recent violence as the risk: one
	// uncovered cell far from every site gets the highest probability.
	far := 137203 // Central African Republic, north-east
	if _, err := e.db.SaveForecast(context.Background(), "test", forecast.Run{Target: "osv", Grid: "priogrid", CellSize: 0.5, Origin: grid.MonthOf(2017, 6), Model: "test"},
		[]forecast.CellRisk{{Month: grid.MonthOf(2017, 7), Horizon: 1, Cell: far, Prob: 0.9, Expected: 3, Lo: 0, Hi: 9}, {Month: grid.MonthOf(2017, 7), Horizon: 1, Cell: 139364, Prob: 0.5, Expected: 1, Lo: 0, Hi: 4}}); err != nil {
		t.Fatal(err)
	}
	gaps = call(vic, "GET", "/api/v1/coverage/gaps?month=2017-07&limit=5", nil, 200)
	if def := gaps["risk_definition"].(string); !strings.Contains(def, "forecast probability") {
		t.Errorf("risk definition with a forecast stored: %q", def)
	}
	if gl := gaps["gaps"].([]any); len(gl) != 1 || int(gl[0].(map[string]any)["cell"].(float64)) != far {
		t.Errorf("gaps with a forecast: %v", gl)
	}

	// Responsiveness over the stored data.
	rep := call(vic, "GET", "/api/v1/coverage/responsiveness?from=2014-09&to=2018-12", nil, 200)
	if rep["onsets"].(float64) == 0 {
		t.Errorf("no onsets in CAR 2014–2018: %v", rep)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func cellCentre(gid int) (lat, lon float64) {
	row, col := (gid-1)/720+1, (gid-1)%720+1
	return -90 + (float64(row)-0.5)*0.5, -180 + (float64(col)-0.5)*0.5
}
