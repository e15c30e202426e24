package storetest

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
)

func init() { Register("forecast", testForecast) }

func testForecast(t *testing.T, open Opener) {
	db := open(t)
	ctx := context.Background()
	origin := grid.MonthOf(2018, 12)
	if _, _, err := db.Risk(ctx, "os", origin+1, 1); !errors.Is(err, forecast.ErrNoForecast) {
		t.Fatalf("empty store: %v, want ErrNoForecast", err)
	}
	cell := func(c, h int, p float64) forecast.CellRisk {
		return forecast.CellRisk{Month: origin + grid.Month(h), Horizon: h, Cell: c, Prob: p, Expected: 2 * p, Lo: 0, Hi: 5,
			Drivers: []forecast.Driver{{Feature: "os_sum12", Value: 1.5, Contribution: 0.7}},
			History: []forecast.HistoryPoint{{Month: "2018-12", Events: 2, Fatalities: 3}}}
	}
	run := forecast.Run{Target: "os", Grid: "priogrid", CellSize: 0.5, Origin: origin, Model: "gbt",
		Backtest: []forecast.Result{{Model: "gbt", AUPR: 0.3, CaptureCurve: []float64{0.1, 0.2}}}}
	id1, err := db.SaveForecast(ctx, "cli:test", run, []forecast.CellRisk{cell(100, 1, 0.1), cell(101, 1, 0.2), cell(100, 2, 0.3)})
	if err != nil {
		t.Fatal(err)
	}
	// a newer run for horizon 1 only
	id2, err := db.SaveForecast(ctx, "cli:test", run, []forecast.CellRisk{cell(100, 1, 0.9)})
	if err != nil {
		t.Fatal(err)
	}
	r, cs, err := db.Risk(ctx, "os", origin+1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != id2 || len(cs) != 1 || cs[0].Prob != 0.9 {
		t.Errorf("latest run for h=1: run %d cells %+v", r.ID, cs)
	}
	r, cs, err = db.Risk(ctx, "os", origin+2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != id1 || len(cs) != 1 || cs[0].Cell != 100 || cs[0].Drivers[0].Feature != "os_sum12" || cs[0].History[0].Fatalities != 3 {
		t.Errorf("h=2 from the older run: run %d cells %+v", r.ID, cs)
	}
	if r.Origin != origin || len(r.Backtest) != 1 || r.Backtest[0].AUPR != 0.3 || len(r.Backtest[0].CaptureCurve) != 2 {
		t.Errorf("run round trip %+v", r)
	}
	if _, _, err := db.Risk(ctx, "sb", origin+1, 1); !errors.Is(err, forecast.ErrNoForecast) {
		t.Errorf("other target: %v", err)
	}
	_, cs, err = db.RiskCell(ctx, "os", 100)
	if err != nil || len(cs) != 1 {
		t.Errorf("RiskCell: %v %+v", err, cs)
	}
	if _, _, err := db.RiskCell(ctx, "os", 999); !errors.Is(err, forecast.ErrNoForecast) {
		t.Errorf("unknown cell: %v", err)
	}
	// NaN or inconsistent values write nothing
	bad := cell(102, 1, math.NaN())
	if _, err := db.SaveForecast(ctx, "cli:test", run, []forecast.CellRisk{cell(103, 1, 0.5), bad}); err == nil {
		t.Error("NaN probability stored")
	}
	inv := cell(104, 1, 0.5)
	inv.Lo, inv.Hi = 5, 1
	if _, err := db.SaveForecast(ctx, "cli:test", run, []forecast.CellRisk{inv}); err == nil {
		t.Error("reversed interval stored")
	}
	if r, _ := db.LatestRun(ctx, "os"); r.ID != id2 {
		t.Errorf("a failed save left run %d", r.ID)
	}
	log, err := db.AuditLog(ctx, audit.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range log {
		if e.Action == "forecast.create" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d forecast.create audit entries, want 2", n)
	}
}
