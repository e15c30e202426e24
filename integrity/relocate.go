package integrity

import (
	"context"
	"fmt"
)

// Re-location: items stored before the gazetteer gave first-level areas
// (migration 0044), or before a place they name was in the gazetteer, have
// no admin-1 area. Relocate runs the same placing as a new item (place) on
// every item without one and stores what changed: place name, coordinates,
// admin-1 area, country and confidence. An item the gazetteer cannot place
// is left as it was, so a second run changes nothing. Never the author's
// location: only the item's given place, coordinates or text are used.

// PlaceRow is an item's place, as re-location reads and writes it.
type PlaceRow struct {
	ID        int64
	Text      string
	Place     string
	PlaceFrom string
	Lat, Lon  *float64
	Admin1    string
	Country   string
	Conf      *float64
}

// PlaceStore reads and rewrites items' places (implemented by the store).
type PlaceStore interface {
	// UnplacedRows returns at most limit items with ids above after, in id
	// order, whose admin-1 area is empty.
	UnplacedRows(ctx context.Context, after int64, limit int) ([]PlaceRow, error)
	// SetPlaces stores the rows' places in one transaction, audited once
	// (detail).
	SetPlaces(ctx context.Context, actor, detail string, rows []PlaceRow) error
}

// Relocation is what one re-location did.
type Relocation struct {
	Checked   int `json:"checked"`   // items without an admin-1 area
	Relocated int `json:"relocated"` // of which the gazetteer now places
}

// relocateBatch is how many items one transaction re-locates.
const relocateBatch = 500

// Relocate fills the place and admin-1 area of every item missing one,
// with the current gazetteer, in actor's name (audited per batch of
// changes; nothing is written when nothing changes).
func (s *Service) Relocate(ctx context.Context, actor string) (Relocation, error) {
	var res Relocation
	ps, ok := s.Store.(PlaceStore)
	if !ok {
		return res, fmt.Errorf("integrity: this store cannot re-locate items")
	}
	g := s.gazetteer(ctx)
	if g == nil {
		return res, nil
	}
	for after := int64(0); ; {
		rows, err := ps.UnplacedRows(ctx, after, relocateBatch)
		if err != nil || len(rows) == 0 {
			return res, err
		}
		after = rows[len(rows)-1].ID
		res.Checked += len(rows)
		var changed []PlaceRow
		for _, r := range rows {
			it := Item{Text: r.Text, Place: r.Place, Lat: r.Lat, Lon: r.Lon}
			if r.PlaceFrom == "text" {
				it.Place, it.Lat, it.Lon = "", nil, nil // found in the text: find it again
			}
			s.place(g, &it)
			if it.Admin1 == "" {
				continue
			}
			changed = append(changed, PlaceRow{ID: r.ID, Place: it.Place, PlaceFrom: it.PlaceFrom, Lat: it.Lat, Lon: it.Lon,
				Admin1: it.Admin1, Country: it.Country, Conf: it.PlaceConfidence})
		}
		if len(changed) > 0 {
			if err := ps.SetPlaces(ctx, actor, fmt.Sprintf("%d items re-located with the gazetteer (place, admin-1 area)", len(changed)), changed); err != nil {
				return res, err
			}
			res.Relocated += len(changed)
		}
	}
}
