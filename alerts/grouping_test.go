package alerts

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/vigil-project/vigil/internal/geo"
)

func alertAt(lat, lon float64) *Alert {
	return &Alert{ReceivedAt: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), Location: Location{Lat: &lat, Lon: &lon}}
}

// north returns the point d metres due north of (lat, lon).
func north(lat, lon, d float64) (float64, float64) {
	return lat + d/geo.EarthRadiusM*180/math.Pi, lon
}

func TestGroupingJoin(t *testing.T) {
	g := DefaultGrouping // 5 km
	bunia := alertAt(1.5593, 30.2522)
	at := func(d float64) (float64, float64) { return north(1.5593, 30.2522, d) }
	cand := func(id int64, d float64) IncidentCandidate {
		la, lo := at(d)
		return IncidentCandidate{ID: id, Lat: la, Lon: lo}
	}
	for _, c := range []struct {
		name  string
		g     Grouping
		a     *Alert
		cands []IncidentCandidate
		want  int64
	}{
		{"no candidates: new incident", g, bunia, nil, 0},
		{"one within the radius", g, bunia, []IncidentCandidate{cand(7, 3000)}, 7},
		{"the nearest of several", g, bunia, []IncidentCandidate{cand(1, 4000), cand(2, 1000), cand(3, 2500)}, 2},
		{"just inside the radius", g, bunia, []IncidentCandidate{cand(4, 4999)}, 4},
		{"just beyond the radius", g, bunia, []IncidentCandidate{cand(5, 5001)}, 0},
		{"a tie goes to the first listed", g, bunia, []IncidentCandidate{cand(8, 2000), cand(9, 2000)}, 8},
		{"grouping off (no radius)", Grouping{Window: time.Hour}, bunia, []IncidentCandidate{cand(1, 10)}, 0},
		{"grouping off (no window)", Grouping{RadiusM: 5000}, bunia, []IncidentCandidate{cand(1, 10)}, 0},
		{"alert without a position", g, &Alert{}, []IncidentCandidate{cand(1, 10)}, 0},
	} {
		if got := c.g.Join(c.a, c.cands); got != c.want {
			t.Errorf("%s: Join = %d, want %d", c.name, got, c.want)
		}
	}
}

// TestGroupingSearchBox: the area the store searches holds every point
// within the radius (but the last 0.1% due north and south, see
// metresPerDegreeLat) and reaches back one window; an alert that cannot
// join has none.
func TestGroupingSearchBox(t *testing.T) {
	g := DefaultGrouping
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		lat, lon := rng.Float64()*150-75, rng.Float64()*360-180
		a := alertAt(lat, lon)
		area, ok := g.Search(a)
		if !ok {
			t.Fatal("no area for a positioned alert")
		}
		if !area.Since.Equal(a.ReceivedAt.Add(-g.Window)) {
			t.Fatalf("since %v", area.Since)
		}
		// A point at a random bearing within 99.8% of the radius.
		d, b := rng.Float64()*0.998*g.RadiusM, rng.Float64()*2*math.Pi
		plat := lat + d*math.Cos(b)/geo.EarthRadiusM*180/math.Pi
		plon := lon + d*math.Sin(b)/(geo.EarthRadiusM*math.Cos(lat*math.Pi/180))*180/math.Pi
		if geo.DistanceM(lat, lon, plat, plon) > g.RadiusM {
			continue
		}
		if plat < area.South || plat > area.North || plon < area.West || plon > area.East {
			t.Fatalf("point %.0f m from (%v,%v) outside the box %+v", d, lat, lon, area)
		}
	}
	for _, c := range []struct {
		name string
		g    Grouping
		a    *Alert
	}{
		{"no position", g, &Alert{}},
		{"no radius", Grouping{Window: time.Hour}, alertAt(1, 1)},
		{"no window", Grouping{RadiusM: 10}, alertAt(1, 1)},
	} {
		if _, ok := c.g.Search(c.a); ok {
			t.Errorf("%s: an area to search", c.name)
		}
		if cells := c.g.Cells(c.a); cells != nil {
			t.Errorf("%s: cells %v", c.name, cells)
		}
	}
}

// TestGroupingCells: two alerts that could join one incident (the second
// within the first's search box) always share a cell, the property the
// store's per-cell locks rely on.
func TestGroupingCells(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, g := range []Grouping{DefaultGrouping, {RadiusM: 250, Window: time.Hour}, {RadiusM: 50000, Window: time.Hour}} {
		for range 2000 {
			p := alertAt(rng.Float64()*170-85, rng.Float64()*358-179)
			pa, _ := g.Search(p)
			q := alertAt(pa.South+rng.Float64()*(pa.North-pa.South), pa.West+rng.Float64()*(pa.East-pa.West))
			qa, _ := g.Search(q)
			if *p.Location.Lat < qa.South || *p.Location.Lat > qa.North || *p.Location.Lon < qa.West || *p.Location.Lon > qa.East {
				continue // q's box does not reach p: they need not share a cell
			}
			pc := map[[2]int64]bool{}
			for _, c := range g.Cells(p) {
				pc[c] = true
			}
			shared := false
			for _, c := range g.Cells(q) {
				shared = shared || pc[c]
			}
			if !shared {
				t.Fatalf("radius %v: alerts at %v,%v and %v,%v share no cell", g.RadiusM, *p.Location.Lat, *p.Location.Lon, *q.Location.Lat, *q.Location.Lon)
			}
		}
	}
}
