package storage

import (
	"context"
	"encoding/json"

	"github.com/vigil-project/vigil/integrity"
)

var _ integrity.PlacedItemStore = (*DB)(nil)

// WindowItems returns the items posted from day from to day to, with the
// groups their lexicon matches target.
func (db *DB) WindowItems(ctx context.Context, from, to string) ([]integrity.PlacedItem, error) {
	return queryAll(ctx, db, db.SQL, func(sc rowScanner) (integrity.PlacedItem, error) {
		var it integrity.PlacedItem
		var matches string
		if err := sc.Scan(&it.ID, &it.Narrative, &it.Day, &it.Lang, &it.Lat, &it.Lon, &it.Placed, &it.Place, &it.Score, &it.Labelled, &it.Reach, &matches, &it.Admin1, &it.Country); err != nil {
			return it, err
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
		return it, nil
	}, `SELECT id, narrative_id, day, lang, COALESCE(lat, 0), COALESCE(lon, 0), lat IS NOT NULL AND lon IS NOT NULL, place, score,
		COALESCE(`+itemLabel("integrity_items")+`, ''), shares + reactions + views + replies, matches, admin1, country FROM integrity_items WHERE day >= ? AND day <= ? ORDER BY id`, from, to)
}
