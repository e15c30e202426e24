package web

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
)

// TestDemoStatus: GET /api/v1/demo says whether the store holds demo
// material and which, for the UI's banner.
func TestDemoStatus(t *testing.T) {
	e := newEnv(t)
	get := func() map[string]any {
		t.Helper()
		resp, body := e.do(nil, "GET", "/api/v1/demo", reqOpt{token: e.tokens["vic"]})
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	if m := get(); m["demo"] != false || m["alerts_are_demo"] != false || m["notice"] != nil {
		t.Errorf("plain store: %v", m)
	}
	ctx := context.Background()
	for k, v := range map[string]string{demo.StateEvents: demo.Done, demo.StateAlerts: demo.Done, demo.StateSurvey: demo.Done, demo.StateForecastCtr: demo.Done, demo.StateForecastPG: demo.Computing} {
		if err := e.db.SetDemoState(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	m := get()
	if m["demo"] != true || m["alerts_are_demo"] != true || m["survey_responses_are_demo"] != true || m["scenario_is_demo"] != false || m["computing"] != true {
		t.Errorf("demo store: %v", m)
	}
	if fc, _ := m["forecasts"].(map[string]any); fc["priogrid"] != "computing" || fc["country"] != "done" {
		t.Errorf("forecasts: %v", m["forecasts"])
	}
	if n, _ := m["notice_fr"].(string); !strings.Contains(n, "synthétiques") {
		t.Errorf("notice_fr: %q", n)
	}
	if resp, _ := e.do(nil, "GET", "/api/v1/demo", reqOpt{}); resp.StatusCode != 401 {
		t.Errorf("anonymous: %d", resp.StatusCode)
	}
}

// TestRiskPlaceLabels: risk cells and a cell's explanation carry the
// additive place field naming the cell after its nearest notable place.
func TestRiskPlaceLabels(t *testing.T) {
	e := newEnv(t)
	origin := grid.MonthOf(2018, 12)
	cell := 132182 // the PRIO-GRID cell of Djugu, Ituri (UCDP GED's priogrid_gid)
	run := forecast.Run{Target: "os", Grid: "priogrid", CellSize: 0.5, Origin: origin, Model: "gbt"}
	cells := []forecast.CellRisk{{Month: origin + 1, Horizon: 1, Cell: cell, Prob: 0.3, Expected: 1, Hi: 4,
		History: []forecast.HistoryPoint{{Month: "2018-12", Events: 1}}}}
	if _, err := e.db.SaveForecast(context.Background(), "test", run, cells); err != nil {
		t.Fatal(err)
	}
	vic := reqOpt{token: e.tokens["vic"]}
	resp, body := e.do(nil, "GET", "/api/v1/risk?horizon=1", vic)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"label":"near Djugu, Ituri (DR Congo)"`) {
		t.Errorf("risk: %d %s", resp.StatusCode, body)
	}
	resp, body = e.do(nil, "GET", "/api/v1/risk/cell/132182", vic)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"label_fr":"près de Djugu, Ituri (RD Congo)"`) {
		t.Errorf("risk cell: %d %s", resp.StatusCode, body)
	}
}

// TestDemoBannerNamesInterlocutorLog: the demo banner (every page) and the
// demo's notice (GET /api/v1/demo) name each kind of synthetic material,
// the interlocutor log's meetings among them (they were left out: a
// trainee could read the log's 60 DEMO meetings as real), as the
// Administration page names the log, in English and in French.
func TestDemoBannerNamesInterlocutorLog(t *testing.T) {
	dict := func(name string) map[string]string {
		t.Helper()
		b, err := os.ReadFile("ui/i18n/" + name)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	st, err := (&demo.Status{Store: demoStates{demo.StateEvents: demo.Done, demo.StateInterlocutors: demo.Done}}).Answer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ lang, notice string }{{"en", "notice"}, {"fr", "notice_fr"}} {
		log := dict("admin." + c.lang + ".json")["admin.audit.obj.interlocutors"] // "interlocutor log", « registre des interlocuteurs »
		for what, text := range map[string]string{"banner": dict(c.lang + ".json")["demo.banner"], c.notice: st[c.notice].(string)} {
			if log == "" || !strings.Contains(text, log) {
				t.Errorf("%s %s does not name the %q: %q", c.lang, what, log, text)
			}
		}
	}
}

type demoStates map[string]string

func (s demoStates) DemoState(context.Context) (map[string]string, error) { return s, nil }
