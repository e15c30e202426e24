package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/surveys"
)

var _ surveys.AnalysisStore = (*DB)(nil)

// SaveMargins creates or replaces a named population margin set, audited.
func (db *DB) SaveMargins(ctx context.Context, actor, name string, p *surveys.Population) error {
	if name == "" {
		return fmt.Errorf("margins: empty name")
	}
	dims, err := json.Marshal(p.Dims)
	if err != nil {
		return err
	}
	cells, err := json.Marshal(p.Cells)
	if err != nil {
		return err
	}
	now := time.Now().UTC().Format(time.RFC3339)
	return db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := db.Exec(ctx, tx, `UPDATE survey_margins SET dims = ?, cells = ?, updated = ? WHERE name = ?`, string(dims), string(cells), now, name)
		if err != nil {
			return fmt.Errorf("save margins: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := db.Exec(ctx, tx, `INSERT INTO survey_margins (name, dims, cells, updated) VALUES (?, ?, ?, ?)`, name, string(dims), string(cells), now); err != nil {
				return fmt.Errorf("save margins: %w", err)
			}
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "survey.margins.save", Object: "margins:" + name, Detail: fmt.Sprintf("%d cells over %d dimensions", len(p.Cells), len(p.Dims))})
	})
}

// Margins returns a margin set; surveys.ErrNoMargins if none.
func (db *DB) Margins(ctx context.Context, name string) (*surveys.Population, error) {
	var dims, cells string
	err := db.QueryRow(ctx, db.SQL, `SELECT dims, cells FROM survey_margins WHERE name = ?`, name).Scan(&dims, &cells)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("margins %q: %w", name, surveys.ErrNoMargins)
	}
	if err != nil {
		return nil, fmt.Errorf("margins: %w", err)
	}
	p := &surveys.Population{}
	if err := json.Unmarshal([]byte(dims), &p.Dims); err != nil {
		return nil, fmt.Errorf("margins %q: %w", name, err)
	}
	if err := json.Unmarshal([]byte(cells), &p.Cells); err != nil {
		return nil, fmt.Errorf("margins %q: %w", name, err)
	}
	return p, nil
}

// MarginNames lists the margin sets by name.
func (db *DB) MarginNames(ctx context.Context) ([]string, error) {
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (string, error) {
		var n string
		err := sc.Scan(&n)
		return n, err
	}, `SELECT name FROM survey_margins ORDER BY name`)
}

// AddInterlocutor appends a sealed interlocutor log entry, audited.
func (db *DB) AddInterlocutor(ctx context.Context, actor string, e surveys.SealedInterlocutor) (int64, error) {
	var id int64
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = db.InsertID(ctx, tx, `INSERT INTO survey_interlocutors (met_on, sealed, created) VALUES (?, ?, ?)`, e.Date, e.Sealed, time.Now().UTC().Format(time.RFC3339))
		if err != nil {
			return fmt.Errorf("add interlocutor: %w", err)
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "survey.interlocutor.add", Object: fmt.Sprintf("interlocutor:%d", id), Detail: "met " + e.Date})
	})
	return id, err
}

// Interlocutors returns the sealed log entries met between from and to
// (inclusive, "" for no bound), oldest first.
func (db *DB) Interlocutors(ctx context.Context, from, to string) ([]surveys.SealedInterlocutor, error) {
	q := `SELECT id, met_on, sealed FROM survey_interlocutors WHERE 1 = 1`
	var args []any
	if from != "" {
		q += ` AND met_on >= ?`
		args = append(args, from)
	}
	if to != "" {
		q += ` AND met_on <= ?`
		args = append(args, to)
	}
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (surveys.SealedInterlocutor, error) {
		var s surveys.SealedInterlocutor
		err := sc.Scan(&s.ID, &s.Date, &s.Sealed)
		return s, err
	}, q+` ORDER BY met_on, id`, args...)
}

// SaveSettings stores a form's analysis settings, audited.
func (db *DB) SaveSettings(ctx context.Context, actor, formID string, s surveys.Settings) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	now := time.Now().UTC().Format(time.RFC3339)
	return db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := db.Exec(ctx, tx, `UPDATE survey_analysis SET settings = ?, updated = ? WHERE form_id = ?`, string(b), now, formID)
		if err != nil {
			return fmt.Errorf("save analysis settings: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := db.Exec(ctx, tx, `INSERT INTO survey_analysis (form_id, settings, updated) VALUES (?, ?, ?)`, formID, string(b), now); err != nil {
				return fmt.Errorf("save analysis settings: %w", err)
			}
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "survey.settings.save", Object: "form:" + formID, Detail: settingsDetail(s)})
	})
}

// settingsDetail is a settings save's audit detail: how many indicators
// and breakdowns the analysis reports, its finite population correction
// fields, and the protection's k (phrases the audit page says in words).
func settingsDetail(s surveys.Settings) string {
	return fmt.Sprintf("%d indicators, %d breakdowns, %d fpc fields, k=%d", len(s.Indicators), len(s.Breakdowns), len(s.FPC), s.Disclosure.K)
}

// Settings returns a form's analysis settings; surveys.ErrNoSettings if
// none.
func (db *DB) Settings(ctx context.Context, formID string) (surveys.Settings, error) {
	var b string
	var s surveys.Settings
	err := db.QueryRow(ctx, db.SQL, `SELECT settings FROM survey_analysis WHERE form_id = ?`, formID).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("form %q: %w", formID, surveys.ErrNoSettings)
	}
	if err != nil {
		return s, fmt.Errorf("analysis settings: %w", err)
	}
	if err := json.Unmarshal([]byte(b), &s); err != nil {
		return s, fmt.Errorf("analysis settings of %q: %w", formID, err)
	}
	return s, nil
}
