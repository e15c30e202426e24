package storage

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/performance"
)

var _ performance.Store = (*DB)(nil)
var _ performance.IntegrityStore = (*DB)(nil)

// Frameworks lists the stored results frameworks by mission.
func (db *DB) Frameworks(ctx context.Context) ([]performance.FrameworkInfo, error) {
	out, err := queryAll(ctx, db, db.SQL, func(sc rowScanner) (performance.FrameworkInfo, error) {
		var fi performance.FrameworkInfo
		var updated string
		if err := sc.Scan(&fi.Mission, &fi.Revision, &updated, &fi.UpdatedBy, &fi.Objectives, &fi.Indicators, &fi.Compacts); err != nil {
			return fi, err
		}
		fi.Updated, _ = time.Parse(time.RFC3339, updated)
		return fi, nil
	}, `SELECT f.mission, f.revision, f.updated, f.updated_by,
		(SELECT COUNT(*) FROM perf_objectives o WHERE o.mission = f.mission),
		(SELECT COUNT(*) FROM perf_indicators i WHERE i.mission = f.mission),
		(SELECT COUNT(*) FROM perf_compacts c WHERE c.mission = f.mission)
		FROM perf_frameworks f ORDER BY f.mission`)
	if err != nil {
		return nil, fmt.Errorf("frameworks: %w", err)
	}
	return out, nil
}

// Framework returns a mission's results framework with its revision.
func (db *DB) Framework(ctx context.Context, mission string) (*performance.Framework, int, error) {
	var rev int
	err := db.QueryRow(ctx, db.SQL, `SELECT revision FROM perf_frameworks WHERE mission = ?`, mission).Scan(&rev)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, performance.NoFramework(mission)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("framework: %w", err)
	}
	f := &performance.Framework{Mission: mission, Objectives: []performance.Objective{}}
	// Objectives and results.
	oIdx := map[string]int{}
	err = eachRow(ctx, db, db.SQL, func(sc rowScanner) error {
		var o performance.Objective
		if err := sc.Scan(&o.ID, &o.Title, &o.TitleFR); err != nil {
			return err
		}
		o.Results = []performance.Result{}
		oIdx[o.ID] = len(f.Objectives)
		f.Objectives = append(f.Objectives, o)
		return nil
	}, `SELECT id, title, title_fr FROM perf_objectives WHERE mission = ? ORDER BY position`, mission)
	if err != nil {
		return nil, 0, err
	}
	type rk struct{ o, r string }
	rIdx := map[rk][2]int{}
	err = eachRow(ctx, db, db.SQL, func(sc rowScanner) error {
		var oid string
		var r performance.Result
		if err := sc.Scan(&oid, &r.ID, &r.Title, &r.TitleFR); err != nil {
			return err
		}
		oi, ok := oIdx[oid]
		if !ok {
			return nil
		}
		r.Indicators = []performance.FIndicator{}
		rIdx[rk{oid, r.ID}] = [2]int{oi, len(f.Objectives[oi].Results)}
		f.Objectives[oi].Results = append(f.Objectives[oi].Results, r)
		return nil
	}, `SELECT objective_id, id, title, title_fr FROM perf_results WHERE mission = ? ORDER BY position`, mission)
	if err != nil {
		return nil, 0, err
	}
	// Targets, then indicators.
	targets := map[string][]performance.Target{}
	err = eachRow(ctx, db, db.SQL, func(sc rowScanner) error {
		var id string
		var t performance.Target
		err := sc.Scan(&id, &t.Period, &t.Value)
		targets[id] = append(targets[id], t)
		return err
	}, `SELECT indicator_id, period, value FROM perf_targets WHERE mission = ? ORDER BY indicator_id, period`, mission)
	if err != nil {
		return nil, 0, err
	}
	err = eachRow(ctx, db, db.SQL, func(sc rowScanner) error {
		var oid, rid, params, dir, dis string
		var base sql.NullFloat64
		var fi performance.FIndicator
		if err := sc.Scan(&oid, &rid, &fi.ID, &fi.Indicator, &params, &fi.Area, &fi.Owner, &fi.OwnerFR, &fi.Unit, &dir, &base, &fi.BaselinePeriod, &dis, &fi.Commitment); err != nil {
			return err
		}
		fi.Direction = performance.Direction(dir)
		if base.Valid {
			v := base.Float64
			fi.Baseline = &v
		}
		if params != "" && params != "{}" {
			if err := json.Unmarshal([]byte(params), &fi.Params); err != nil {
				return fmt.Errorf("framework %s indicator %s: params: %w", mission, fi.ID, err)
			}
		}
		if dis != "" {
			fi.Disaggregations = strings.Split(dis, "|")
		}
		fi.Targets = targets[fi.ID]
		if fi.Targets == nil {
			fi.Targets = []performance.Target{}
		}
		at, ok := rIdx[rk{oid, rid}]
		if !ok {
			return nil
		}
		r := &f.Objectives[at[0]].Results[at[1]]
		r.Indicators = append(r.Indicators, fi)
		return nil
	}, `SELECT objective_id, result_id, id, indicator, params, area, owner, owner_fr, unit, direction, baseline, baseline_period, disaggregations, commitment
		FROM perf_indicators WHERE mission = ? ORDER BY position`, mission)
	if err != nil {
		return nil, 0, err
	}
	// Compacts.
	err = eachRow(ctx, db, db.SQL, func(sc rowScanner) error {
		var c performance.Compact
		var parties, commitments, reviews string
		if err := sc.Scan(&c.ID, &c.Title, &c.TitleFR, &parties, &commitments, &reviews); err != nil {
			return err
		}
		for _, x := range []struct {
			s string
			v any
		}{{parties, &c.Parties}, {commitments, &c.Commitments}, {reviews, &c.Reviews}} {
			if err := json.Unmarshal([]byte(x.s), x.v); err != nil {
				return fmt.Errorf("framework %s compact %s: %w", mission, c.ID, err)
			}
		}
		f.Compacts = append(f.Compacts, c)
		return nil
	}, `SELECT id, title, title_fr, parties, commitments, reviews FROM perf_compacts WHERE mission = ? ORDER BY position`, mission)
	if err != nil {
		return nil, 0, err
	}
	return f, rev, nil
}

// SaveFramework replaces a mission's framework in one transaction,
// audited, and returns its new revision.
func (db *DB) SaveFramework(ctx context.Context, actor string, f *performance.Framework, ifRevision int) (int, error) {
	if strings.TrimSpace(f.Mission) == "" {
		return 0, errors.New("save framework: empty mission")
	}
	now := time.Now().UTC().Format(time.RFC3339)
	var rev int
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var cur int
		err := db.QueryRow(ctx, tx, `SELECT revision FROM perf_frameworks WHERE mission = ?`, f.Mission).Scan(&cur)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			cur = 0
		case err != nil:
			return err
		}
		if ifRevision >= 0 && cur != ifRevision {
			return performance.Changed(f.Mission, cur, ifRevision)
		}
		if err := db.deleteFrameworkRows(ctx, tx, f.Mission); err != nil {
			return err
		}
		rev = cur + 1
		if cur == 0 {
			_, err = db.Exec(ctx, tx, `INSERT INTO perf_frameworks (mission, revision, updated, updated_by) VALUES (?, ?, ?, ?)`, f.Mission, rev, now, actor)
		} else {
			_, err = db.Exec(ctx, tx, `UPDATE perf_frameworks SET revision = ?, updated = ?, updated_by = ? WHERE mission = ?`, rev, now, actor, f.Mission)
		}
		if err != nil {
			return fmt.Errorf("save framework: %w", err)
		}
		pos := 0
		nInd := 0
		for oi, o := range f.Objectives {
			if _, err := db.Exec(ctx, tx, `INSERT INTO perf_objectives (mission, id, position, title, title_fr) VALUES (?, ?, ?, ?, ?)`, f.Mission, o.ID, oi, o.Title, o.TitleFR); err != nil {
				return fmt.Errorf("save framework: objective %s: %w", o.ID, err)
			}
			for ri, r := range o.Results {
				if _, err := db.Exec(ctx, tx, `INSERT INTO perf_results (mission, objective_id, id, position, title, title_fr) VALUES (?, ?, ?, ?, ?, ?)`, f.Mission, o.ID, r.ID, ri, r.Title, r.TitleFR); err != nil {
					return fmt.Errorf("save framework: result %s: %w", r.ID, err)
				}
				for _, fi := range r.Indicators {
					params := "{}"
					if len(fi.Params) > 0 {
						b, _ := json.Marshal(fi.Params)
						params = string(b)
					}
					var base any
					if fi.Baseline != nil {
						base = *fi.Baseline
					}
					if _, err := db.Exec(ctx, tx, `INSERT INTO perf_indicators (mission, id, objective_id, result_id, position, indicator, params, area, owner, owner_fr, unit, direction, baseline, baseline_period, disaggregations, commitment)
						VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
						f.Mission, fi.ID, o.ID, r.ID, pos, fi.Indicator, params, fi.Area, fi.Owner, fi.OwnerFR, fi.Unit, string(fi.Direction), base, fi.BaselinePeriod, strings.Join(fi.Disaggregations, "|"), fi.Commitment); err != nil {
						return fmt.Errorf("save framework: indicator %s: %w", fi.ID, err)
					}
					pos++
					nInd++
					for _, t := range fi.Targets {
						if _, err := db.Exec(ctx, tx, `INSERT INTO perf_targets (mission, indicator_id, period, value) VALUES (?, ?, ?, ?)`, f.Mission, fi.ID, t.Period, t.Value); err != nil {
							return fmt.Errorf("save framework: indicator %s target %s: %w", fi.ID, t.Period, err)
						}
					}
				}
			}
		}
		for ci, c := range f.Compacts {
			js := func(v any, empty string) string {
				b, _ := json.Marshal(v)
				if string(b) == "null" {
					return empty
				}
				return string(b)
			}
			if _, err := db.Exec(ctx, tx, `INSERT INTO perf_compacts (mission, id, position, title, title_fr, parties, commitments, reviews) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				f.Mission, c.ID, ci, c.Title, c.TitleFR, js(c.Parties, "[]"), js(c.Commitments, "[]"), js(c.Reviews, "[]")); err != nil {
				return fmt.Errorf("save framework: compact %s: %w", c.ID, err)
			}
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "performance.framework.save", Object: "framework:" + f.Mission,
			Detail: fmt.Sprintf("revision %d: %d objectives, %d indicators, %d compacts", rev, len(f.Objectives), nInd, len(f.Compacts))})
	})
	return rev, err
}

func (db *DB) deleteFrameworkRows(ctx context.Context, tx *sql.Tx, mission string) error {
	for _, t := range []string{"perf_targets", "perf_indicators", "perf_results", "perf_objectives", "perf_compacts"} {
		if _, err := db.Exec(ctx, tx, `DELETE FROM `+t+` WHERE mission = ?`, mission); err != nil {
			return fmt.Errorf("framework %s: %w", mission, err)
		}
	}
	return nil
}

// DeleteFramework removes a mission's framework, audited. Recorded values
// stay (they are the record of what was reported).
func (db *DB) DeleteFramework(ctx context.Context, actor, mission string) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if err := db.execOne(ctx, tx, performance.NoFramework(mission), `DELETE FROM perf_frameworks WHERE mission = ?`, mission); err != nil {
			return err
		}
		if err := db.deleteFrameworkRows(ctx, tx, mission); err != nil {
			return err
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "performance.framework.delete", Object: "framework:" + mission})
	})
}

// RecordValues stores computed values with their provenance, audited.
func (db *DB) RecordValues(ctx context.Context, actor, mission string, frameworkIDs []string, vs []performance.Value) error {
	if frameworkIDs != nil && len(frameworkIDs) != len(vs) {
		return fmt.Errorf("record values: %d framework ids for %d values", len(frameworkIDs), len(vs))
	}
	now := time.Now().UTC().Format(time.RFC3339)
	return db.Tx(ctx, func(tx *sql.Tx) error {
		for i, v := range vs {
			body, err := json.Marshal(v)
			if err != nil {
				return err
			}
			params, _ := json.Marshal(v.Params)
			dis, _ := json.Marshal(v.Disaggregation)
			fid := ""
			if frameworkIDs != nil {
				fid = frameworkIDs[i]
			}
			var val any
			if v.Value != nil {
				val = *v.Value
			}
			noData := 0
			if v.NoData {
				noData = 1
			}
			if _, err := db.Exec(ctx, tx, `INSERT INTO perf_values (mission, framework_id, indicator, params, period, area, disaggregation, body, value, no_data, engine, computed_at, recorded_at, recorded_by)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				mission, fid, v.Indicator, string(params), v.Period, v.Area, string(dis), string(body), val, noData, v.Prov.Engine, v.Prov.ComputedAt.UTC().Format(time.RFC3339Nano), now, actor); err != nil {
				return fmt.Errorf("record value %s %s %s: %w", v.Indicator, v.Period, v.Area, err)
			}
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "performance.values.record", Object: "framework:" + mission, Detail: fmt.Sprintf("%d values", len(vs))})
	})
}

// RecordedValues returns recorded values matching f, newest first.
func (db *DB) RecordedValues(ctx context.Context, f performance.ValueFilter) ([]performance.Recorded, error) {
	q := `SELECT id, mission, framework_id, body, recorded_at, recorded_by FROM perf_values WHERE 1 = 1`
	var args []any
	for _, c := range []struct{ col, v string }{{"mission", f.Mission}, {"framework_id", f.FrameworkID}, {"indicator", f.Indicator}, {"period", f.Period}, {"area", f.Area}} {
		if c.v != "" {
			q += ` AND ` + c.col + ` = ?`
			args = append(args, c.v)
		}
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 1000
	}
	q += fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, limit)
	out, err := queryAll(ctx, db, db.SQL, func(sc rowScanner) (performance.Recorded, error) {
		var r performance.Recorded
		var body, at string
		if err := sc.Scan(&r.ID, &r.Mission, &r.FrameworkID, &body, &at, &r.RecordedBy); err != nil {
			return r, err
		}
		if err := json.Unmarshal([]byte(body), &r.Value); err != nil {
			return r, fmt.Errorf("recorded value %d: %w", r.ID, err)
		}
		r.RecordedAt, _ = time.Parse(time.RFC3339, at)
		return r, nil
	}, q, args...)
	if err != nil {
		return nil, fmt.Errorf("recorded values: %w", err)
	}
	return out, nil
}

// AddManualValue stores a manual indicator value, audited.
func (db *DB) AddManualValue(ctx context.Context, actor string, m performance.ManualValue) (int64, error) {
	if m.EnteredAt == "" {
		m.EnteredAt = time.Now().UTC().Format(time.RFC3339)
	}
	if m.EnteredBy == "" {
		m.EnteredBy = actor
	}
	var id int64
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var lo, hi any
		if m.Low != nil {
			lo = *m.Low
		}
		if m.High != nil {
			hi = *m.High
		}
		var err error
		id, err = db.InsertID(ctx, tx, `INSERT INTO perf_manual_values (indicator, period, area, value, low, high, unit, source, evidence, entered_by, entered_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.Indicator, m.Period, m.Area, m.Value, lo, hi, m.Unit, m.Source, m.Evidence, m.EnteredBy, m.EnteredAt)
		if err != nil {
			return fmt.Errorf("add manual value: %w", err)
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "performance.manual.add", Object: fmt.Sprintf("manual:%d", id),
			Detail: fmt.Sprintf("%s %s %s", m.Indicator, m.Period, m.Area)})
	})
	return id, err
}

// ManualValues returns every manual value, oldest first.
func (db *DB) ManualValues(ctx context.Context) ([]performance.ManualValue, error) {
	out, err := queryAll(ctx, db, db.SQL, func(sc rowScanner) (performance.ManualValue, error) {
		var m performance.ManualValue
		var lo, hi sql.NullFloat64
		if err := sc.Scan(&m.Indicator, &m.Period, &m.Area, &m.Value, &lo, &hi, &m.Unit, &m.Source, &m.Evidence, &m.EnteredBy, &m.EnteredAt); err != nil {
			return m, err
		}
		if lo.Valid {
			m.Low = &lo.Float64
		}
		if hi.Valid {
			m.High = &hi.Float64
		}
		return m, nil
	}, `SELECT indicator, period, area, value, low, high, unit, source, evidence, entered_by, entered_at FROM perf_manual_values ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("manual values: %w", err)
	}
	return out, nil
}

// RecordTriggers stores fired withdrawals not stored before, with their
// evidence (the withdrawal and its matched comparison, as JSON), audited,
// and returns the new ones.
func (db *DB) RecordTriggers(ctx context.Context, actor string, fired []performance.Withdrawal, notify func(performance.Withdrawal) bool) ([]performance.Withdrawal, error) {
	now := time.Now().UTC().Format(time.RFC3339)
	var out []performance.Withdrawal
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		out = nil
		for _, w := range fired {
			var n int
			if err := db.QueryRow(ctx, tx, `SELECT COUNT(*) FROM perf_watch_triggers WHERE cell = ? AND month = ?`, w.Cell, w.Month).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			ev, err := json.Marshal(w)
			if err != nil {
				return err
			}
			nt := 0
			if notify != nil && notify(w) {
				nt = 1
			}
			if _, err := db.Exec(ctx, tx, `INSERT INTO perf_watch_triggers (cell, month, area, mission, location, evidence, first_seen, notified) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				w.Cell, w.Month, w.Area, w.Mission, w.Location, string(ev), now, nt); err != nil {
				return fmt.Errorf("record trigger: %w", err)
			}
			if err := db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "performance.watch.trigger", Object: fmt.Sprintf("cell:%d:%s", w.Cell, w.Month),
				Detail: fmt.Sprintf("%s %s (%s): %g after against %.2f expected, p %s; leadership alerted: %v", w.Mission, w.Location, w.Area, w.After, w.Expected, performance.PText(w.P), nt == 1)}); err != nil {
				return err
			}
			out = append(out, w)
		}
		return nil
	})
	return out, err
}

// Triggers returns recorded triggers with their evidence, newest
// withdrawal first.
func (db *DB) Triggers(ctx context.Context, alertedOnly bool, limit int) ([]performance.Trigger, error) {
	if limit <= 0 {
		limit = 100
	}
	where := ""
	if alertedOnly {
		where = "WHERE notified = 1 "
	}
	out, err := queryAll(ctx, db, db.SQL, func(sc rowScanner) (performance.Trigger, error) {
		return scanTrigger(sc)
	}, `SELECT `+triggerCols+` FROM perf_watch_triggers `+where+`ORDER BY month DESC, cell LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("watch triggers: %w", err)
	}
	if out == nil {
		out = []performance.Trigger{}
	}
	return out, nil
}

const triggerCols = `evidence, first_seen, notified, acked_by, acked_at, ack_note`

func scanTrigger(sc rowScanner) (performance.Trigger, error) {
	var tr performance.Trigger
	var ev, seen, ackedAt string
	var nt int
	if err := sc.Scan(&ev, &seen, &nt, &tr.AckedBy, &ackedAt, &tr.AckNote); err != nil {
		return tr, err
	}
	if err := json.Unmarshal([]byte(ev), &tr.Withdrawal); err != nil {
		return tr, fmt.Errorf("watch trigger evidence: %w", err)
	}
	tr.FirstSeen, _ = time.Parse(time.RFC3339, seen)
	tr.Alerted = nt == 1
	if t, err := time.Parse(time.RFC3339, ackedAt); err == nil {
		tr.AckedAt = &t
	}
	return tr, nil
}

// AcknowledgeTrigger records that actor acknowledged the leadership alert
// of the withdrawal at cell and month, with a note, audited;
// performance.ErrNoTrigger when there is no such alert,
// a conflict naming who acknowledged it and when if someone already did.
func (db *DB) AcknowledgeTrigger(ctx context.Context, actor string, cell int, month, note string, at time.Time) (performance.Trigger, error) {
	var tr performance.Trigger
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		tr, err = scanTrigger(db.QueryRow(ctx, tx, `SELECT `+triggerCols+` FROM perf_watch_triggers WHERE cell = ? AND month = ? AND notified = 1`, cell, month))
		if err != nil {
			return noRows(err, performance.ErrNoTrigger)
		}
		if tr.AckedAt != nil {
			return performance.Acknowledged(tr.AckedBy, *tr.AckedAt)
		}
		stamp := at.UTC().Truncate(time.Second)
		if _, err := db.Exec(ctx, tx, `UPDATE perf_watch_triggers SET acked_by = ?, acked_at = ?, ack_note = ? WHERE cell = ? AND month = ?`,
			actor, stamp.Format(time.RFC3339), note, cell, month); err != nil {
			return err
		}
		tr.AckedBy, tr.AckedAt, tr.AckNote = actor, &stamp, note
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "performance.watch.acknowledge", Object: fmt.Sprintf("cell:%d:%s", cell, month),
			Detail: fmt.Sprintf("%s %s (%s): %s", tr.Mission, tr.Location, tr.Area, note)})
	})
	return tr, err
}

// PerformanceVersion names the current state of the data the performance
// indicators read: the events, coverage and alert queue change counters and
// perf_inputs_version, which triggers bump on every write to the forecast
// runs, survey submissions, analysis settings and margins and the
// information-integrity items, narratives, checks and check log (migration
// 0052). It changes whenever any of them does, in this process or another
// (vigil import, vigil forecast), and reads four one-row tables.
func (db *DB) PerformanceVersion(ctx context.Context) (string, error) {
	var ev, cv, al, in int64
	err := db.QueryRow(ctx, db.SQL, `SELECT (SELECT version FROM events_version WHERE one = 1), (SELECT version FROM coverage_version WHERE one = 1),
		(SELECT version FROM alert_changes WHERE id = 1), (SELECT version FROM perf_inputs_version WHERE one = 1)`).Scan(&ev, &cv, &al, &in)
	return fmt.Sprintf("ev%d/cov%d/al%d/in%d", ev, cv, al, in), err
}

// AddOption attaches a coverage scenario to a mission's gap, audited.
func (db *DB) AddOption(ctx context.Context, actor string, o performance.Option) (int64, error) {
	var id int64
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = db.InsertID(ctx, tx, `INSERT INTO perf_options (mission, gap, area, scenario_id, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			o.Mission, o.Gap, o.Area, o.ScenarioID, o.Note, actor, cmp.Or(o.CreatedAt, time.Now()).UTC().Format(time.RFC3339))
		if err != nil {
			return fmt.Errorf("add option: %w", err)
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "performance.option.add", Object: fmt.Sprintf("option:%d", id),
			Detail: fmt.Sprintf("%s: scenario %d for gap %q", o.Mission, o.ScenarioID, o.Gap)})
	})
	return id, err
}

// Options lists a mission's options, by gap then id.
func (db *DB) Options(ctx context.Context, mission string) ([]performance.Option, error) {
	out, err := queryAll(ctx, db, db.SQL, func(sc rowScanner) (performance.Option, error) {
		var o performance.Option
		var at string
		if err := sc.Scan(&o.ID, &o.Mission, &o.Gap, &o.Area, &o.ScenarioID, &o.Note, &o.CreatedBy, &at); err != nil {
			return o, err
		}
		o.CreatedAt, _ = time.Parse(time.RFC3339, at)
		return o, nil
	}, `SELECT id, mission, gap, area, scenario_id, note, created_by, created_at FROM perf_options WHERE mission = ? ORDER BY gap, id`, mission)
	if err != nil {
		return nil, fmt.Errorf("options: %w", err)
	}
	return out, nil
}

// DeleteOption removes an option of a mission, audited.
func (db *DB) DeleteOption(ctx context.Context, actor, mission string, id int64) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if err := db.execOne(ctx, tx, performance.NoOption(id, mission), `DELETE FROM perf_options WHERE id = ? AND mission = ?`, id, mission); err != nil {
			return err
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "performance.option.delete", Object: fmt.Sprintf("option:%d", id)})
	})
}

// ContentItems returns the fields of every content item that the
// harmful-speech share counts, in one query (no text or JSON columns).
func (db *DB) ContentItems(ctx context.Context) ([]performance.ContentItem, error) {
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (performance.ContentItem, error) {
		var it performance.ContentItem
		var posted string
		err := sc.Scan(&it.Source, &it.SourceID, &it.Kind, &it.Lang, &posted, &it.Score)
		it.Time, _ = time.Parse(integrityTime, posted) // as scanItem reads it
		return it, err
	}, `SELECT source, source_id, kind, lang, posted, score FROM integrity_items ORDER BY id`)
}

// RatedChecks returns the checks with a rating, each with the time of its
// first log entry (in id order) moving it to 'responded', in one query.
func (db *DB) RatedChecks(ctx context.Context) ([]performance.RatedCheck, error) {
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (performance.RatedCheck, error) {
		var c performance.RatedCheck
		var published, responded sql.NullString
		if err := sc.Scan(&c.Narrative, &c.Rating, &published, &responded); err != nil {
			return c, err
		}
		var tf timeFields
		tf.maybe(&c.PublishedAt, published)
		tf.maybe(&c.RespondedAt, responded)
		return c, tf.err
	}, `SELECT c.narrative_id, c.rating, c.published_at,
		(SELECT l.at FROM integrity_check_log l WHERE l.narrative_id = c.narrative_id AND l.kind = ? AND l.to_state = ? ORDER BY l.id LIMIT 1)
		FROM integrity_checks c WHERE c.rating <> '' ORDER BY c.narrative_id`, integrity.LogState, integrity.CheckResponded)
}
