package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/forecast"
	"github.com/vigil-project/vigil/grid"
)

var _ forecast.Store = (*DB)(nil)

// SaveForecast stores a forecast run and its cells in one transaction,
// with an audit entry; invalid cells (NaN, inconsistent intervals) write
// nothing.
func (db *DB) SaveForecast(ctx context.Context, actor string, run forecast.Run, cells []forecast.CellRisk) (int64, error) {
	if run.Target == "" || run.Grid == "" || run.Model == "" {
		return 0, errors.New("forecast run: target, grid and model are required")
	}
	if _, _, err := runWhere(forecast.RunKey{Target: run.Target, Grid: run.Grid}); err != nil || run.Grid == "" {
		return 0, fmt.Errorf("forecast run: grid %q: want priogrid, ops or country", run.Grid)
	}
	run.Target = forecast.CanonicalTarget(run.Target) // "osv" is stored as "os", as lookups ask
	country := strings.EqualFold(run.Grid, forecast.GridCountry)
	codes := map[int]bool{}
	for _, u := range run.Units {
		if len(u.Cells) == 0 || codes[u.Code] {
			return 0, fmt.Errorf("forecast run: unit %d listed twice or without cells", u.Code)
		}
		codes[u.Code] = true
	}
	if len(run.Units) > 0 && !country {
		return 0, fmt.Errorf("forecast run: units are for country runs, not grid %q", run.Grid)
	}
	for _, c := range cells {
		if err := c.Validate(); err != nil {
			return 0, err
		}
		if country && !codes[c.Cell] {
			return 0, fmt.Errorf("forecast run: country %d has a forecast but no cells in the run's units", c.Cell)
		}
	}
	bt, err := jsonList(run.Backtest)
	if err != nil {
		return 0, fmt.Errorf("forecast run backtest: %w", err)
	}
	if run.Created.IsZero() {
		run.Created = time.Now()
	}
	units, err := jsonList(run.Units)
	if err != nil {
		return 0, fmt.Errorf("forecast run units: %w", err)
	}
	var id int64
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = db.InsertID(ctx, tx, `INSERT INTO forecast_runs (created, target, grid, cell_size, origin, model, backtest, units) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			run.Created.UTC().Format(time.RFC3339), run.Target, run.Grid, run.CellSize, run.Origin.String(), run.Model, bt, units)
		if err != nil {
			return err
		}
		for _, c := range cells {
			dr, _ := json.Marshal(c.Drivers)
			hi, _ := json.Marshal(c.History)
			if _, err := db.Exec(ctx, tx, `INSERT INTO forecast_cells (run_id, month, horizon, cell, probability, expected, lo, hi, drivers, history) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				id, c.Month.String(), c.Horizon, c.Cell, c.Prob, c.Expected, c.Lo, c.Hi, string(dr), string(hi)); err != nil {
				return err
			}
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "forecast.create", Object: fmt.Sprintf("forecast:%d", id),
			Detail: fmt.Sprintf("target %s, grid %s, origin %s, %d cell forecasts", run.Target, run.Grid, run.Origin, len(cells))})
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

const runCols = `id, created, target, grid, cell_size, origin, model, backtest, units`

// jsonList is the JSON of a list, "" (none) for an empty one.
func jsonList[T any](v []T) (string, error) {
	if len(v) == 0 {
		return "", nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

func scanRun(sc rowScanner) (forecast.Run, error) {
	var r forecast.Run
	var created, origin, bt, units string
	if err := sc.Scan(&r.ID, &created, &r.Target, &r.Grid, &r.CellSize, &origin, &r.Model, &bt, &units); err != nil {
		return r, noRows(err, forecast.ErrNoForecast)
	}
	r.Created, _ = time.Parse(time.RFC3339, created)
	m, err := grid.ParseMonth(origin)
	if err != nil {
		return r, fmt.Errorf("forecast run %d: origin %q: %v", r.ID, origin, err)
	}
	r.Origin = m
	if bt != "" {
		if err := json.Unmarshal([]byte(bt), &r.Backtest); err != nil {
			return r, fmt.Errorf("forecast run %d: backtest: %v", r.ID, err)
		}
	}
	if units != "" {
		if err := json.Unmarshal([]byte(units), &r.Units); err != nil {
			return r, fmt.Errorf("forecast run %d: units: %v", r.ID, err)
		}
	}
	return r, nil
}

func (db *DB) cells(ctx context.Context, where string, args ...any) ([]forecast.CellRisk, error) {
	return queryAll(ctx, db, db.SQL, scanCellRisk, `SELECT month, horizon, cell, probability, expected, lo, hi, drivers, history FROM forecast_cells WHERE `+where+` ORDER BY month, horizon, cell`, args...)
}

func scanCellRisk(sc rowScanner) (forecast.CellRisk, error) {
	var c forecast.CellRisk
	var month, dr, hi string
	err := sc.Scan(&month, &c.Horizon, &c.Cell, &c.Prob, &c.Expected, &c.Lo, &c.Hi, &dr, &hi)
	if err != nil {
		return c, err
	}
	if c.Month, err = grid.ParseMonth(month); err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(dr), &c.Drivers); err != nil {
		return c, err
	}
	return c, json.Unmarshal([]byte(hi), &c.History)
}

// runWhere is the condition (and its arguments) selecting the runs of k.
// Grid "" is the map's cell runs: every grid but country (runs stored
// before grids were named may say PRIO-GRID in any case).
func runWhere(k forecast.RunKey) (string, []any, error) {
	w, args := `target = ?`, []any{forecast.CanonicalTarget(k.Target)}
	switch strings.ToLower(k.Grid) {
	case "":
		w += ` AND lower(grid) <> 'country'`
	case forecast.GridPrio:
		w += ` AND lower(grid) IN ('priogrid', 'prio-grid')`
	case forecast.GridOps:
		w += ` AND lower(grid) = 'ops'`
		if k.CellSize > 0 {
			w += ` AND cell_size = ?`
			args = append(args, k.CellSize)
		}
	case forecast.GridCountry:
		w += ` AND lower(grid) = 'country'`
	default:
		return "", nil, fmt.Errorf("grid %q: want priogrid, ops or country", k.Grid)
	}
	return w, args, nil
}

// RiskOf returns the latest run selected by k holding forecasts for month
// at horizon, and those forecasts.
func (db *DB) RiskOf(ctx context.Context, k forecast.RunKey, month grid.Month, horizon int) (forecast.Run, []forecast.CellRisk, error) {
	w, args, err := runWhere(k)
	if err != nil {
		return forecast.Run{}, nil, err
	}
	run, err := scanRun(db.QueryRow(ctx, db.SQL, `SELECT `+runCols+` FROM forecast_runs r WHERE `+w+`
		AND EXISTS (SELECT 1 FROM forecast_cells c WHERE c.run_id = r.id AND c.month = ? AND c.horizon = ?)
		ORDER BY id DESC LIMIT 1`, append(args, month.String(), horizon)...))
	if err != nil {
		return run, nil, err
	}
	cs, err := db.cells(ctx, `run_id = ? AND month = ? AND horizon = ?`, run.ID, month.String(), horizon)
	return run, cs, err
}

// RiskMonths says which run RiskOf would read for each of months at each
// horizon 1 to maxHorizon (forecast.Store), in one statement of index
// look-ups on forecast_cells' primary key (run, month, horizon, …): no
// forecast is read.
func (db *DB) RiskMonths(ctx context.Context, k forecast.RunKey, months []grid.Month, maxHorizon int) ([]forecast.MonthRun, error) {
	w, wargs, err := runWhere(k)
	if err != nil || len(months) == 0 || maxHorizon < 1 {
		return nil, err
	}
	ms := make([]string, len(months))
	var args []any
	for i, m := range months {
		ms[i] = `SELECT CAST(? AS TEXT)`
		args = append(args, m.String())
	}
	args = append(args, maxHorizon)
	args = append(append(args, wargs...), wargs...)
	has := `EXISTS (SELECT 1 FROM forecast_cells c WHERE c.run_id = %s.id AND c.month = ms.month AND c.horizon = hs.h)`
	q := `WITH RECURSIVE ms(month) AS (` + strings.Join(ms, ` UNION ALL `) + `),
		hs(h) AS (SELECT 1 UNION ALL SELECT h + 1 FROM hs WHERE h < ?)
		SELECT ms.month, hs.h, r.id, r.created, r.target, r.grid, r.cell_size, r.origin, r.model, '', ''
		FROM ms CROSS JOIN hs CROSS JOIN forecast_runs r
		WHERE ` + w + ` AND ` + fmt.Sprintf(has, "r") + `
		AND NOT EXISTS (SELECT 1 FROM forecast_runs r2 WHERE ` + w + ` AND r2.id > r.id AND ` + fmt.Sprintf(has, "r2") + `)
		ORDER BY ms.month, hs.h`
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (forecast.MonthRun, error) {
		var mr forecast.MonthRun
		var month string
		var run forecast.Run
		run, err := scanRun(monthScanner{sc, &month, &mr.Horizon})
		if err != nil {
			return mr, err
		}
		mr.Run = run
		mr.Month, err = grid.ParseMonth(month)
		return mr, err
	}, q, args...)
}

// monthScanner scans a month and a horizon before a run's columns.
type monthScanner struct {
	sc      rowScanner
	month   *string
	horizon *int
}

func (m monthScanner) Scan(dest ...any) error {
	return m.sc.Scan(append([]any{m.month, m.horizon}, dest...)...)
}

// RiskUnitOf returns the latest run selected by k and its forecasts for
// one unit (a cell, or a country code for a country run).
func (db *DB) RiskUnitOf(ctx context.Context, k forecast.RunKey, unit int) (forecast.Run, []forecast.CellRisk, error) {
	run, err := db.LatestRunOf(ctx, k)
	if err != nil {
		return run, nil, err
	}
	cs, err := db.cells(ctx, `run_id = ? AND cell = ?`, run.ID, unit)
	if err == nil && len(cs) == 0 {
		err = forecast.ErrNoForecast
	}
	return run, cs, err
}

// LatestRunOf returns the newest run selected by k.
func (db *DB) LatestRunOf(ctx context.Context, k forecast.RunKey) (forecast.Run, error) {
	w, args, err := runWhere(k)
	if err != nil {
		return forecast.Run{}, err
	}
	return scanRun(db.QueryRow(ctx, db.SQL, `SELECT `+runCols+` FROM forecast_runs WHERE `+w+` ORDER BY id DESC LIMIT 1`, args...))
}
