package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/vigil-project/vigil/audit"
	"github.com/vigil-project/vigil/integrity"
)

var _ integrity.MatchStore = (*DB)(nil)

// CountItems is the number of stored content items.
func (db *DB) CountItems(ctx context.Context) (int, error) {
	var n int
	err := db.QueryRow(ctx, db.SQL, `SELECT COUNT(*) FROM integrity_items`).Scan(&n)
	return n, err
}

// MatchRows returns at most limit items with ids above after, in id order,
// with their lexicon matches.
func (db *DB) MatchRows(ctx context.Context, after int64, limit int) ([]integrity.MatchRow, error) {
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (integrity.MatchRow, error) {
		var r integrity.MatchRow
		var matches string
		if err := sc.Scan(&r.ID, &r.Text, &r.Lang, &r.Day, &matches); err != nil {
			return r, err
		}
		_ = json.Unmarshal([]byte(matches), &r.Matches)
		return r, nil
	}, `SELECT id, text, lang, day, matches FROM integrity_items WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
}

// SetMatches replaces the given items' matches and term rows in one
// transaction, audited once.
func (db *DB) SetMatches(ctx context.Context, actor, detail string, rows []integrity.MatchRow) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		for _, r := range rows {
			matches, _ := json.Marshal(nonNil(r.Matches))
			if _, err := db.Exec(ctx, tx, `UPDATE integrity_items SET matches = ? WHERE id = ?`, string(matches), r.ID); err != nil {
				return fmt.Errorf("set matches of item %d: %w", r.ID, err)
			}
			if _, err := db.Exec(ctx, tx, `DELETE FROM integrity_item_terms WHERE item_id = ?`, r.ID); err != nil {
				return err
			}
			for _, m := range r.Matches {
				if _, err := db.Exec(ctx, tx, `INSERT INTO integrity_item_terms (item_id, term, grp, day) VALUES (?, ?, ?, ?)`, r.ID, m.Term, m.Group, r.Day); err != nil {
					return err
				}
			}
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "integrity.lexicon.rematch", Object: "integrity:items", Detail: detail})
	})
}

var _ integrity.PlaceStore = (*DB)(nil)

// UnplacedRows returns at most limit items above after, in id order, whose
// admin-1 area is empty (see integrity.Relocate).
func (db *DB) UnplacedRows(ctx context.Context, after int64, limit int) ([]integrity.PlaceRow, error) {
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (integrity.PlaceRow, error) {
		var r integrity.PlaceRow
		return r, sc.Scan(&r.ID, &r.Text, &r.Place, &r.PlaceFrom, &r.Lat, &r.Lon)
	}, `SELECT id, text, place, place_from, lat, lon FROM integrity_items WHERE admin1 = '' AND id > ? ORDER BY id LIMIT ?`, after, limit)
}

// RelocatedWith is the gazetteer fingerprint of the last complete
// re-location ("" when none; see integrity.RelocateIfNeeded).
func (db *DB) RelocatedWith(ctx context.Context) (string, error) {
	var fp string
	err := db.QueryRow(ctx, db.SQL, `SELECT gazetteer FROM integrity_relocated WHERE id = 1`).Scan(&fp)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return fp, err
}

// SetRelocatedWith stores the gazetteer fingerprint of a complete re-location.
func (db *DB) SetRelocatedWith(ctx context.Context, fingerprint string) error {
	_, err := db.Exec(ctx, db.SQL, `INSERT INTO integrity_relocated (id, gazetteer, at) VALUES (1, ?, ?)
		ON CONFLICT (id) DO UPDATE SET gazetteer = excluded.gazetteer, at = excluded.at`, fingerprint, formatTime(time.Now()))
	return err
}

// SetPlaces stores items' places in one transaction, audited once.
func (db *DB) SetPlaces(ctx context.Context, actor, detail string, rows []integrity.PlaceRow) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		for _, r := range rows {
			if _, err := db.Exec(ctx, tx, `UPDATE integrity_items SET place = ?, place_from = ?, lat = ?, lon = ?, admin1 = ?, country = ?, place_conf = ? WHERE id = ?`,
				r.Place, r.PlaceFrom, r.Lat, r.Lon, r.Admin1, r.Country, r.Conf, r.ID); err != nil {
				return fmt.Errorf("re-locate item %d: %w", r.ID, err)
			}
		}
		return db.Audit(ctx, tx, audit.Entry{Actor: actor, Action: "integrity.items.relocate", Object: "integrity:items", Detail: detail})
	})
}
