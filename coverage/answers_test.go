package coverage_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/testutil"
)

const sitesCSV = `id,mission,kind,lat,lon,start,end,military,police,civilian,women,men,units,mobility
bangui,MINUSCA,permanent,4.3947,18.5582,2014-09,2018-12,1200,300,50,150,1000,infantry;hq,vehicle
bria,MINUSCA,cob,6.5423,21.9863,2015-01,2018-12,150,0,0,10,140,infantry,vehicle
`

// forecastOf is a coverage.ForecastSource with one month's probabilities;
// reads (when set) counts the forecasts read.
type forecastOf struct {
	month grid.Month
	p     map[int]float64
	reads *int
}

// testForecast is the forecast forecastOf answers.
var testForecast = forecast.MonthRisk{Run: 3, Model: "test", Horizon: 1}

func (f forecastOf) CellProbabilities(_ context.Context, mo grid.Month) (map[int]float64, forecast.MonthRisk, bool, error) {
	if f.reads != nil {
		*f.reads++
	}
	if mo != f.month {
		return nil, forecast.MonthRisk{}, false, nil
	}
	return f.p, testForecast, true, nil
}

func (f forecastOf) CellForecastMonths(_ context.Context, from, to grid.Month) ([]grid.Month, error) {
	if f.month < from || f.month > to {
		return nil, nil
	}
	return []grid.Month{f.month}, nil
}

// TestServiceAnswers: the service's refusals name the field (bad input) or
// say what is missing (not found) and write nothing; the gap list ranks by
// the stored forecast of the month when there is one and by recent
// violence otherwise; the latest month is the last with deployments and
// events.
func TestServiceAnswers(t *testing.T) {
	ctx := context.Background()
	db := testutil.Store(t)
	s := coverage.NewService(db, nil, nil)

	type refusal struct {
		name     string
		err      error
		notFound bool
		field    string
		msg      string
	}
	var refusals []refusal
	add := func(name string, err error, notFound bool, field, msg string) {
		refusals = append(refusals, refusal{name, err, notFound, field, msg})
	}
	_, err := s.ImportDeployments(ctx, "ana", "xls", "", "x")
	add("format", err, false, "format", `format "xls": want csv, geojson or geopko`)
	_, err = s.ImportDeployments(ctx, "ana", "csv", "sites.csv", strings.Replace(sitesCSV, "2015-01,2018-12", "2018-12,2015-01", 1))
	add("bad row", err, false, "data", "sites.csv:3: end: 2015-01 is before start 2018-12")
	_, err = s.Responsiveness(ctx, 0, 0)
	add("no deployments", err, true, "", "no deployments stored")
	_, err = s.GapReport(ctx, 0, 5)
	add("no latest month", err, true, "", "no deployments or events stored")
	add("no population", s.DeletePopulation(ctx, "ana"), true, "", "no population layer loaded")
	_, err = s.SetSeasons(ctx, "ana", nil)
	add("no seasons", err, false, "rainy_months", "rainy_months: give at least one country")
	_, err = s.Scenario(ctx, 99)
	add("no scenario", err, true, "", "no scenario 99")
	for _, c := range refusals {
		re := apperr.As(c.err)
		if re == nil || (re.Kind == apperr.KindNotFound) != c.notFound || re.Field != c.field || !strings.Contains(c.err.Error(), c.msg) ||
			errors.Is(c.err, coverage.ErrNotFound) != c.notFound || errors.Is(c.err, coverage.ErrBadInput) == c.notFound {
			t.Errorf("%s: %#v, want not found %v, field %q, %q", c.name, c.err, c.notFound, c.field, c.msg)
		}
	}
	if fc, err := s.DeploymentLayer(ctx, coverage.DeploymentFilter{}, nil); err != nil || len(fc["features"].([]map[string]any)) != 0 {
		t.Fatalf("refused imports stored deployments: %v %v", fc, err)
	}

	out, err := s.ImportDeployments(ctx, "ana", "csv", "", sitesCSV)
	if err != nil || out["inserted"] != 2 {
		t.Fatalf("import: %v %v", out, err)
	}
	day := time.Date(2017, 6, 10, 0, 0, 0, 0, time.UTC)
	ev := events.Event{Source: "test", SourceID: "e1", DateStart: day, DateEnd: day, DatePrecision: 1, Lat: 5.1, Lon: 19.6,
		WherePrecision: 1, Violence: events.OneSided, Best: 4, Low: 4, High: 4, Civilian: -1}
	far := ev
	far.SourceID, far.Lat, far.Lon = "e2", 9.1, 25.1 // 400 km from any site
	if err := db.Import(ctx, func(u events.Upserter) error {
		for _, e := range []*events.Event{&ev, &far} {
			if _, err := u.Upsert(ctx, e); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	rep, err := s.GapReport(ctx, 0, 3)
	if err != nil || rep["month"] != "2017-06" || !strings.HasPrefix(rep["risk_definition"].(string), "UCDP events") || rep["risk_is_forecast"] != false || rep["forecast_month"] != nil {
		t.Fatalf("latest gaps: %v, %v", rep, err)
	}
	hot, _ := grid.PrioGID(9.1, 25.1)
	reads := 0
	s.Forecast = forecastOf{grid.MonthOf(2017, 7), map[int]float64{hot: 0.9}, &reads}
	// The latest month's risk is still counts; the answer names the next
	// month a forecast covers, for the planner to look at instead, found
	// without reading that month's forecast (one read: the month's own).
	rep, err = s.GapReport(ctx, 0, 3)
	if err != nil || rep["month"] != "2017-06" || rep["risk_is_forecast"] != false || rep["forecast_month"] != "2017-07" || reads != 1 {
		t.Fatalf("latest gaps with a forecast of the next month: %v, %v, %d forecast reads", rep, err, reads)
	}
	for mo, want := range map[grid.Month]bool{grid.MonthOf(2017, 6): false, grid.MonthOf(2017, 7): true} {
		if has, err := s.HasForecast(ctx, mo); err != nil || has != want {
			t.Errorf("HasForecast(%s) = %v, %v", mo, has, err)
		}
	}
	rep, err = s.GapReport(ctx, grid.MonthOf(2017, 7), 1)
	if err != nil || rep["risk_definition"] != testForecast.Definition() || rep["risk_is_forecast"] != true || rep["forecast_month"] != nil {
		t.Fatalf("gaps with a forecast: %v, %v", rep, err)
	}
	if gaps := rep["gaps"].([]coverage.GapCell); len(gaps) != 1 || gaps[0].Cell != hot {
		t.Errorf("worst gap with the forecast: %+v, want cell %d", gaps, hot)
	}
	// The map's layer says which risk it carries, as the gap list does:
	// the forecast's probability for 2017-07, counts of events for 2017-06.
	for _, c := range []struct {
		mo       grid.Month
		forecast bool
	}{{grid.MonthOf(2017, 7), true}, {grid.MonthOf(2017, 6), false}} {
		fc, err := s.Layer(ctx, c.mo, nil, nil)
		if err != nil || fc["risk_is_forecast"] != c.forecast || fc["month"] != c.mo.String() {
			t.Errorf("layer of %s: risk_is_forecast %v, month %v (%v), want %v", c.mo, fc["risk_is_forecast"], fc["month"], err, c.forecast)
		}
	}
	if _, err := s.Responsiveness(ctx, grid.MonthOf(2017, 5), grid.MonthOf(2017, 1)); err == nil || !strings.Contains(err.Error(), "to 2017-01 is before from 2017-05") {
		t.Errorf("responsiveness backwards: %v", err)
	}
}
