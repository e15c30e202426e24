package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
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
	for _, c := range cells {
		if err := c.Validate(); err != nil {
			return 0, err
		}
	}
	bt := ""
	if len(run.Backtest) > 0 {
		b, err := json.Marshal(run.Backtest)
		if err != nil {
			return 0, fmt.Errorf("forecast run backtest: %w", err)
		}
		bt = string(b)
	}
	if run.Created.IsZero() {
		run.Created = time.Now()
	}
	var id int64
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = db.InsertID(ctx, tx, `INSERT INTO forecast_runs (created, target, grid, cell_size, origin, model, backtest) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			run.Created.UTC().Format(time.RFC3339), run.Target, run.Grid, run.CellSize, run.Origin.String(), run.Model, bt)
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

const runCols = `id, created, target, grid, cell_size, origin, model, backtest`

func scanRun(sc interface{ Scan(...any) error }) (forecast.Run, error) {
	var r forecast.Run
	var created, origin, bt string
	if err := sc.Scan(&r.ID, &created, &r.Target, &r.Grid, &r.CellSize, &origin, &r.Model, &bt); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return r, forecast.ErrNoForecast
		}
		return r, err
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
	return r, nil
}

func (db *DB) cells(ctx context.Context, where string, args ...any) ([]forecast.CellRisk, error) {
	rows, err := db.Query(ctx, db.SQL, `SELECT month, horizon, cell, probability, expected, lo, hi, drivers, history FROM forecast_cells WHERE `+where+` ORDER BY month, horizon, cell`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []forecast.CellRisk
	for rows.Next() {
		var c forecast.CellRisk
		var month, dr, hi string
		if err := rows.Scan(&month, &c.Horizon, &c.Cell, &c.Prob, &c.Expected, &c.Lo, &c.Hi, &dr, &hi); err != nil {
			return nil, err
		}
		if c.Month, err = grid.ParseMonth(month); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(dr), &c.Drivers); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(hi), &c.History); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Risk returns the latest run of target holding forecasts for month at
// horizon, and those forecasts.
func (db *DB) Risk(ctx context.Context, target string, month grid.Month, horizon int) (forecast.Run, []forecast.CellRisk, error) {
	run, err := scanRun(db.QueryRow(ctx, db.SQL, `SELECT `+runCols+` FROM forecast_runs r WHERE target = ?
		AND EXISTS (SELECT 1 FROM forecast_cells c WHERE c.run_id = r.id AND c.month = ? AND c.horizon = ?)
		ORDER BY id DESC LIMIT 1`, target, month.String(), horizon))
	if err != nil {
		return run, nil, err
	}
	cs, err := db.cells(ctx, `run_id = ? AND month = ? AND horizon = ?`, run.ID, month.String(), horizon)
	return run, cs, err
}

// RiskCell returns the latest run of target and its forecasts for a cell.
func (db *DB) RiskCell(ctx context.Context, target string, cell int) (forecast.Run, []forecast.CellRisk, error) {
	run, err := db.LatestRun(ctx, target)
	if err != nil {
		return run, nil, err
	}
	cs, err := db.cells(ctx, `run_id = ? AND cell = ?`, run.ID, cell)
	if err == nil && len(cs) == 0 {
		err = forecast.ErrNoForecast
	}
	return run, cs, err
}

// LatestRun returns the newest run of target.
func (db *DB) LatestRun(ctx context.Context, target string) (forecast.Run, error) {
	return scanRun(db.QueryRow(ctx, db.SQL, `SELECT `+runCols+` FROM forecast_runs WHERE target = ? ORDER BY id DESC LIMIT 1`, target))
}
