package storetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/testutil"
	"github.com/vigil-project/vigil/storage"
)

func testForecast(t *testing.T, ctx context.Context, db *storage.DB) {
	origin := grid.MonthOf(2018, 12)
	if _, _, err := forecast.Risk(ctx, db, "os", origin+1, 1); !errors.Is(err, forecast.ErrNoForecast) {
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
	// The target's other names find the same runs: the coverage planner,
	// the integrity where view and the performance indicators ask for
	// "osv", Vigil stores "os" (forecast.TypeNames); "osv" is stored as "os".
	for _, name := range []string{"osv", "one-sided", "OS"} {
		if r, _, err := forecast.Risk(ctx, db, name, origin+1, 1); err != nil || r.ID != id2 || r.Target != "os" {
			t.Errorf("Risk(%q): run %d target %q, %v; want run %d", name, r.ID, r.Target, err, id2)
		}
		if r, err := forecast.LatestRun(ctx, db, name); err != nil || r.ID != id2 {
			t.Errorf("LatestRun(%q): run %d, %v; want %d", name, r.ID, err, id2)
		}
	}
	r, cs, err := forecast.Risk(ctx, db, "os", origin+1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != id2 || len(cs) != 1 || cs[0].Prob != 0.9 {
		t.Errorf("latest run for h=1: run %d cells %+v", r.ID, cs)
	}
	r, cs, err = forecast.Risk(ctx, db, "os", origin+2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != id1 || len(cs) != 1 || cs[0].Cell != 100 || cs[0].Drivers[0].Feature != "os_sum12" || cs[0].History[0].Fatalities != 3 {
		t.Errorf("h=2 from the older run: run %d cells %+v", r.ID, cs)
	}
	if r.Origin != origin || len(r.Backtest) != 1 || r.Backtest[0].AUPR != 0.3 || len(r.Backtest[0].CaptureCurve) != 2 {
		t.Errorf("run round trip %+v", r)
	}
	if _, _, err := forecast.Risk(ctx, db, "sb", origin+1, 1); !errors.Is(err, forecast.ErrNoForecast) {
		t.Errorf("other target: %v", err)
	}
	_, cs, err = forecast.RiskCell(ctx, db, "os", 100)
	if err != nil || len(cs) != 1 {
		t.Errorf("RiskCell: %v %+v", err, cs)
	}
	if _, _, err := forecast.RiskCell(ctx, db, "os", 999); !errors.Is(err, forecast.ErrNoForecast) {
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
	if r, _ := forecast.LatestRun(ctx, db, "os"); r.ID != id2 {
		t.Errorf("a failed save left run %d", r.ID)
	}
	log := testutil.AuditLog(t, db, audit.Filter{})
	n := 0
	for _, e := range log {
		if e.Action == "forecast.create" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d forecast.create audit entries, want 2", n)
	}
	testForecastGrids(t, db)
}

// testForecastGrids: runs are kept apart by grid; a country run does not
// replace the map's cell layer, and carries its countries' cells.
func testForecastGrids(t *testing.T, db *storage.DB) {
	ctx := context.Background()
	origin := grid.MonthOf(2018, 12)
	one := func(unit int, p float64) []forecast.CellRisk {
		return []forecast.CellRisk{{Month: origin + 1, Horizon: 1, Cell: unit, Prob: p, Expected: 1, Lo: 0, Hi: 3,
			Drivers: []forecast.Driver{}, History: []forecast.HistoryPoint{}}}
	}
	mapRun, err := forecast.LatestRun(ctx, db, "os")
	if err != nil {
		t.Fatal(err)
	}
	units := []forecast.Unit{{Code: 490, Name: "DR Congo (Zaire)", Cells: []int{110579, 111298}}, {Code: 482, Name: "Central African Republic", Cells: []int{130000}}}
	crun := forecast.Run{Target: "os", Grid: forecast.GridCountry, Origin: origin, Model: "gbt", Units: units}
	cid, err := db.SaveForecast(ctx, "cli:test", crun, append(one(490, 0.8), one(482, 0.4)...))
	if err != nil {
		t.Fatal(err)
	}
	ops := forecast.Run{Target: "os", Grid: forecast.GridOps, CellSize: 0.25, Origin: origin, Model: "gbt"}
	oid, err := db.SaveForecast(ctx, "cli:test", ops, one(7, 0.3))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		key  forecast.RunKey
		want int64
		unit int
	}{
		{forecast.RunKey{Target: "os"}, oid, 7},                              // map cells: the newest cell run (ops)
		{forecast.RunKey{Target: "os", Grid: "priogrid"}, mapRun.ID, 100},    // PRIO-GRID only
		{forecast.RunKey{Target: "os", Grid: "ops"}, oid, 7},                 //
		{forecast.RunKey{Target: "os", Grid: "ops", CellSize: 0.25}, oid, 7}, //
		{forecast.RunKey{Target: "os", Grid: "country"}, cid, 482},           // the country run
		{forecast.RunKey{Target: "os", Grid: "COUNTRY"}, cid, 490},           // case-insensitive
		{forecast.RunKey{Target: "os", Grid: "ops", CellSize: 0.1}, 0, 0},    // no such cell size
		{forecast.RunKey{Target: "sb", Grid: "country"}, 0, 0},               // no such target
	}
	for _, c := range cases {
		r, cs, err := db.RiskOf(ctx, c.key, origin+1, 1)
		if c.want == 0 {
			if !errors.Is(err, forecast.ErrNoForecast) {
				t.Errorf("%+v: %v, want ErrNoForecast", c.key, err)
			}
			continue
		}
		if err != nil || r.ID != c.want {
			t.Errorf("%+v: run %d err %v, want run %d", c.key, r.ID, err, c.want)
			continue
		}
		found := false
		for _, x := range cs {
			found = found || x.Cell == c.unit
		}
		if !found {
			t.Errorf("%+v: unit %d not among %+v", c.key, c.unit, cs)
		}
		if _, us, err := db.RiskUnitOf(ctx, c.key, c.unit); err != nil || len(us) != 1 || us[0].Cell != c.unit {
			t.Errorf("%+v: RiskUnitOf(%d) = %+v, %v", c.key, c.unit, us, err)
		}
		if lr, err := db.LatestRunOf(ctx, c.key); err != nil || lr.ID != c.want {
			t.Errorf("%+v: LatestRunOf = %d, %v", c.key, lr.ID, err)
		}
	}
	// RiskMonths names, for each month and horizon, the run RiskOf reads
	// (none where RiskOf finds none), without reading forecasts.
	months := []grid.Month{origin, origin + 1, origin + 2, origin + 3}
	for _, c := range cases {
		var want []string
		for _, m := range months {
			for h := 1; h <= 3; h++ {
				if r, _, err := db.RiskOf(ctx, c.key, m, h); err == nil {
					want = append(want, fmt.Sprintf("%s h%d run %d %s %s", m, h, r.ID, r.Grid, r.Model))
				}
			}
		}
		mrs, err := db.RiskMonths(ctx, c.key, months, 3)
		var got []string
		for _, mr := range mrs {
			got = append(got, fmt.Sprintf("%s h%d run %d %s %s", mr.Month, mr.Horizon, mr.Run.ID, mr.Run.Grid, mr.Run.Model))
		}
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("%+v: RiskMonths = %q, %v; want %q", c.key, got, err, want)
		}
	}
	if mrs, err := db.RiskMonths(ctx, forecast.RunKey{Target: "os", Grid: "priogrid"}, months, 3); err != nil || len(mrs) != 2 || mrs[0].Run.Origin != origin {
		t.Errorf("PRIO-GRID RiskMonths: %+v %v, want (m+1, h1) and (m+2, h2)", mrs, err)
	}
	r, err := db.LatestRunOf(ctx, forecast.RunKey{Target: "os", Grid: "country"})
	if err != nil || len(r.Units) != 2 || r.Units[0].Name != "DR Congo (Zaire)" || len(r.Units[0].Cells) != 2 || r.Units[1].Cells[0] != 130000 {
		t.Errorf("country run units round trip: %+v %v", r.Units, err)
	}
	// the old methods read map cells only: the country run is not the latest
	if r, err := forecast.LatestRun(ctx, db, "os"); err != nil || r.ID != oid {
		t.Errorf("LatestRun after a country run: %d %v, want %d", r.ID, err, oid)
	}
	if _, _, err := forecast.RiskCell(ctx, db, "os", 490); !errors.Is(err, forecast.ErrNoForecast) {
		t.Errorf("RiskCell(490) reads a country: %v", err)
	}
	if _, _, err := db.RiskOf(ctx, forecast.RunKey{Target: "os", Grid: "hexes"}, origin+1, 1); err == nil {
		t.Error("unknown grid accepted")
	}
	// refused runs write nothing
	bad := []struct {
		name  string
		run   forecast.Run
		cells []forecast.CellRisk
	}{
		{"unknown grid", forecast.Run{Target: "os", Grid: "hexes", Origin: origin, Model: "gbt"}, one(1, 0.5)},
		{"country without its cells", crun, one(520, 0.5)},
		{"unit without cells", forecast.Run{Target: "os", Grid: "country", Origin: origin, Model: "gbt", Units: []forecast.Unit{{Code: 520}}}, one(520, 0.5)},
		{"unit twice", forecast.Run{Target: "os", Grid: "country", Origin: origin, Model: "gbt", Units: []forecast.Unit{units[0], units[0]}}, one(490, 0.5)},
		{"units on a cell run", forecast.Run{Target: "os", Grid: "priogrid", Origin: origin, Model: "gbt", Units: units}, one(1, 0.5)},
	}
	for _, b := range bad {
		if _, err := db.SaveForecast(ctx, "cli:test", b.run, b.cells); err == nil {
			t.Errorf("%s: stored", b.name)
		}
	}
	if r, _ := db.LatestRunOf(ctx, forecast.RunKey{Target: "os", Grid: "country"}); r.ID != cid {
		t.Errorf("a refused country run left run %d", r.ID)
	}
}
