package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/integrity"
	"github.com/vigil-project/vigil/internal/apperr"
)

var _ integrity.LearnStore = (*DB)(nil)

// SetLabel sets or removes an item's label, audited.
func (db *DB) SetLabel(ctx context.Context, actor string, l integrity.Label) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := db.QueryRow(ctx, tx, `SELECT id FROM integrity_items WHERE id = ?`, l.Item).Scan(&id)
		if err != nil {
			return noRows(err, apperr.ErrNotFound)
		}
		if _, err := db.Exec(ctx, tx, `DELETE FROM integrity_labels WHERE item_id = ?`, l.Item); err != nil {
			return err
		}
		detail := "label removed"
		if l.Label != "" {
			if _, err := db.Exec(ctx, tx, `INSERT INTO integrity_labels (item_id, label, class, actor, at) VALUES (?, ?, ?, ?, ?)`,
				l.Item, l.Label, l.Class, actor, time.Now().UTC().Format(integrityTime)); err != nil {
				return err
			}
			detail = "labelled " + l.Label
			if l.Class != "" {
				detail += " (" + l.Class + ")"
			}
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "integrity.item.label", Object: "integrity-item:" + strconv.FormatInt(l.Item, 10), Detail: detail})
	})
}

// LabelledItems lists the labelled items in id order.
func (db *DB) LabelledItems(ctx context.Context) ([]integrity.LabelledItem, error) {
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (integrity.LabelledItem, error) {
		var it integrity.LabelledItem
		err := sc.Scan(&it.ID, &it.Text, &it.Lang, &it.Label)
		return it, err
	}, `SELECT i.id, i.text, i.lang, l.label FROM integrity_labels l JOIN integrity_items i ON i.id = l.item_id ORDER BY i.id`)
}

// modelReport is the JSON of a model's per-class scores.
type modelReport struct {
	Classes []integrity.ClassScore `json:"classes"`
	Base    []integrity.ClassScore `json:"base"`
}

// SaveModel stores a trained model, audited.
func (db *DB) SaveModel(ctx context.Context, actor string, m *integrity.ModelInfo, weights []byte) error {
	rep, _ := json.Marshal(modelReport{Classes: m.Classes, Base: m.BaseCls})
	return db.Tx(ctx, func(tx *sql.Tx) error {
		id, err := db.InsertID(ctx, tx, `INSERT INTO integrity_models (created, actor, examples, labels, held_out, macro_f1, base_f1, base, langs, report, active, activated, model)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, '', ?)`,
			m.Created.UTC().Format(integrityTime), actor, m.Examples, m.Labels, m.HeldOut, m.MacroF1, m.BaseF1, m.Base, strings.Join(m.Langs, ","), string(rep), weights)
		if err != nil {
			return fmt.Errorf("save model: %w", err)
		}
		m.ID = id
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "integrity.model.train", Object: "integrity-model:" + strconv.FormatInt(id, 10),
			Detail: fmt.Sprintf("%d built-in examples + %d labels; held-out macro-F1 %.3f on %d labels (%s: %.3f)", m.Examples, m.Labels, m.MacroF1, m.HeldOut, m.Base, m.BaseF1)})
	})
}

const modelCols = `id, created, actor, examples, labels, held_out, macro_f1, base_f1, base, langs, report, active, activated`

func scanModel(sc rowScanner) (integrity.ModelInfo, error) {
	var m integrity.ModelInfo
	var created, langs, report, activated string
	var active int
	if err := sc.Scan(&m.ID, &created, &m.Actor, &m.Examples, &m.Labels, &m.HeldOut, &m.MacroF1, &m.BaseF1, &m.Base, &langs, &report, &active, &activated); err != nil {
		return m, err
	}
	m.Created, _ = time.Parse(integrityTime, created)
	if t, err := time.Parse(integrityTime, activated); err == nil {
		m.Activated = &t
	}
	m.Active = active == 1
	if langs != "" {
		m.Langs = strings.Split(langs, ",")
	}
	var rep modelReport
	_ = json.Unmarshal([]byte(report), &rep)
	m.Classes, m.BaseCls = rep.Classes, rep.Base
	return m, nil
}

// Models lists the trained models, newest first.
func (db *DB) Models(ctx context.Context) ([]integrity.ModelInfo, error) {
	return queryAll(ctx, db, db.SQL, scanModel, `SELECT `+modelCols+` FROM integrity_models ORDER BY id DESC`)
}

// ActiveModel returns the active model and its weights (ID 0: none).
func (db *DB) ActiveModel(ctx context.Context) (integrity.ModelInfo, []byte, error) {
	var w []byte
	ms, err := queryAll(ctx, db, db.SQL, func(sc rowScanner) (integrity.ModelInfo, error) {
		var m integrity.ModelInfo
		var langs string
		err := sc.Scan(&m.ID, &langs, &w)
		if langs != "" {
			m.Langs = strings.Split(langs, ",")
		}
		m.Active = true
		return m, err
	}, `SELECT id, langs, model FROM integrity_models WHERE active = 1 ORDER BY id DESC LIMIT 1`)
	if err != nil || len(ms) == 0 {
		return integrity.ModelInfo{}, nil, err
	}
	return ms[0], w, nil
}

// ModelWeights returns stored model id's weights (apperr.ErrNotFound for
// an unknown id).
func (db *DB) ModelWeights(ctx context.Context, id int64) ([]byte, error) {
	ws, err := queryAll(ctx, db, db.SQL, func(sc rowScanner) ([]byte, error) {
		var w []byte
		return w, sc.Scan(&w)
	}, `SELECT model FROM integrity_models WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(ws) == 0 {
		return nil, apperr.ErrNotFound
	}
	return ws[0], nil
}

// ActivateModel makes model id the active one (0: none), audited.
func (db *DB) ActivateModel(ctx context.Context, actor string, id int64) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := db.Exec(ctx, tx, `UPDATE integrity_models SET active = 0 WHERE active = 1`); err != nil {
			return err
		}
		object := "integrity-model:" + integrity.BuiltinName
		if id != 0 {
			if err := db.execOne(ctx, tx, apperr.ErrNotFound, `UPDATE integrity_models SET active = 1, activated = ? WHERE id = ?`, time.Now().UTC().Format(integrityTime), id); err != nil {
				return err
			}
			object = "integrity-model:" + strconv.FormatInt(id, 10)
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "integrity.model.activate", Object: object})
	})
}

// ScoreRows returns at most limit items with ids above after, in id order,
// with their scores.
func (db *DB) ScoreRows(ctx context.Context, after int64, limit int) ([]integrity.ScoreRow, error) {
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (integrity.ScoreRow, error) {
		var r integrity.ScoreRow
		var reasons string
		if err := sc.Scan(&r.ID, &r.Text, &r.Lang, &r.Score, &r.Label, &reasons); err != nil {
			return r, err
		}
		_ = json.Unmarshal([]byte(reasons), &r.Reasons)
		return r, nil
	}, `SELECT id, text, lang, score, label, reasons FROM integrity_items WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
}

// SetScores rewrites the given items' scores in one transaction, audited once.
func (db *DB) SetScores(ctx context.Context, actor, detail string, rows []integrity.ScoreRow) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		for _, r := range rows {
			reasons, _ := json.Marshal(nonNil(r.Reasons))
			if _, err := db.Exec(ctx, tx, `UPDATE integrity_items SET score = ?, label = ?, reasons = ? WHERE id = ?`, r.Score, r.Label, string(reasons), r.ID); err != nil {
				return fmt.Errorf("set score of item %d: %w", r.ID, err)
			}
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "integrity.items.rescore", Object: "integrity:items", Detail: detail})
	})
}
