package performance_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/demo"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/performance"
)

// demoInputs reads the embedded demo data (six countries: UCDP GED
// 1989–2018, Geo-PKO 1994–2020, PRIO-GRID cells) into memory.
func demoInputs(b *testing.B) ([]events.Event, []coverage.Deployment, *coverage.Cells) {
	b.Helper()
	cells, err := demo.ReferenceCells()
	if err != nil {
		b.Fatal(err)
	}
	r, _ := demo.Open(demo.GeoPKO)
	deps, err := coverage.ReadGeoPKO(r, demo.GeoPKO, cells)
	r.Close()
	if err != nil {
		b.Fatal(err)
	}
	r, _ = demo.Open(demo.UCDPEvents)
	es, err := coverage.ReadEvents(context.Background(), demo.UCDPEvents, r)
	r.Close()
	if err != nil {
		b.Fatal(err)
	}
	return es, deps, cells
}

// BenchmarkAllIndicators36Months computes every library indicator for
// each of the 36 months 2016-01..2018-12 and every area of the demo (the
// six countries and all areas), on a fresh engine each time (indexing
// the events and deployments, coverage panels, responsiveness included;
// reading the files is not).
func BenchmarkAllIndicators36Months(b *testing.B) {
	es, deps, cells := demoInputs(b)
	ctx := context.Background()
	for b.Loop() {
		e := performance.NewEngine(performance.Inputs{EventList: es, DeploymentList: deps, Cells: cells})
		areas, err := e.Areas(ctx)
		if err != nil {
			b.Fatal(err)
		}
		areas = append(areas, performance.AllAreas)
		n := 0
		for _, d := range performance.Library() {
			params := map[string]string{}
			if d.ID == "manual" {
				params["id"] = "x"
			}
			if d.ID == "perception" {
				params["form"] = "x"
			}
			for mo := grid.MonthOf(2016, 1); mo <= grid.MonthOf(2018, 12); mo++ {
				for _, a := range areas {
					p := map[string]string{}
					for k, v := range params {
						p[k] = v
					}
					if _, err := e.Compute(ctx, performance.Request{Indicator: d.ID, Period: performance.Period{mo, mo}, Area: a, Params: p}); err != nil {
						b.Fatal(d.ID, err)
					}
					n++
				}
			}
		}
		b.ReportMetric(float64(n), "values/op")
	}
}

// benchForecasts is a stored forecast for every month: a probability for
// each cell (made up: the benchmark measures time only).
type benchForecasts struct {
	forecast.Store
	rows []forecast.CellRisk
}

func (f benchForecasts) RiskOf(ctx context.Context, k forecast.RunKey, m grid.Month, h int) (forecast.Run, []forecast.CellRisk, error) {
	return forecast.Run{ID: 1, Target: k.Target, Origin: m - 1}, f.rows, nil
}

func (f benchForecasts) LatestRunOf(ctx context.Context, k forecast.RunKey) (forecast.Run, error) {
	return forecast.Run{}, forecast.ErrNoForecast
}

// BenchmarkBriefPDF builds the December 2018 brief on a fresh engine
// (every headline with its 12-month sparkline and trend, the withdrawal
// watch, the map with a stored forecast for every cell and 500 located
// alert incidents) and writes it as PDF.
func BenchmarkBriefPDF(b *testing.B) {
	es, deps, cells := demoInputs(b)
	ctx := context.Background()
	fc := benchForecasts{}
	var ins []alerts.Incident
	statuses := []alerts.Status{alerts.Received, alerts.Triaged, alerts.Dispatched, alerts.False}
	for i, c := range cells.All() {
		fc.rows = append(fc.rows, forecast.CellRisk{Cell: c.GID, Horizon: 1, Prob: float64(c.GID%97) / 970})
		if i%(len(cells.All())/500+1) == 0 {
			lat, lon := c.Lat, c.Lon
			ins = append(ins, alerts.Incident{ID: int64(i + 1), Status: statuses[i%4], FirstAt: time.Date(2018, 12, 1+i%28, 9, 0, 0, 0, time.UTC),
				Location: alerts.Location{Status: "resolved", Lat: &lat, Lon: &lon}})
		}
	}
	for b.Loop() {
		e := performance.NewEngine(performance.Inputs{EventList: es, DeploymentList: deps, Cells: cells, Forecasts: fc, Alerts: performance.AlertsOf(ins)})
		br, err := e.BuildBrief(ctx, grid.MonthOf(2018, 12), performance.BriefOptions{Lang: "fr"})
		if err != nil {
			b.Fatal(err)
		}
		if err := br.WritePDF(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWatchFullHistory runs the withdrawal watch over the whole
// Geo-PKO history of the demo (1994–2020) against UCDP GED 1989–2018.
func BenchmarkWatchFullHistory(b *testing.B) {
	es, deps, cells := demoInputs(b)
	for b.Loop() {
		if _, err := performance.Watch(deps, es, cells, performance.WatchConfig{}); err != nil {
			b.Fatal(err)
		}
	}
}
