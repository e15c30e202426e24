package forecast

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/vigil-project/vigil/grid"
)

// Run is one stored forecast run.
type Run struct {
	ID       int64      `json:"id"`
	Created  time.Time  `json:"created"`
	Target   string     `json:"target"`
	Grid     string     `json:"grid"`
	CellSize float64    `json:"cell_size"`
	Origin   grid.Month `json:"-"`
	Model    string     `json:"model"`
	Backtest []Result   `json:"backtest,omitempty"`
	// Units, for country runs: each country's name and PRIO-GRID cells
	// (the geometry the API serves). Empty for cell runs.
	Units []Unit `json:"units,omitempty"`
}

// Unit is a country of a country-month run: its code (the cell list's,
// e.g. Gleditsch–Ward), name and PRIO-GRID cells.
type Unit struct {
	Code  int    `json:"code"`
	Name  string `json:"name,omitempty"`
	Cells []int  `json:"cells"`
}

// PanelUnits returns the units a run of a country panel stores (each
// country's name and PRIO-GRID cells, by code); nil for a cell panel.
func PanelUnits(p *Panel) []Unit {
	if !p.Grid.Country {
		return nil
	}
	out := make([]Unit, 0, len(p.Cells))
	for _, c := range p.Cells {
		out = append(out, Unit{Code: c, Name: p.Names[c], Cells: p.Members[c]})
	}
	return out
}

// Grid names stored with a run (Run.Grid) and accepted by RunKey.
const (
	GridPrio    = "priogrid"
	GridOps     = "ops"
	GridCountry = "country"
)

// RunKey selects stored runs: a target and a unit of analysis. Grid ""
// selects the map's cell runs (PRIO-GRID or ops, whichever is newest: the
// risk layer's default); GridPrio, GridOps (CellSize > 0 narrows it to one
// cell size) or GridCountry select that grid only.
type RunKey struct {
	Target   string
	Grid     string
	CellSize float64
}

// Name returns the grid name stored with a run of g: priogrid, ops or
// country.
func (g Grid) Name() string {
	switch {
	case g.Country:
		return GridCountry
	case g.Size == 0.5:
		return GridPrio
	}
	return GridOps
}

// HistoryPoint is a cell's observed events in one month.
type HistoryPoint struct {
	Month      string  `json:"month"`
	Events     float64 `json:"events"`
	Fatalities float64 `json:"fatalities"`
}

// CellRisk is one stored forecast for a cell and target month.
type CellRisk struct {
	Month    grid.Month     `json:"-"`
	Horizon  int            `json:"horizon"`
	Cell     int            `json:"cell"`
	Prob     float64        `json:"probability"`
	Expected float64        `json:"expected_fatalities"`
	Lo       float64        `json:"lo"`
	Hi       float64        `json:"hi"`
	Drivers  []Driver       `json:"drivers"`
	History  []HistoryPoint `json:"history"`
}

// Validate refuses non-finite or inconsistent values, so NaN never reaches
// the store or the API.
func (c CellRisk) Validate() error {
	for _, v := range []float64{c.Prob, c.Expected, c.Lo, c.Hi} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("cell %d %s: non-finite value", c.Cell, c.Month)
		}
	}
	if c.Prob < 0 || c.Prob > 1 || c.Expected < 0 || c.Lo < 0 || c.Hi < c.Lo {
		return fmt.Errorf("cell %d %s: probability %v, expected %v, interval [%v, %v] inconsistent", c.Cell, c.Month, c.Prob, c.Expected, c.Lo, c.Hi)
	}
	for _, d := range c.Drivers {
		if math.IsNaN(d.Value) || math.IsNaN(d.Contribution) || math.IsInf(d.Value, 0) || math.IsInf(d.Contribution, 0) {
			return fmt.Errorf("cell %d %s: non-finite driver %s", c.Cell, c.Month, d.Feature)
		}
	}
	return nil
}

// ErrNoForecast is returned when no stored run covers a request.
var ErrNoForecast = errors.New("no forecast stored")

// Store persists forecast runs. Risk, RiskCell and LatestRun read the
// map's cell runs (RunKey{Target: target}); the ...Of methods select the
// grid (country-month runs are only read through them).
type Store interface {
	// SaveForecast stores a run and its cells in one transaction and
	// returns the run id; actor is recorded in the audit log.
	SaveForecast(ctx context.Context, actor string, run Run, cells []CellRisk) (int64, error)
	// RiskOf returns the latest run selected by k with forecasts for month
	// and horizon, and those forecasts; RiskUnitOf that run's rows for one
	// unit; LatestRunOf the latest run k selects (with its backtest). Units
	// are cells or countries: CellRisk.Cell holds the country code for a
	// country run. Risk, RiskCell and LatestRun are the map's cell-run
	// shortcuts over these.
	RiskOf(ctx context.Context, k RunKey, month grid.Month, horizon int) (Run, []CellRisk, error)
	RiskUnitOf(ctx context.Context, k RunKey, unit int) (Run, []CellRisk, error)
	LatestRunOf(ctx context.Context, k RunKey) (Run, error)
	// RiskMonths says, for each of months and each horizon 1 to
	// maxHorizon, the newest run selected by k holding forecasts for that
	// month at that horizon (what RiskOf would read), without reading the
	// forecasts: pairs no run holds are left out. In month, then horizon,
	// order; the runs come without backtest and units.
	RiskMonths(ctx context.Context, k RunKey, months []grid.Month, maxHorizon int) ([]MonthRun, error)
}

// Risk returns the latest cell run of target (RunKey{Target: target}: the
// map's runs) with forecasts for month at horizon, and those forecasts.
func Risk(ctx context.Context, st interface {
	RiskOf(context.Context, RunKey, grid.Month, int) (Run, []CellRisk, error)
}, target string, month grid.Month, horizon int) (Run, []CellRisk, error) {
	return st.RiskOf(ctx, RunKey{Target: target}, month, horizon)
}

// RiskCell returns the latest cell run of target and its forecasts for a cell.
func RiskCell(ctx context.Context, st interface {
	RiskUnitOf(context.Context, RunKey, int) (Run, []CellRisk, error)
}, target string, cell int) (Run, []CellRisk, error) {
	return st.RiskUnitOf(ctx, RunKey{Target: target}, cell)
}

// LatestRun returns the newest cell run of target (with its backtest).
func LatestRun(ctx context.Context, st interface {
	LatestRunOf(context.Context, RunKey) (Run, error)
}, target string) (Run, error) {
	return st.LatestRunOf(ctx, RunKey{Target: target})
}

// MonthRisk is the stored cell forecast that gives a month's risk: its
// run, model and horizon (months ahead).
type MonthRisk struct {
	Month   grid.Month
	Run     int64
	Model   string
	Horizon int
	Created time.Time // when the run was computed
}

// Definition says in English what the risk numbers are.
func (m MonthRisk) Definition() string {
	return fmt.Sprintf("forecast probability of violence against civilians (run %d, model %s, %d month(s) ahead)", m.Run, m.Model, m.Horizon)
}

// MonthRun is a month and horizon and the run holding its forecasts
// (Store.RiskMonths).
type MonthRun struct {
	Month   grid.Month
	Horizon int
	Run     Run
}

// Forecast trains at the panel's last month and predicts every cell for
// each horizon, with the top drivers and the last 12 months of history.
func Forecast(ctx context.Context, f *Features, horizons []int, cfg Config) ([]CellRisk, error) {
	p := f.P
	origin := p.Last()
	var out []CellRisk
	for _, h := range horizons {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c := cfg
		c.Horizon = h
		L, err := Train(f, origin, c)
		if err != nil {
			return nil, fmt.Errorf("horizon %d: %w", h, err)
		}
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, "forecast: horizon %d trained (%d rows, %d trees)\n", h, L.Rows, len(L.Clf.Trees))
		}
		row := make([]float64, len(f.Names()))
		for i := range p.Cells {
			pr, err := L.Predict(i, origin, row)
			if err != nil {
				return nil, err
			}
			_, top, err := L.Explain(i, origin, 5)
			if err != nil {
				return nil, err
			}
			cr := CellRisk{Month: origin + grid.Month(h), Horizon: h, Cell: p.Cells[i], Prob: pr.Prob, Expected: pr.Expected, Lo: pr.Lo, Hi: pr.Hi, Drivers: top}
			for m := max(p.First, origin-11); m <= origin; m++ {
				c, d := p.At(f.Target, i, m)
				cr.History = append(cr.History, HistoryPoint{Month: m.String(), Events: float64(c), Fatalities: float64(d)})
			}
			if err := cr.Validate(); err != nil {
				return nil, err
			}
			out = append(out, cr)
		}
	}
	return out, nil
}

// Month is grid.Month, re-exported for callers that only import forecast.
type Month = grid.Month
