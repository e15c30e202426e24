package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/coverage"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
	"github.com/vigil-project/vigil/internal/textcheck"
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
		if err := bumpCoverageVersion(ctx, db, tx); err != nil {
			return err
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
	return queryAll(ctx, db, db.SQL, scanDeployment, q, args...)
}

func scanDeployment(sc rowScanner) (coverage.Deployment, error) {
	var d coverage.Deployment
	var kind, units, mob string
	var start, end int
	if err := sc.Scan(&d.ID, &d.Source, &d.SourceID, &d.Mission, &d.Country, &d.Location, &d.Lat, &d.Lon, &d.Cell, &kind,
		&start, &end, &d.Military, &d.Police, &d.Civilian, &d.Women, &d.Men, &units, &mob, &d.Cost); err != nil {
		return d, err
	}
	d.Kind, d.Mobility = coverage.Kind(kind), coverage.Mobility(mob)
	d.Start, d.End = grid.Month(start), grid.Month(end)
	if units != "" {
		d.Units = strings.Split(units, ";")
	}
	return d, nil
}

// SaveScenario stores a scenario (audited) and returns its id.
func (db *DB) SaveScenario(ctx context.Context, actor string, s *coverage.Scenario) (int64, error) {
	if strings.TrimSpace(s.Name) == "" || len(s.Name) > 200 {
		return 0, apperr.Fieldf(apperr.KindInvalid, "name", "must be 1–200 characters")
	}
	if err := textcheck.Name(s.Name); err != nil {
		return 0, apperr.FieldErr(apperr.KindInvalid, "name", err)
	}
	if err := checkScenarioNameFR(s.NameFR); err != nil {
		return 0, err
	}
	ok := false
	for _, k := range coverage.ScenarioKinds {
		ok = ok || k == s.Kind
	}
	if !ok {
		return 0, apperr.Fieldf(apperr.KindInvalid, "kind", "%q: want plan, try or cut", s.Kind)
	}
	if len(s.Body) == 0 {
		return 0, apperr.FieldErr(apperr.KindInvalid, "body", apperr.Text("is empty"))
	}
	s.CreatedBy = actor
	s.CreatedAt = time.Now().UTC().Truncate(time.Second)
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		id, err := db.InsertID(ctx, tx, `INSERT INTO coverage_scenarios (name, name_fr, kind, month, created_by, created_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			s.Name, s.NameFR, s.Kind, int(s.Month), actor, s.CreatedAt.Format(time.RFC3339), string(s.Body))
		if err != nil {
			return err
		}
		s.ID = id
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "scenario.save", Object: fmt.Sprintf("scenario:%d", id), Detail: s.Kind + " " + s.Month.String()})
	})
	return s.ID, err
}

// checkScenarioNameFR refuses a scenario's French name longer than 200
// bytes or with a character a name may not hold ("" is none).
func checkScenarioNameFR(nameFR string) error {
	if len(nameFR) > 200 {
		return apperr.Fieldf(apperr.KindInvalid, "name_fr", "at most %d bytes", 200)
	}
	if err := textcheck.Name(nameFR); err != nil {
		return apperr.FieldErr(apperr.KindInvalid, "name_fr", err)
	}
	return nil
}

// SetScenarioNameFR gives scenario id its French name (audited as actor;
// apperr.ErrNotFound when there is no such scenario).
func (db *DB) SetScenarioNameFR(ctx context.Context, actor string, id int64, nameFR string) error {
	if err := checkScenarioNameFR(nameFR); err != nil {
		return err
	}
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if err := db.execOne(ctx, tx, apperr.NotFound(fmt.Sprintf("no scenario %d", id)), `UPDATE coverage_scenarios SET name_fr = ? WHERE id = ?`, nameFR, id); err != nil {
			return err
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "scenario.name", Object: fmt.Sprintf("scenario:%d", id), Detail: nameFR})
	})
}

// Scenarios lists saved scenarios, newest first, without their bodies.
func (db *DB) Scenarios(ctx context.Context) ([]coverage.Scenario, error) {
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (coverage.Scenario, error) { return scanScenario(sc, false) },
		`SELECT `+scenarioCols+` FROM coverage_scenarios ORDER BY id DESC`)
}

const scenarioCols = `id, name, name_fr, kind, month, created_by, created_at`

// scanScenario reads a scenario's scenarioCols, then its body if body is set.
func scanScenario(sc rowScanner, body bool) (coverage.Scenario, error) {
	var s coverage.Scenario
	var month int
	var at, b string
	dest := []any{&s.ID, &s.Name, &s.NameFR, &s.Kind, &month, &s.CreatedBy, &at}
	if body {
		dest = append(dest, &b)
	}
	if err := sc.Scan(dest...); err != nil {
		return s, err
	}
	s.Month = grid.Month(month)
	s.CreatedAt, _ = time.Parse(time.RFC3339, at)
	if body {
		s.Body = []byte(b)
	}
	return s, nil
}

// Scenario returns one saved scenario with its body (apperr.ErrNotFound if
// absent).
func (db *DB) Scenario(ctx context.Context, id int64) (coverage.Scenario, error) {
	return notFound(scanScenario(db.QueryRow(ctx, db.SQL, `SELECT `+scenarioCols+`, body FROM coverage_scenarios WHERE id = ?`, id), true))
}

func bumpCoverageVersion(ctx context.Context, db *DB, tx *sql.Tx) error {
	if _, err := db.Exec(ctx, tx, `UPDATE coverage_version SET version = version + 1 WHERE one = 1`); err != nil {
		return fmt.Errorf("coverage: bump version: %w", err)
	}
	return nil
}

// CoverageVersions returns the events version and the coverage-inputs
// version (bumped by every committed change to deployments, the population
// layer or the seasons, in any process), in one query. A cache of prepared
// coverage inputs is current while both are unchanged.
func (db *DB) CoverageVersions(ctx context.Context) (eventsVersion, coverageVersion int64, err error) {
	err = db.QueryRow(ctx, db.SQL, `SELECT (SELECT version FROM events_version WHERE one = 1), (SELECT version FROM coverage_version WHERE one = 1)`).
		Scan(&eventsVersion, &coverageVersion)
	return eventsVersion, coverageVersion, err
}

// PopulationLayer describes the stored population layer.
type PopulationLayer = coverage.PopulationLayer

// SavePopulation replaces the population layer with rows in one transaction
// (audited, version bumped). A row that fails validation is named by index
// and field; nothing is written on error.
func (db *DB) SavePopulation(ctx context.Context, actor, name string, rows []coverage.PopCell) error {
	if len(rows) == 0 {
		return apperr.Invalid("data", "no population rows")
	}
	seen := make(map[[2]int]bool, len(rows))
	for k, p := range rows {
		switch {
		case !(p.Population >= 0) || p.Population > 1e9:
			return apperr.Invalid("population", fmt.Sprintf("row %d (gid %d): %v must be in 0..1e9", k, p.GID, p.Population))
		case p.Friction != 0 && !(p.Friction >= 1 && p.Friction <= 100):
			return apperr.Invalid("friction", fmt.Sprintf("row %d (gid %d): %v must be 0 (none) or in 1..100", k, p.GID, p.Friction))
		case p.Year != 0 && (p.Year < 1900 || p.Year > 2100):
			return apperr.Invalid("year", fmt.Sprintf("row %d (gid %d): %d must be 0 (every year) or in 1900..2100", k, p.GID, p.Year))
		case seen[[2]int{p.GID, p.Year}]:
			return apperr.Invalid("gid", fmt.Sprintf("row %d: gid %d year %d given twice", k, p.GID, p.Year))
		}
		seen[[2]int{p.GID, p.Year}] = true
	}
	at := time.Now().UTC().Truncate(time.Second).Format(time.RFC3339)
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := db.Exec(ctx, tx, `DELETE FROM coverage_population`); err != nil {
			return err
		}
		// Multi-row inserts, 200 rows (800 parameters) at a time.
		const batch = 200
		for i := 0; i < len(rows); i += batch {
			part := rows[i:min(len(rows), i+batch)]
			q := `INSERT INTO coverage_population (gid, year, population, friction) VALUES ` +
				strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", len(part)), ", ")
			args := make([]any, 0, 4*len(part))
			for _, p := range part {
				args = append(args, p.GID, p.Year, p.Population, p.Friction)
			}
			if _, err := db.Exec(ctx, tx, q, args...); err != nil {
				return fmt.Errorf("population rows %d–%d: %w", i, i+len(part)-1, err)
			}
		}
		if _, err := db.Exec(ctx, tx, `DELETE FROM coverage_population_meta`); err != nil {
			return err
		}
		if _, err := db.Exec(ctx, tx, `INSERT INTO coverage_population_meta (one, name, loaded_by, loaded_at) VALUES (1, ?, ?, ?)`, name, actor, at); err != nil {
			return err
		}
		if err := bumpCoverageVersion(ctx, db, tx); err != nil {
			return err
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "coverage.population.load", Object: "coverage_population",
			Detail: fmt.Sprintf("%s: %d rows", name, len(rows))})
	})
}

// DeletePopulation removes the population layer (audited); it reports
// whether there was one.
func (db *DB) DeletePopulation(ctx context.Context, actor string) (bool, error) {
	var had bool
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := db.Exec(ctx, tx, `DELETE FROM coverage_population_meta`)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		had = n > 0
		if !had {
			return nil
		}
		if _, err := db.Exec(ctx, tx, `DELETE FROM coverage_population`); err != nil {
			return err
		}
		if err := bumpCoverageVersion(ctx, db, tx); err != nil {
			return err
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "coverage.population.delete", Object: "coverage_population"})
	})
	return had, err
}

// Population returns the stored layer's rows (by gid, year) and its
// description; meta is nil when no layer is loaded.
func (db *DB) Population(ctx context.Context) ([]coverage.PopCell, *PopulationLayer, error) {
	var meta PopulationLayer
	var at string
	err := db.QueryRow(ctx, db.SQL, `SELECT name, loaded_by, loaded_at FROM coverage_population_meta WHERE one = 1`).Scan(&meta.Name, &meta.LoadedBy, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	meta.LoadedAt, _ = time.Parse(time.RFC3339, at)
	out, err := queryAll(ctx, db, db.SQL, func(sc rowScanner) (coverage.PopCell, error) {
		var p coverage.PopCell
		err := sc.Scan(&p.GID, &p.Year, &p.Population, &p.Friction)
		return p, err
	}, `SELECT gid, year, population, friction FROM coverage_population ORDER BY gid, year`)
	if err != nil {
		return nil, nil, err
	}
	return out, &meta, nil
}

// SaveSeasons stores rainy-season months for the countries given (each
// replaces that country's setting; an empty list = no rainy season; a nil
// list removes the stored setting so the default applies again), audited,
// in one transaction. Months are checked by coverage.CheckSeasons (known nil:
// the caller checks country names against its grid).
func (db *DB) SaveSeasons(ctx context.Context, actor string, months map[string][]int) error {
	if err := coverage.CheckSeasons(months, nil); err != nil {
		return err
	}
	countries := slices.Sorted(maps.Keys(months))
	at := time.Now().UTC().Truncate(time.Second).Format(time.RFC3339)
	return db.Tx(ctx, func(tx *sql.Tx) error {
		var detail []string
		for _, c := range countries {
			if _, err := db.Exec(ctx, tx, `DELETE FROM coverage_seasons WHERE country = ?`, c); err != nil {
				return err
			}
			ms := months[c]
			if ms == nil {
				detail = append(detail, c+"=default")
				continue
			}
			sorted := append([]int{}, ms...)
			sort.Ints(sorted)
			strs := make([]string, len(sorted))
			for i, m := range sorted {
				strs[i] = strconv.Itoa(m)
			}
			if _, err := db.Exec(ctx, tx, `INSERT INTO coverage_seasons (country, months, updated_by, updated_at) VALUES (?, ?, ?, ?)`,
				c, strings.Join(strs, ","), actor, at); err != nil {
				return err
			}
			detail = append(detail, c+"="+strings.Join(strs, ","))
		}
		if err := bumpCoverageVersion(ctx, db, tx); err != nil {
			return err
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "coverage.seasons.save", Object: "coverage_seasons", Detail: strings.Join(detail, "; ")})
	})
}

// Seasons returns the stored rainy-season months per country (countries
// without a stored setting are absent: the defaults apply to them).
func (db *DB) Seasons(ctx context.Context) (map[string][]int, error) {
	out := map[string][]int{}
	err := eachRow(ctx, db, db.SQL, func(sc rowScanner) error {
		var c, ms string
		if err := sc.Scan(&c, &ms); err != nil {
			return err
		}
		list := []int{}
		for _, f := range strings.Split(ms, ",") {
			if f == "" {
				continue
			}
			m, err := strconv.Atoi(f)
			if err != nil {
				return fmt.Errorf("coverage_seasons %s: month %q: %w", c, f, err)
			}
			list = append(list, m)
		}
		out[c] = list
		return nil
	}, `SELECT country, months FROM coverage_seasons ORDER BY country`)
	if err != nil {
		return nil, err
	}
	return out, nil
}
