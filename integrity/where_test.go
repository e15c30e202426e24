package integrity_test

import (
	"context"
	"testing"
	"time"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/testutil"
)

// forecastCells answers risk and coverage as the coverage service does:
// months with a stored forecast give probabilities, the others recent
// events; it knows the months with a forecast and the newest. joins
// (when set) counts the joins computed (CellMonths).
type forecastCells struct {
	forecast map[grid.Month]bool
	newest   grid.Month
	joins    *int
}

func (f forecastCells) CellMonths(_ context.Context, mo grid.Month) ([]coverage.CellMonth, grid.Month, coverage.RiskInfo, error) {
	if f.joins != nil {
		*f.joins++
	}
	cms := []coverage.CellMonth{{Cell: 132181, Country: "DR Congo (Zaire)", Risk: 0.4}}
	if f.forecast[mo] {
		of := forecast.MonthRisk{Month: mo, Run: 7, Model: "gbt", Horizon: 3, Created: time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)}
		return cms, mo, coverage.RiskInfo{Definition: of.Definition(), Forecast: &of}, nil
	}
	cms[0].Risk = 0
	return cms, mo, coverage.RiskInfo{Definition: "UCDP events (types 1-3) in the cell in the 12 months before the month (no forecast stored for the month)"}, nil
}

func (f forecastCells) HasForecast(_ context.Context, mo grid.Month) (bool, error) {
	return f.forecast[mo], nil
}

func (f forecastCells) NewestForecastMonth(context.Context) (grid.Month, bool, error) {
	return f.newest, f.newest != 0, nil
}

// bunia is a service holding one item placed at Bunia on 4 December 2026.
func bunia(ctx context.Context, t *testing.T) *integrity.Service {
	s := integrity.NewService(testutil.Store(t), testutil.Keys(t, "k"))
	lat, lon := 1.5667, 30.25
	if _, err := s.AddOne(ctx, "test", integrity.Item{Via: integrity.ViaManual, Text: "Rumeur à Bunia", Place: "Bunia", Lat: &lat, Lon: &lon,
		Time: time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestWhereRiskMonth: when the window's month has no stored forecast, the
// join takes the newest month that has one and says which month was asked;
// a month given in the query is kept; the risk is a code with parameters.
func TestWhereRiskMonth(t *testing.T) {
	ctx := context.Background()
	s := bunia(ctx, t)
	jan19, dec26, nov26 := grid.MonthOf(2019, 1), grid.MonthOf(2026, 12), grid.MonthOf(2026, 11)
	for _, tc := range []struct {
		name      string
		cells     forecastCells
		month     grid.Month
		wantMonth string
		asked     string
		code      string
		atRisk    bool
	}{
		{"fallback to the newest forecast", forecastCells{map[grid.Month]bool{jan19: true}, jan19, nil}, 0, "2019-01", "2026-12", "forecast", true},
		{"the window's month has one", forecastCells{map[grid.Month]bool{jan19: true, dec26: true}, dec26, nil}, 0, "2026-12", "", "forecast", true},
		{"no forecast at all", forecastCells{}, 0, "2026-12", "", "recent_events", false},
		{"an explicit month is kept", forecastCells{map[grid.Month]bool{jan19: true}, jan19, nil}, nov26, "2026-11", "", "recent_events", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			joins := 0
			tc.cells.joins = &joins
			rep, err := s.Where(ctx, integrity.WhereQuery{Month: tc.month}, tc.cells)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Month != tc.wantMonth || rep.MonthAsked != tc.asked || rep.RiskCode != tc.code || len(rep.Cells) != 1 || rep.Cells[0].AtRisk != tc.atRisk {
				t.Errorf("month %s asked %q code %s cells %+v", rep.Month, rep.MonthAsked, rep.RiskCode, rep.Cells)
			}
			if joins != 1 {
				t.Errorf("%d risk and coverage joins computed, want 1", joins)
			}
			// The cell's country in the gazetteer's English, as the admin-1
			// rows say it (the English Where tab's cells read "DR Congo
			// (Zaire)" above areas in "DR Congo"); the events' name is kept.
			if c := rep.Cells[0]; c.Country != "DR Congo (Zaire)" || c.CountryName != "DR Congo" || c.CountryFR != "RD Congo" {
				t.Errorf("cell country %q, name %q, French %q; want DR Congo (Zaire), DR Congo, RD Congo", c.Country, c.CountryName, c.CountryFR)
			}
			if tc.code == "forecast" && (rep.RiskParams["run"] != 7 || rep.RiskParams["model"] != "gbt" || rep.RiskParams["horizon"] != 3 || rep.RiskParams["made"] != "2026-11-02") {
				t.Errorf("params %v", rep.RiskParams)
			}
		})
	}
}

// noGrid is a coverage service with no grid yet (no deployments or events).
type noGrid struct{}

func (noGrid) CellMonths(_ context.Context, mo grid.Month) ([]coverage.CellMonth, grid.Month, coverage.RiskInfo, error) {
	return nil, mo, coverage.RiskInfo{}, nil
}

// TestWhereCoverageCode: why risk and coverage are missing is a code the
// UI writes in its language, beside the English note.
func TestWhereCoverageCode(t *testing.T) {
	ctx := context.Background()
	s := bunia(ctx, t)
	for _, tc := range []struct {
		name  string
		cells integrity.CellSource
		code  string
	}{
		{"no coverage service", nil, "unavailable"},
		{"no grid yet", noGrid{}, "no_grid"},
		{"joined", forecastCells{}, ""},
	} {
		rep, err := s.Where(ctx, integrity.WhereQuery{}, tc.cells)
		if err != nil || rep.CoverageCode != tc.code || (tc.code != "") != (rep.CoverageNote != "") {
			t.Errorf("%s: code %q note %q, %v; want code %q", tc.name, rep.CoverageCode, rep.CoverageNote, err, tc.code)
		}
	}
}
