package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/grid"
)

var _ coverage.Store = (*DB)(nil)

const depCols = `id, source, source_id, mission, country, location, lat, lon, cell, kind, start_month, end_month,
	military, police, civilian, women, men, units, mobility, cost`

// SaveDeployments validates every deployment, then upserts them by (source,
// source_id) in one transaction with one audit entry. A validation error
// names the deployment's index and field; nothing is written on error.
func (db *DB) SaveDeployments(ctx context.Context, actor string, deps []coverage.Deployment) (inserted, updated int, err error) {
	for k := range deps {
		if deps[k].Source == "" || deps[k].SourceID == "" {
			return 0, 0, fmt.Errorf("deployment %d: source and source_id are required", k)
		}
		if err := deps[k].Validate(nil); err != nil {
			return 0, 0, fmt.Errorf("deployment %d (%s): %w", k, deps[k].SourceID, err)
		}
	}
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		inserted, updated = 0, 0
		for k := range deps {
			d := &deps[k]
			var id int64
			err := db.QueryRow(ctx, tx, `SELECT id FROM deployments WHERE source = ? AND source_id = ?`, d.Source, d.SourceID).Scan(&id)
			args := []any{d.Mission, d.Country, d.Location, d.Lat, d.Lon, d.Cell, string(d.Kind), int(d.Start), int(d.End),
				d.Military, d.Police, d.Civilian, d.Women, d.Men, strings.Join(d.Units, ";"), string(d.Mobility), d.Cost}
			switch {
			case errors.Is(err, sql.ErrNoRows):
				id, err = db.InsertID(ctx, tx, `INSERT INTO deployments (mission, country, location, lat, lon, cell, kind, start_month, end_month,
					military, police, civilian, women, men, units, mobility, cost, source, source_id)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(args, d.Source, d.SourceID)...)
				if err != nil {
					return fmt.Errorf("deployment %d (%s): %w", k, d.SourceID, err)
				}
				inserted++
			case err != nil:
				return err
			default:
				if _, err := db.Exec(ctx, tx, `UPDATE deployments SET mission = ?, country = ?, location = ?, lat = ?, lon = ?, cell = ?, kind = ?,
					start_month = ?, end_month = ?, military = ?, police = ?, civilian = ?, women = ?, men = ?, units = ?, mobility = ?, cost = ?
					WHERE id = ?`, append(args, id)...); err != nil {
					return fmt.Errorf("deployment %d (%s): %w", k, d.SourceID, err)
				}
				updated++
			}
			d.ID = id
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "deployments.import", Object: "deployments",
			Detail: fmt.Sprintf("%d inserted, %d updated", inserted, updated)})
	})
	if err != nil {
		return 0, 0, err
	}
	return inserted, updated, nil
}

// Deployments returns the stored deployments matching f, by mission, start
// and id.
func (db *DB) Deployments(ctx context.Context, f coverage.DeploymentFilter) ([]coverage.Deployment, error) {
	q := `SELECT ` + depCols + ` FROM deployments WHERE 1=1`
	var args []any
	if f.Mission != "" {
		q += ` AND mission = ?`
		args = append(args, f.Mission)
	}
	if f.Source != "" {
		q += ` AND source = ?`
		args = append(args, f.Source)
	}
	if f.Active != 0 {
		q += ` AND start_month <= ? AND end_month >= ?`
		args = append(args, int(f.Active), int(f.Active))
	}
	if f.To != 0 {
		q += ` AND start_month <= ?`
		args = append(args, int(f.To))
	}
	if f.From != 0 {
		q += ` AND end_month >= ?`
		args = append(args, int(f.From))
	}
	q += ` ORDER BY mission, start_month, id`
	rows, err := db.Query(ctx, db.SQL, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []coverage.Deployment
	for rows.Next() {
		var d coverage.Deployment
		var kind, units, mob string
		var start, end int
		if err := rows.Scan(&d.ID, &d.Source, &d.SourceID, &d.Mission, &d.Country, &d.Location, &d.Lat, &d.Lon, &d.Cell, &kind,
			&start, &end, &d.Military, &d.Police, &d.Civilian, &d.Women, &d.Men, &units, &mob, &d.Cost); err != nil {
			return nil, err
		}
		d.Kind, d.Mobility = coverage.Kind(kind), coverage.Mobility(mob)
		d.Start, d.End = grid.Month(start), grid.Month(end)
		if units != "" {
			d.Units = strings.Split(units, ";")
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// SaveScenario stores a scenario (audited) and returns its id.
func (db *DB) SaveScenario(ctx context.Context, actor string, s *coverage.Scenario) (int64, error) {
	if strings.TrimSpace(s.Name) == "" || len(s.Name) > 200 {
		return 0, &coverage.FieldError{Field: "name", Msg: "must be 1–200 characters"}
	}
	ok := false
	for _, k := range coverage.ScenarioKinds {
		ok = ok || k == s.Kind
	}
	if !ok {
		return 0, &coverage.FieldError{Field: "kind", Msg: fmt.Sprintf("%q: want plan, try or cut", s.Kind)}
	}
	if len(s.Body) == 0 {
		return 0, &coverage.FieldError{Field: "body", Msg: "is empty"}
	}
	s.CreatedBy = actor
	s.CreatedAt = time.Now().UTC().Truncate(time.Second)
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		id, err := db.InsertID(ctx, tx, `INSERT INTO coverage_scenarios (name, kind, month, created_by, created_at, body) VALUES (?, ?, ?, ?, ?, ?)`,
			s.Name, s.Kind, int(s.Month), actor, s.CreatedAt.Format(time.RFC3339), string(s.Body))
		if err != nil {
			return err
		}
		s.ID = id
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "scenario.save", Object: fmt.Sprintf("scenario:%d", id), Detail: s.Kind + " " + s.Month.String()})
	})
	return s.ID, err
}

// Scenarios lists saved scenarios, newest first, without their bodies.
func (db *DB) Scenarios(ctx context.Context) ([]coverage.Scenario, error) {
	rows, err := db.Query(ctx, db.SQL, `SELECT id, name, kind, month, created_by, created_at FROM coverage_scenarios ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []coverage.Scenario
	for rows.Next() {
		var s coverage.Scenario
		var month int
		var at string
		if err := rows.Scan(&s.ID, &s.Name, &s.Kind, &month, &s.CreatedBy, &at); err != nil {
			return nil, err
		}
		s.Month = grid.Month(month)
		s.CreatedAt, _ = time.Parse(time.RFC3339, at)
		out = append(out, s)
	}
	return out, rows.Err()
}

// Scenario returns one saved scenario with its body (events.ErrNotFound if
// absent).
func (db *DB) Scenario(ctx context.Context, id int64) (coverage.Scenario, error) {
	var s coverage.Scenario
	var month int
	var at, body string
	err := db.QueryRow(ctx, db.SQL, `SELECT id, name, kind, month, created_by, created_at, body FROM coverage_scenarios WHERE id = ?`, id).
		Scan(&s.ID, &s.Name, &s.Kind, &month, &s.CreatedBy, &at, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return s, events.ErrNotFound
	}
	if err != nil {
		return s, err
	}
	s.Month = grid.Month(month)
	s.CreatedAt, _ = time.Parse(time.RFC3339, at)
	s.Body = []byte(body)
	return s, nil
}
