package integrity

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"strings"

	"github.com/vigil-project/vigil/geotext"
)

// Re-location: items stored before the gazetteer gave first-level areas
// (migration 0044), or before a place they name was in the gazetteer, have
// no admin-1 area. Relocate runs the same placing as a new item (place) on
// every item without one and stores what changed: place name, coordinates,
// admin-1 area, country and confidence. An item the gazetteer cannot place
// is left as it was, so a second run changes nothing. Never the author's
// location: only the item's given place, coordinates or text are used.
//
// Such items stay without an area, so every re-location reads and places
// them all again; a server start therefore re-locates only when needed
// (RelocateIfNeeded): when the gazetteer differs from the one the last
// complete re-location used (its fingerprint is stored). New items are
// placed with the current gazetteer as they come.

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
	// RelocatedWith is the gazetteer fingerprint the last complete
	// re-location stored ("" when none); SetRelocatedWith stores it.
	RelocatedWith(ctx context.Context) (string, error)
	SetRelocatedWith(ctx context.Context, fingerprint string) error
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
		if err != nil {
			return res, err
		}
		if len(rows) == 0 {
			return res, ps.SetRelocatedWith(ctx, fingerprint(g))
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

// RelocateIfNeeded re-locates (Relocate) only when the gazetteer is not the
// one the last complete re-location used; ran says whether it did.
func (s *Service) RelocateIfNeeded(ctx context.Context, actor string) (res Relocation, ran bool, err error) {
	ps, ok := s.Store.(PlaceStore)
	if !ok {
		return res, false, fmt.Errorf("integrity: this store cannot re-locate items")
	}
	g := s.gazetteer(ctx)
	if g == nil {
		return res, false, nil
	}
	last, err := ps.RelocatedWith(ctx)
	if err != nil || last == fingerprint(g) {
		return res, false, err
	}
	res, err = s.Relocate(ctx, actor)
	return res, true, err
}

// fingerprint identifies a gazetteer by everything placing reads of its
// places (names, coordinates, areas, country, population, kind).
func fingerprint(g *geotext.Gazetteer) string {
	h := fnv.New128a()
	var b [8]byte
	num := func(f float64) {
		u := math.Float64bits(f)
		for i := range b {
			b[i] = byte(u >> (8 * i))
		}
		h.Write(b[:])
	}
	for _, p := range g.Places {
		h.Write([]byte(p.Name + "\x1f" + strings.Join(p.AltNames, "\x1e") + "\x1f" + strings.Join(p.AdminCodes, "\x1e") + "\x1f" +
			p.Country + "\x1f" + p.Admin1 + "\x1f" + p.Kind + "\x1f"))
		num(p.Lat)
		num(p.Lon)
		num(float64(p.Population))
	}
	return fmt.Sprintf("%d:%x", len(g.Places), h.Sum(nil))
}
