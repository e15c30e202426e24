package feed_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/vigil-project/vigil/alerts"
	"github.com/vigil-project/vigil/auth"
	"github.com/vigil-project/vigil/events"
	"github.com/vigil-project/vigil/events/feed"
	"github.com/vigil-project/vigil/grid"
	"github.com/vigil-project/vigil/internal/apperr"
)

// TestRolePlacement: an event made from an incident is served to viewers
// at its rounded position — in pages (selected by that position), clusters
// and cell-months — and to responders where it is; public events are
// unchanged.
func TestRolePlacement(t *testing.T) {
	ctx := context.Background()
	day := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	ev := func(src, id string, lat, lon float64, best int) events.Event {
		return events.Event{Source: src, SourceID: id, DateStart: day, DateEnd: day, DatePrecision: 1, Lat: lat, Lon: lon,
			WherePrecision: 1, Violence: events.OneSided, Best: best, Low: best, High: best, Civilian: -1}
	}
	evs := []events.Event{ev("test", "p1", 1.7, 30.3, 1), ev(alerts.EventSource, "i1", 1.5625, 30.2484, 2)}
	s := &feed.Service{Store: storeWith(t, evs...)}

	// A box holding the exact position but not the rounded one (1.6, 30.2).
	box := &events.BBox{West: 30.21, South: 1.5, East: 30.4, North: 1.8}
	for _, c := range []struct {
		role auth.Role
		n    int
	}{{auth.Viewer, 1}, {auth.Responder, 2}} {
		fc, err := s.Page(ctx, events.Filter{BBox: box}, 10, c.role)
		if err != nil || len(fc.Features) != c.n {
			t.Errorf("%s: page in box has %d events, want %d (%v)", c.role, len(fc.Features), c.n, err)
		}
	}
	fc, err := s.Page(ctx, events.Filter{}, 1, auth.Viewer)
	if err != nil || len(fc.Features) != 1 || fc.Next == "" {
		t.Fatalf("page of 1: %+v, %v", fc, err)
	}
	one, err := s.Event(ctx, 2, auth.Viewer)
	if err != nil || one.Geometry.Coordinates != [2]float64{30.2, 1.6} {
		t.Errorf("viewer's event 2: %+v, %v", one.Geometry, err)
	}
	if _, err := s.Event(ctx, 99, auth.Viewer); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("event 99: %v", err)
	}

	for role, want := range map[auth.Role][2]float64{auth.Viewer: {(30.3 + 30.2) / 2, (1.7 + 1.6) / 2}, auth.Responder: {(30.3 + 30.2484) / 2, (1.7 + 1.5625) / 2}} {
		fc, err := s.Clusters(ctx, events.Filter{}, 4, role)
		if err != nil || len(fc.Features) != 1 {
			t.Fatalf("%s clusters: %+v, %v", role, fc, err)
		}
		at := fc.Features[0].Geometry.Coordinates.([2]float64)
		if math.Abs(at[0]-want[0]) > 1e-9 || math.Abs(at[1]-want[1]) > 1e-9 || fc.Features[0].Properties["deaths"] != 3 {
			t.Errorf("%s cluster at %v %v, want %v with 3 deaths", role, at, fc.Features[0].Properties, want)
		}
	}
	// On a 0.1° grid the viewer's incident-made event sits in the cell of
	// its rounded position.
	g := grid.Regular{Size: 0.1}
	rounded, _ := g.Cell(1.6, 30.2)
	exact, _ := g.Cell(1.5625, 30.2484)
	for role, want := range map[auth.Role]int{auth.Viewer: rounded, auth.Responder: exact} {
		fc, err := s.Grid(ctx, events.Filter{}, 0.1, role)
		if err != nil || len(fc.Features) != 2 {
			t.Fatalf("%s grid: %+v, %v", role, fc, err)
		}
		found := false
		for _, f := range fc.Features {
			found = found || f.Properties["cell"] == want
		}
		if !found {
			t.Errorf("%s grid: no cell %d: %+v", role, want, fc.Features)
		}
	}
	if _, err := (&feed.Service{}).Page(ctx, events.Filter{}, 1, auth.Viewer); err == nil {
		t.Error("no store: no error")
	}
}

// TestEventNamesInFrench: an event's detail names its first-level unit in
// French beside the source's name where French writes it otherwise
// (admin1_fr: UCDP's "North Darfur state" is Darfour-Nord), and its
// country (country_fr); none where the name is the same (Ituri).
func TestEventNamesInFrench(t *testing.T) {
	ctx := context.Background()
	day := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	ev := func(id, country, admin1 string) events.Event {
		return events.Event{Source: "test", SourceID: id, DateStart: day, DateEnd: day, DatePrecision: 1, Lat: 13.6, Lon: 25.3,
			WherePrecision: 1, Violence: events.OneSided, Best: 1, Low: 1, High: 1, Civilian: -1, Country: country, Admin1: admin1}
	}
	s := &feed.Service{Store: storeWith(t, ev("1", "Sudan", "North Darfur state"), ev("2", "DR Congo (Zaire)", "Ituri province"), ev("3", "Somalia", "Lower Shebelle"))}
	for _, c := range []struct {
		id                  int64
		admin1FR, countryFR string
	}{{1, "Darfour-Nord", "Soudan"}, {2, "", "RD Congo"}, {3, "Bas-Shabelle", "Somalie"}} {
		f, err := s.Event(ctx, c.id, auth.Viewer)
		if err != nil || f.Properties.Admin1FR != c.admin1FR || f.Properties.CountryFR != c.countryFR {
			t.Errorf("event %d: admin1 %q → %q, country %q, want %q, %q (%v)", c.id, f.Properties.Admin1, f.Properties.Admin1FR, f.Properties.CountryFR, c.admin1FR, c.countryFR, err)
		}
	}
}
