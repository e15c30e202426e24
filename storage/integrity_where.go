package storage

import (
	"context"
	"encoding/json"

	"github.com/vigil-project/vigil/integrity"
)

var _ integrity.PlacedItemStore = (*DB)(nil)

// PlacedItems returns the items with coordinates posted from day from to
// day to, with the groups their lexicon matches target.
func (db *DB) PlacedItems(ctx context.Context, from, to string) ([]integrity.PlacedItem, error) {
	rows, err := db.Query(ctx, db.SQL, `SELECT id, narrative_id, day, lat, lon, place, score, matches FROM integrity_items
		WHERE lat IS NOT NULL AND lon IS NOT NULL AND day >= ? AND day <= ? ORDER BY id`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []integrity.PlacedItem
	for rows.Next() {
		var it integrity.PlacedItem
		var matches string
		if err := rows.Scan(&it.ID, &it.Narrative, &it.Day, &it.Lat, &it.Lon, &it.Place, &it.Score, &matches); err != nil {
			return nil, err
		}
		var ms []integrity.LexMatch
		_ = json.Unmarshal([]byte(matches), &ms)
		seen := map[string]bool{}
		for _, m := range ms {
			if m.Group != "" && !seen[m.Group] {
				seen[m.Group] = true
				it.Groups = append(it.Groups, m.Group)
			}
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// CountItems counts the items posted from day from to day to.
func (db *DB) CountItems(ctx context.Context, from, to string) (int, error) {
	var n int
	err := db.QueryRow(ctx, db.SQL, `SELECT COUNT(*) FROM integrity_items WHERE day >= ? AND day <= ?`, from, to).Scan(&n)
	return n, err
}
