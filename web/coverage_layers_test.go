package web

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/audit"
)

type covCaller struct {
	t *testing.T
	e *testEnv
}

func (c covCaller) call(tok, method, path string, body any, want int) map[string]any {
	c.t.Helper()
	var bs string
	if body != nil {
		b, _ := json.Marshal(body)
		bs = string(b)
	}
	resp, b := c.e.do(nil, method, path, reqOpt{token: tok, body: bs})
	if resp.StatusCode != want {
		c.t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, b)
	}
	var out map[string]any
	if len(b) > 0 && b[0] == '{' {
		if err := json.Unmarshal(b, &out); err != nil {
			c.t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return out
}

const car = "Central African Republic"

// TestCoverageLayersAPI checks the population and season routes, that they
// (and new events and deployments) reach the cached coverage inputs at once,
// and that the gap list is ranked by risk × people once population is loaded.
func TestCoverageLayersAPI(t *testing.T) {
	e := newEnv(t)
	c := covCaller{t, e}
	ana, vic := e.tokens["ana"], e.tokens["vic"]
	gaps := func() map[string]any {
		return c.call(vic, "GET", "/api/v1/coverage/gaps?month=2017-07&limit=5000", nil, 200)
	}

	// Nothing stored: no risk, nothing covered. Then each store change is
	// seen by the next request (the cache is invalidated).
	g0 := gaps()
	if g0["risk"].(float64) != 0 || g0["covered_cells"].(float64) != 0 {
		t.Fatalf("empty store: %v", g0)
	}
	loadCAR(t, e)
	g1 := gaps()
	if g1["risk"].(float64) == 0 {
		t.Fatal("events imported after a cached request are not seen")
	}
	c.call(ana, "POST", "/api/v1/coverage/deployments", map[string]any{"format": "csv", "name": "sites.csv", "data": covCSV}, 200)
	g2 := gaps()
	if g2["covered_cells"].(float64) == 0 {
		t.Fatal("deployments imported after a cached request are not seen")
	}
	if rb := g2["ranked_by"].(string); !strings.HasPrefix(rb, "risk (no population") {
		t.Errorf("ranked_by without a layer: %q", rb)
	}

	// Roles.
	popBody := func(name, data string) map[string]any { return map[string]any{"name": name, "data": data} }
	c.call(vic, "POST", "/api/v1/coverage/population", popBody("p.csv", "gid,population\n"), 403)
	c.call(vic, "DELETE", "/api/v1/coverage/population", nil, 403)
	c.call(vic, "PUT", "/api/v1/coverage/seasons", map[string]any{"rainy_months": map[string][]int{car: {}}}, 403)
	c.call("", "GET", "/api/v1/coverage/population", nil, 401)
	c.call("", "GET", "/api/v1/coverage/seasons", nil, 401)
	c.call(ana, "DELETE", "/api/v1/coverage/population", nil, 404)

	// Population: the gap list's lowest-risk gap gets many people and
	// moves to the top; every other gap cell gets one person.
	gl := g2["gaps"].([]any)
	if len(gl) < 3 {
		t.Fatalf("only %d gaps", len(gl))
	}
	last := gl[len(gl)-1].(map[string]any)
	lastCell := int(last["cell"].(float64))
	var sb strings.Builder
	sb.WriteString("gid,population,friction\n")
	for _, x := range gl {
		cell := int(x.(map[string]any)["cell"].(float64))
		pop := 1.0
		if cell == lastCell {
			pop = 1e6
		}
		fmt.Fprintf(&sb, "%d,%g,\n", cell, pop)
	}
	good := sb.String()

	// Bad layers are refused whole, naming the line.
	firstGap := int(gl[0].(map[string]any)["cell"].(float64))
	for _, b := range []struct{ data, msg string }{
		{"", "p.csv:1: empty file"},
		{"gid,people\n1,2\n", "p.csv:1: missing column population"},
		{good + "abc,3,\n", fmt.Sprintf("p.csv:%d: gid \"abc\" is not an integer", len(gl)+2)},
		{good + "1,3,\n", fmt.Sprintf("p.csv:%d: gid 1 is not a cell of the analysis grid", len(gl)+2)},
		{"gid,population\n" + itoa(firstGap) + ",-5\n", `p.csv:2: population "-5" must be a number in 0..1e9`},
		{"gid,population,friction\n" + itoa(firstGap) + ",5,0.2\n", `p.csv:2: friction "0.2" must be a number in 1..100`},
		{"gid,year,population\n" + itoa(firstGap) + ",1800,5\n", `p.csv:2: year "1800"`},
		{good + itoa(firstGap) + ",3,\n", fmt.Sprintf("p.csv:%d: gid %d already given on line 2", len(gl)+2, firstGap)},
	} {
		out := c.call(ana, "POST", "/api/v1/coverage/population", popBody("p.csv", b.data), 400)
		if out["field"] != "data" || !strings.Contains(out["error"].(string), b.msg) {
			t.Errorf("bad layer: %v, want %q", out, b.msg)
		}
	}
	c.call(ana, "POST", "/api/v1/coverage/population", map[string]any{"data": good, "extra": 1}, 400)
	if p := c.call(vic, "GET", "/api/v1/coverage/population", nil, 200); p["loaded"].(bool) {
		t.Fatalf("refused layers wrote something: %v", p)
	}

	sum := c.call(ana, "POST", "/api/v1/coverage/population", popBody("pop.csv", good), 200)
	if int(sum["rows"].(float64)) != len(gl) || sum["loaded_by"] != "ana" {
		t.Errorf("load summary %v", sum)
	}
	p := c.call(vic, "GET", "/api/v1/coverage/population", nil, 200)
	if !p["loaded"].(bool) || p["name"] != "pop.csv" || p["total_population"].(map[string]any)["0"].(float64) != 1e6+float64(len(gl)-1) {
		t.Errorf("population summary %v", p)
	}
	g3 := gaps()
	top := g3["gaps"].([]any)[0].(map[string]any)
	if int(top["cell"].(float64)) != lastCell || top["population"].(float64) != 1e6 {
		t.Errorf("top gap with population %v, want cell %d", top, lastCell)
	}
	if want := last["risk"].(float64) * 1e6; top["gap_score"].(float64) != want {
		t.Errorf("gap score %v, want risk × people = %v", top["gap_score"], want)
	}
	if rb := g3["ranked_by"].(string); !strings.Contains(rb, "risk × population (population layer pop.csv)") {
		t.Errorf("ranked_by %q", rb)
	}
	// The layer also gives personnel per population in the coverage layer.
	layer := c.call(vic, "GET", "/api/v1/coverage?month=2017-07", nil, 200)
	withPop := 0
	for _, f := range layer["features"].([]any) {
		if pr := f.(map[string]any)["properties"].(map[string]any); pr["population"] != nil {
			withPop++
		}
	}
	if withPop != len(gl) {
		t.Errorf("%d cells of the layer carry population, want %d", withPop, len(gl))
	}
	// The planner's default weight is risk × population: it goes for the
	// populous cell.
	plan := c.call(ana, "POST", "/api/v1/coverage/plan", map[string]any{"month": "2017-07", "p": 1, "mobility": "vehicle"}, 200)
	if gain := plan["covered_weight_after"].(float64) - plan["covered_weight_before"].(float64); gain < last["risk"].(float64)*1e6 {
		t.Errorf("plan with population gained %v, want ≥ %v", gain, last["risk"].(float64)*1e6)
	}

	// Seasons: defaults first; CAR's rainy season (May–October) shortens
	// vehicle reach in July. Without a rainy season more cells are covered.
	s := c.call(vic, "GET", "/api/v1/coverage/seasons", nil, 200)
	carSeason := func(s map[string]any) map[string]any {
		for _, x := range s["countries"].([]any) {
			if m := x.(map[string]any); m["name"] == car {
				return m
			}
		}
		t.Fatalf("no %s in %v", car, s)
		return nil
	}
	if cs := carSeason(s); cs["source"] != "default" || len(cs["rainy_months"].([]any)) != 6 {
		t.Errorf("CAR default season %v", cs)
	}
	for _, b := range []struct {
		body  string
		field string
	}{
		{`{"rainy_months":{"` + car + `":[13]}}`, "rainy_months." + car},
		{`{"rainy_months":{"` + car + `":[0]}}`, "rainy_months." + car},
		{`{"rainy_months":{"` + car + `":[5,5]}}`, "rainy_months." + car},
		{`{"rainy_months":{"Atlantis":[5]}}`, "rainy_months.Atlantis"},
		{`{"rainy_months":{}}`, "rainy_months"},
		{`{}`, "rainy_months"},
	} {
		resp, out := e.do(nil, "PUT", "/api/v1/coverage/seasons", reqOpt{token: ana, body: b.body})
		var m map[string]any
		_ = json.Unmarshal(out, &m)
		if resp.StatusCode != 400 || m["field"] != b.field {
			t.Errorf("PUT seasons %s: %d %s, want 400 on %s", b.body, resp.StatusCode, out, b.field)
		}
	}
	for _, b := range []string{`{"rainy_months":{"` + car + `":[5.5]}}`, `{"rainy_months":{"` + car + `":"6"}}`, `not json`} {
		if resp, out := e.do(nil, "PUT", "/api/v1/coverage/seasons", reqOpt{token: ana, body: b}); resp.StatusCode != 400 {
			t.Errorf("PUT seasons %s: %d %s", b, resp.StatusCode, out)
		}
	}
	rainy := gaps()
	s = c.call(ana, "PUT", "/api/v1/coverage/seasons", map[string]any{"rainy_months": map[string][]int{car: {}}}, 200)
	if cs := carSeason(s); cs["source"] != "stored" || len(cs["rainy_months"].([]any)) != 0 {
		t.Errorf("CAR season after PUT %v", cs)
	}
	dry := gaps()
	if dry["covered_cells"].(float64) <= rainy["covered_cells"].(float64) {
		t.Errorf("no rainy season: %v covered cells, with the default season %v", dry["covered_cells"], rainy["covered_cells"])
	}
	// null restores the default.
	c.call(ana, "PUT", "/api/v1/coverage/seasons", map[string]any{"rainy_months": map[string]any{car: nil}}, 200)
	if again := gaps(); again["covered_cells"] != rainy["covered_cells"] {
		t.Errorf("after restoring the default: %v covered, want %v", again["covered_cells"], rainy["covered_cells"])
	}

	// Removing the layer goes back to ranking by risk.
	resp, _ := e.do(nil, "DELETE", "/api/v1/coverage/population", reqOpt{token: ana})
	if resp.StatusCode != 204 {
		t.Fatalf("DELETE population: %d", resp.StatusCode)
	}
	if rb := gaps()["ranked_by"].(string); !strings.HasPrefix(rb, "risk (no population") {
		t.Errorf("ranked_by after delete: %q", rb)
	}

	for _, a := range []string{"coverage.population.load", "coverage.population.delete", "coverage.seasons.save"} {
		log, err := e.db.AuditLog(context.Background(), audit.Filter{Action: a})
		if err != nil || len(log) == 0 || log[0].Actor != "ana" {
			t.Errorf("audit %s: %v %v", a, log, err)
		}
	}
}

// TestCoverageCacheConcurrent runs coverage requests in parallel with
// changes to seasons (run with -race): shared models and the cache must be
// safe, and every answer consistent.
func TestCoverageCacheConcurrent(t *testing.T) {
	e := newEnv(t)
	c := covCaller{t, e}
	ana, vic := e.tokens["ana"], e.tokens["vic"]
	c.call(ana, "POST", "/api/v1/coverage/deployments", map[string]any{"format": "csv", "name": "sites.csv", "data": covCSV}, 200)
	done := make(chan error, 16)
	for i := 0; i < 8; i++ {
		go func(i int) {
			path := "/api/v1/coverage/gaps?month=2017-07"
			method, body := "GET", ""
			if i%2 == 1 {
				method, body = "POST", `{"month":"2017-0`+itoa(1+i)+`","lat":6.9,"lon":19.5,"mobility":"vehicle"}`
				path = "/api/v1/coverage/try"
			}
			tok := vic
			if method == "POST" {
				tok = ana
			}
			resp, b := e.do(nil, method, path, reqOpt{token: tok, body: body})
			if resp.StatusCode != 200 {
				done <- fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, b)
				return
			}
			done <- nil
		}(i)
	}
	for i := 0; i < 4; i++ {
		months := []int{5, 6, 7}
		if i%2 == 1 {
			months = []int{}
		}
		c.call(ana, "PUT", "/api/v1/coverage/seasons", map[string]any{"rainy_months": map[string][]int{car: months}}, 200)
	}
	for i := 0; i < 8; i++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
	// The last setting (no rainy season) is what the next request sees.
	s := c.call(vic, "GET", "/api/v1/coverage/seasons", nil, 200)
	for _, x := range s["countries"].([]any) {
		if m := x.(map[string]any); m["name"] == car && len(m["rainy_months"].([]any)) != 0 {
			t.Errorf("CAR after the last PUT: %v", m)
		}
	}
}

// TestCoveragePopulationPlaces: the population layer, which took PRIO-GRID
// cell ids only, also places a row by its position or by a place name the
// server's gazetteer (the shipped one here) knows in one cell; a name it
// does not know is refused at its line, nothing loaded.
func TestCoveragePopulationPlaces(t *testing.T) {
	e := newEnv(t)
	c := covCaller{t, e}
	ana, vic := e.tokens["ana"], e.tokens["vic"]
	loadCAR(t, e)
	body := func(data string) map[string]any { return map[string]any{"name": "towns.csv", "data": data} }
	out := c.call(ana, "POST", "/api/v1/coverage/population", body("place,population\nBangui,800000\nNowhere Vigil Test,5\n"), 400)
	if out["field"] != "data" || !strings.Contains(out["error"].(string), `towns.csv:3: place "Nowhere Vigil Test" is not in the gazetteer`) || out["key"] != "refusal.at-line" {
		t.Errorf("unknown place: %v", out)
	}
	if p := c.call(vic, "GET", "/api/v1/coverage/population", nil, 200); p["loaded"].(bool) {
		t.Fatalf("a refused layer wrote something: %v", p)
	}
	sum := c.call(ana, "POST", "/api/v1/coverage/population", body("place,lat,lon,population\nBangui,,,800000\n,6.54,21.99,40000\nBambari,,,50000\n"), 200)
	if sum["rows"].(float64) != 3 || sum["total_population"].(map[string]any)["0"].(float64) != 890000 {
		t.Errorf("layer by place names and a position: %v", sum)
	}
}
