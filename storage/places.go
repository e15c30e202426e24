package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/geotext"
)

// GazetteerImport is a gazetteer CSV a mission imported.
type GazetteerImport = geotext.GazetteerImport

// SaveGazetteerImport stores an imported gazetteer CSV (already checked by
// the caller) with one audit entry, in one transaction.
func (db *DB) SaveGazetteerImport(ctx context.Context, actor, name string, places int, csv []byte) (int64, error) {
	if name == "" || places <= 0 || len(csv) == 0 {
		return 0, fmt.Errorf("gazetteer import: name, places and csv are required")
	}
	var id int64
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = db.InsertID(ctx, tx, `INSERT INTO gazetteer_imports (name, places, csv, imported_by, imported_at) VALUES (?, ?, ?, ?, ?)`,
			name, places, csv, actor, time.Now().UTC().Format(time.RFC3339))
		if err != nil {
			return err
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "gazetteer.import", Object: fmt.Sprintf("gazetteer:%d", id),
			Detail: fmt.Sprintf("%d places from %s", places, name)})
	})
	return id, err
}

// LatestGazetteerImport returns the newest imported gazetteer, CSV
// included; ok is false when none was imported.
func (db *DB) LatestGazetteerImport(ctx context.Context) (g GazetteerImport, ok bool, err error) {
	var at string
	err = db.QueryRow(ctx, db.SQL, `SELECT id, name, places, csv, imported_by, imported_at FROM gazetteer_imports ORDER BY id DESC LIMIT 1`).
		Scan(&g.ID, &g.Name, &g.Places, &g.CSV, &g.ImportedBy, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return g, false, nil
	}
	if err != nil {
		return g, false, err
	}
	g.ImportedAt, _ = time.Parse(time.RFC3339, at)
	return g, true, nil
}
